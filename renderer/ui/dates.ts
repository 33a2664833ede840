// Showing dates and times in the store's locale and time zone ("4 Dec 2026, 16:31" for an Irish stall), never the browser's.
import { useMemo } from 'react';
import { useStoreSettings } from '../db/hooks';

export interface StoreClock {
  locale: string;
  timeZone: string;
}

/** Until the store settings load: the demo store's (an Irish stall). */
const FALLBACK: StoreClock = { locale: 'en-IE', timeZone: 'Europe/Dublin' };

export interface Dates {
  /** "4 Dec 2026, 16:31" */
  dateTime: (iso: string | Date) => string;
  /** "16:31" */
  time: (iso: string | Date) => string;
  /** "4 Dec 2026" */
  date: (iso: string | Date) => string;
}

/** Formatters for one store; Intl.DateTimeFormat objects are made once, they are slow to build. */
export function storeDates(clock: StoreClock): Dates {
  const { locale, timeZone } = clock;
  const make = (options: Intl.DateTimeFormatOptions) => {
    const f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    return (at: string | Date) => f.format(typeof at === 'string' ? new Date(at) : at);
  };
  return {
    dateTime: make({ dateStyle: 'medium', timeStyle: 'short' }),
    time: make({ timeStyle: 'short' }),
    date: make({ dateStyle: 'medium' }),
  };
}

/** The store's formatters for components. */
export function useDates(): Dates {
  const store = useStoreSettings();
  const locale = store?.locale ?? FALLBACK.locale;
  const timeZone = store?.timeZone ?? FALLBACK.timeZone;
  return useMemo(() => storeDates({ locale, timeZone }), [locale, timeZone]);
}
