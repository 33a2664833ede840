// Micro-drop rules: who may buy when, at which ladder step, how many are left, and what scarcity to show (pure, `now` passed in).
import type { Drop, DropItem } from './drops';
import { EVERYONE } from './members';
import type { Minor } from './money';

/** A till whose clock runs ahead by up to this much still sells just after the end; nobody sells early. */
export const CLOCK_SKEW_MS = 60_000;

const MINUTE_MS = 60_000;

export type DropPhase = 'upcoming' | 'early' | 'live' | 'ended' | 'cancelled';

const ms = (iso: string) => Date.parse(iso);

/** When each access tier opens, earliest first (only tiers that open before the start). */
function tierOpenings(drop: Drop): { tier: string; at: number }[] {
  const start = ms(drop.startsAt);
  return drop.access
    .filter((a) => a.minutesBefore > 0)
    .map((a) => ({ tier: a.tier, at: start - a.minutesBefore * MINUTE_MS }))
    .sort((a, b) => a.at - b.at);
}

/** The drop has closed even for a till whose clock runs up to CLOCK_SKEW_MS ahead. */
function closed(drop: Drop, now: Date): boolean {
  return now.getTime() >= ms(drop.endsAt) + CLOCK_SKEW_MS;
}

/** early = some tier can buy, everyone not yet. "ended" allows the clock-skew grace after endsAt, like checkAccess. */
export function dropPhase(drop: Drop, now: Date): DropPhase {
  if (drop.status === 'cancelled') return 'cancelled';
  if (closed(drop, now)) return 'ended';
  const t = now.getTime();
  if (t >= ms(drop.startsAt)) return 'live';
  const first = tierOpenings(drop)[0];
  return first && t >= first.at ? 'early' : 'upcoming';
}

/** The next moment the drop changes for shoppers: a tier's early access, the opening for everyone, or the close. */
export function nextChange(
  drop: Drop,
  now: Date,
): { at: string; what: 'early-access' | 'opens' | 'closes' } | null {
  if (drop.status === 'cancelled') return null;
  const t = now.getTime();
  const changes: { at: number; what: 'early-access' | 'opens' | 'closes' }[] = [
    ...tierOpenings(drop).map((o) => ({ at: o.at, what: 'early-access' as const })),
    { at: ms(drop.startsAt), what: 'opens' },
    { at: ms(drop.endsAt), what: 'closes' },
  ];
  const next = changes.find((c) => c.at > t);
  return next ? { at: new Date(next.at).toISOString(), what: next.what } : null;
}

/** "18:30" in the store's time zone; with the day when it is not within the next 24 hours. */
export function formatDropTime(at: number | string, now: Date, timeZone = 'UTC'): string {
  const when = typeof at === 'number' ? at : ms(at);
  const soon = Math.abs(when - now.getTime()) < 24 * 60 * MINUTE_MS;
  return new Intl.DateTimeFormat('en-IE', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(soon ? {} : { weekday: 'short', day: 'numeric', month: 'short' }),
  }).format(new Date(when));
}

export type AccessCheck =
  | { ok: true; tier: string }
  | {
      ok: false;
      code: 'not-open-yet' | 'members-only' | 'ended' | 'cancelled';
      message: string;
      opensAt?: string;
    };

/** "Opens to members at 18:30, to everyone at 19:00." */
function openingText(drop: Drop, now: Date, timeZone: string): string {
  const parts = tierOpenings(drop).map(
    (o) => `to ${o.tier} at ${formatDropTime(o.at, now, timeZone)}`,
  );
  parts.push(`to everyone at ${formatDropTime(drop.startsAt, now, timeZone)}`);
  return `Opens ${parts.join(', ')}.`;
}

/**
 * May a customer holding `tiers` buy now? A listed tier opens `minutesBefore` the start,
 * everyone at the start, nobody at or after endsAt (+ CLOCK_SKEW_MS grace for a fast clock).
 * Times in messages are in `timeZone` (the store's).
 */
