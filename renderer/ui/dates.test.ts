// The store's locale and time zone decide how every date and time on screen reads.
import { describe, expect, it } from 'vitest';
import { storeDates } from './dates';

describe('storeDates', () => {
  const at = '2026-12-04T16:31:00.000Z';

  it('reads day month year and a 24-hour clock for an Irish store, in Dublin time', () => {
    const d = storeDates({ locale: 'en-IE', timeZone: 'Europe/Dublin' });
    expect(d.dateTime(at)).toBe('4 Dec 2026, 16:31');
    expect(d.time(at)).toBe('16:31');
    expect(d.date(at)).toBe('4 Dec 2026');
    // Summer time: 09:05 UTC is 10:05 in Dublin.
    expect(d.time('2026-07-01T09:05:00.000Z')).toBe('10:05');
  });

  it('uses the store time zone, not the computer one: a late sale in New York is the day before in UTC terms', () => {
    const d = storeDates({ locale: 'en-US', timeZone: 'America/New_York' });
    expect(d.dateTime('2026-12-05T02:00:00.000Z')).toBe('Dec 4, 2026, 9:00 PM');
  });

  it('follows other locales too', () => {
    expect(storeDates({ locale: 'de-DE', timeZone: 'Europe/Berlin' }).dateTime(at)).toBe(
      '04.12.2026, 17:31',
    );
  });
});
