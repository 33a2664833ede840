// Which business day a moment belongs to in the stall's own time zone (a 23:30 sale in Dublin is that day's, not UTC's).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** "2026-11-25" for an ISO instant in the given IANA time zone. */
export function businessDate(iso: string, timeZone: string): string {
  return formatter(timeZone).format(new Date(iso));
}