export function checkAccess(
  drop: Drop,
  tiers: readonly string[],
  now: Date,
  timeZone = 'UTC',
): AccessCheck {
  if (drop.status === 'cancelled') {
    return { ok: false, code: 'cancelled', message: `${drop.name} was cancelled.` };
  }
  if (closed(drop, now)) {
    return {
      ok: false,
      code: 'ended',
      message: `${drop.name} ended at ${formatDropTime(drop.endsAt, now, timeZone)}.`,
    };
  }
  const t = now.getTime();
  const start = ms(drop.startsAt);
  if (t >= start) return { ok: true, tier: EVERYONE };
  const openings = tierOpenings(drop);
  const mine = openings.filter((o) => tiers.includes(o.tier));
  const open = mine.find((o) => t >= o.at);
  if (open) return { ok: true, tier: open.tier };
  const opensAt = new Date(mine[0]?.at ?? start).toISOString();
  const othersOpen = openings.filter((o) => t >= o.at).map((o) => o.tier);
  if (othersOpen.length > 0) {
    const until = formatDropTime(mine[0]?.at ?? start, now, timeZone);
    const who = mine[0] ? `for ${mine[0].tier}` : 'for everyone';
    return {
      ok: false,
      code: 'members-only',
      message: `${drop.name} is open to ${othersOpen.join(' and ')} only; it opens ${who} at ${until}.`,
      opensAt,
    };
  }
  return { ok: false, code: 'not-open-yet', message: openingText(drop, now, timeZone), opensAt };
}

export interface PricedUnits {
  /** Index of the ladder step; -1 when the item has no ladder (shelf price). */
  step: number;
  label: string;
  price: Minor;
  fastFulfilment: boolean;
  qty: number;
}

/** The first ladder step that applies to a unit with `soldBefore` units of the item sold before it; else the last step. */
function stepIndex(item: DropItem, startsAt: string, soldBefore: number, now: Date): number {
  const minutesIn = (now.getTime() - ms(startsAt)) / MINUTE_MS;
  const i = item.ladder.findIndex(
    (s) =>
      (s.untilUnits === undefined || soldBefore < s.untilUnits) &&
      (s.untilMinutes === undefined || minutesIn < s.untilMinutes),
  );
  return i === -1 ? item.ladder.length - 1 : i;
}

function unitsAt(item: DropItem, shelfPrice: Minor, step: number, qty: number): PricedUnits {
  const s = item.ladder[step];
  if (!s) return { step: -1, label: 'Shelf price', price: shelfPrice, fastFulfilment: false, qty };
  return { step, label: s.label, price: s.price, fastFulfilment: s.fastFulfilment, qty };
}

/**
 * Prices `qty` units bought after `soldBefore` units of the item (whole drop, this till's
 * unsynced sales and the cart). One entry per step crossed, in order; quantities sum to qty.
 */
export function priceUnits(
  item: DropItem,
  shelfPrice: Minor,
  startsAt: string,
  soldBefore: number,
  qty: number,
  now: Date,
): PricedUnits[] {
  const out: PricedUnits[] = [];
  let sold = soldBefore;
  let left = qty;
  while (left > 0) {
    const step = stepIndex(item, startsAt, sold, now);
    // Within one call the time is fixed, so a step stops applying only when its unit bound is reached.
    const bound = item.ladder[step]?.untilUnits;
    const take = bound !== undefined && sold < bound ? Math.min(left, bound - sold) : left;
    const last = out[out.length - 1];
    if (last && last.step === step) last.qty += take;
    else out.push(unitsAt(item, shelfPrice, step, take));
    sold += take;
    left -= take;
  }
  return out;
}

/**
 * The price of the next unit (qty 1) and when it changes: after `afterUnits` more units
 * sell or at `at`, whichever comes first; null when this is the final price.
 */
export function currentStep(
  item: DropItem,
  shelfPrice: Minor,
  startsAt: string,
  soldBefore: number,
  now: Date,
): PricedUnits & { changes: { afterUnits?: number; at?: string } | null } {
  const step = stepIndex(item, startsAt, soldBefore, now);
  const unit = unitsAt(item, shelfPrice, step, 1);
  const s = item.ladder[step];
  // The fallback (no step applies any more) is final, like a step without bounds.
  const applies =
    s &&
    (s.untilUnits === undefined || soldBefore < s.untilUnits) &&
    (s.untilMinutes === undefined || now.getTime() < ms(startsAt) + s.untilMinutes * MINUTE_MS);
  if (!s || !applies || (s.untilUnits === undefined && s.untilMinutes === undefined)) {
    return { ...unit, changes: null };
  }
  const changes: { afterUnits?: number; at?: string } = {};
  if (s.untilUnits !== undefined) changes.afterUnits = s.untilUnits - soldBefore;
  if (s.untilMinutes !== undefined) {
    changes.at = new Date(ms(startsAt) + s.untilMinutes * MINUTE_MS).toISOString();
  }
  return { ...unit, changes };
}
