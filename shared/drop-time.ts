// Drop times on the store's wall clock and UTC instants, through Temporal, with one policy for daylight-saving changes.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { type Drop, dropSchema } from './drops';

/** What a datetime-local input holds: a wall-clock minute with no offset, e.g. "2026-03-08T02:30". */
export const WALL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export type WallClockResult =
  /** `note` is set when the wall-clock time happens twice (clocks go back): it says which one is meant. */
  | { ok: true; instant: string; note?: string }
  | { ok: false; code: 'not-a-time' | 'unknown-time-zone' | 'no-such-time'; message: string };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const two = (n: number) => String(n).padStart(2, '0');
const hhmm = (t: Temporal.PlainDateTime) => `${two(t.hour)}:${two(t.minute)}`;
const day = (t: Temporal.PlainDateTime) => `${t.day} ${MONTHS[t.month - 1]} ${t.year}`;

/** "UTC−04:00", "UTC+10:30": the offset as a manager reads it. */
function offsetText(offsetNs: number): string {
  const minutes = Math.round(offsetNs / 60e9);
  const sign = minutes < 0 ? '−' : '+';
  return `UTC${sign}${two(Math.floor(Math.abs(minutes) / 60))}:${two(Math.abs(minutes) % 60)}`;
}

/**
 * The clock change next to a gap or an overlap: the wall-clock time just before it and the one
 * just after ("02:00" → "03:00" when New York springs forward, "02:00" → "01:00" when it falls back).
 */
function clockChange(earlier: Temporal.ZonedDateTime, later: Temporal.ZonedDateTime) {
  const change = later.getTimeZoneTransition('previous');
  if (!change) return null;
  const after = change.toPlainDateTime();
  const before = after.add({
    nanoseconds: earlier.offsetNanoseconds - later.offsetNanoseconds,
  });
  return { from: hhmm(before), to: hhmm(after) };
}

/**
 * The UTC instant of a wall-clock minute in a time zone. The policy for daylight-saving changes:
 * a time that does not exist (clocks jump over it) is refused with a message naming the gap, so
 * a drop never silently opens an hour early or late; a time that happens twice (clocks go back)
 * means the earlier one, and `note` says so.
 */
export function wallClockToInstant(local: string, timeZone: string): WallClockResult {
  if (!WALL_MINUTE.test(local)) {
    return { ok: false, code: 'not-a-time', message: `“${local}” is not a date and time.` };
  }
  let wall: Temporal.PlainDateTime;
  try {
    wall = Temporal.PlainDateTime.from(local, { overflow: 'reject' });
  } catch {
    return { ok: false, code: 'not-a-time', message: `${local.replace('T', ' ')} is not a date.` };
  }
  let earlier: Temporal.ZonedDateTime;
  let later: Temporal.ZonedDateTime;
  try {
    earlier = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
    later = wall.toZonedDateTime(timeZone, { disambiguation: 'later' });
  } catch {
    return {
      ok: false,
      code: 'unknown-time-zone',
      message: `${timeZone} is not a time zone this till knows.`,
    };
  }
  const instant = earlier.toInstant().toString({ smallestUnit: 'millisecond' });
  if (earlier.epochNanoseconds === later.epochNanoseconds) return { ok: true, instant };

  const change = clockChange(earlier, later);
  const clocks = change ? `clocks go from ${change.from} to ${change.to}` : 'the clocks change';
  if (!earlier.toPlainDateTime().equals(wall)) {
    return {
      ok: false,
      code: 'no-such-time',
      message: `${hhmm(wall)} on ${day(wall)} does not exist in ${timeZone}: ${clocks}.`,
    };
  }
  const utc = earlier.toInstant().toZonedDateTimeISO('UTC').toPlainDateTime();
  return {
    ok: true,
    instant,
    note: `${hhmm(wall)} on ${day(wall)} happens twice in ${timeZone} (${clocks.replace('go from', 'go back from')}): this is the first one, at ${offsetText(earlier.offsetNanoseconds)} (${hhmm(utc)} UTC).`,
  };
}

/** "2026-12-05T18:30" (what a datetime-local input shows) for a UTC instant, in the time zone. */
export function instantToWallClock(iso: string, timeZone: string): string {
  return Temporal.Instant.from(iso)
    .toZonedDateTimeISO(timeZone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' });
}

/** A drop time as a manager saves it: a UTC instant, or a minute on the store's wall clock. */
const savedTime = z.union([
  z.iso.datetime(),
  z.string().regex(WALL_MINUTE, 'A time is a UTC instant or a minute like 2026-12-05T18:30'),
]);

/**
 * PUT /api/v1/stores/:storeId/drops/:dropId: a drop whose times may be typed on the store's
 * wall clock; the ledger turns them into instants with the store's time zone (and the policy above).
 */
export const dropPutSchema = dropSchema.extend({
  startsAt: savedTime,
  endsAt: savedTime,
  restockAt: savedTime.nullable(),
});
export type DropPut = z.infer<typeof dropPutSchema>;

export type ResolvedDrop =
  | { ok: true; drop: Drop; notes: string[] }
  | { ok: false; message: string };

type TimeField = 'Start' | 'End' | 'Restock';

/** One saved time as an instant: an instant as it is, a wall-clock minute through the policy above. */
function resolveTime(
  field: TimeField,
  value: string,
  timeZone: string,
  notes: string[],
): { ok: true; instant: string } | { ok: false; message: string } {
  if (!WALL_MINUTE.test(value)) return { ok: true, instant: new Date(value).toISOString() };
  const r = wallClockToInstant(value, timeZone);
  if (!r.ok) return { ok: false, message: `${field}: ${r.message}` };
  if (r.note) notes.push(`${field}: ${r.note}`);
  return { ok: true, instant: r.instant };
}

/** The drop with every wall-clock time turned into a UTC instant; the first time that does not exist refuses it. */
export function resolveDropTimes(put: DropPut, timeZone: string): ResolvedDrop {
  const notes: string[] = [];
  const start = resolveTime('Start', put.startsAt, timeZone, notes);
  if (!start.ok) return start;
  const end = resolveTime('End', put.endsAt, timeZone, notes);
  if (!end.ok) return end;
  const restock = put.restockAt ? resolveTime('Restock', put.restockAt, timeZone, notes) : null;
  if (restock && !restock.ok) return restock;
  const drop: Drop = {
    ...put,
    startsAt: start.instant,
    endsAt: end.instant,
    restockAt: restock ? restock.instant : null,
  };
  return { ok: true, drop, notes };
}
