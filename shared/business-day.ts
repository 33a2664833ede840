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

/** Days already worked out, by zone and UTC minute: a push of 500 sales spans a few minutes. */
const byMinute = new Map<string, string>();
const UTC_MINUTE = /^(19[89]\d|2\d{3})-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?Z$/;

/** "2026-11-25" for an ISO instant in the given IANA time zone. */
export function businessDate(iso: string, timeZone: string): string {
  // Every zone's offset since 1980 is a whole number of minutes, so an instant's day is its
  // minute's day; other forms of the instant are worked out each time.
  if (!UTC_MINUTE.test(iso)) return formatter(timeZone).format(new Date(iso));
  const key = `${timeZone} ${iso.slice(0, 16)}`;
  let day = byMinute.get(key);
  if (day === undefined) {
    day = formatter(timeZone).format(new Date(iso));
    if (byMinute.size >= 4_096) byMinute.clear();
    byMinute.set(key, day);
  }
  return day;
}
