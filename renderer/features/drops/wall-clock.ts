// A manager types drop times on the store's wall clock ("2026-12-05T18:30" in Europe/Dublin); the ledger keeps UTC.

const parts = (at: Date, timeZone: string) => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const get = (type: string) => f.formatToParts(at).find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
};

/** "2026-12-05T18:30" (what a datetime-local input shows) for a UTC instant, in the time zone. */
export function toWallClock(iso: string, timeZone: string): string {
  return parts(new Date(iso), timeZone);
}

/** The UTC instant of a wall-clock minute in the time zone; null for text that is not one. */
export function fromWallClock(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wanted = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  // Guess the offset, then correct it once more around a daylight-saving change.
  let at = wanted;
  for (let i = 0; i < 2; i++) {
    const shown = Date.parse(`${parts(new Date(at), timeZone)}:00Z`);
    at += wanted - shown;
  }
  return new Date(at).toISOString();
}
