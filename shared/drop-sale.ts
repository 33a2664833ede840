// Selling from a drop: units left here and overall, the one sell check a till runs per add, scarcity texts, and which drop sells a SKU.
import { CLOCK_SKEW_MS, checkAccess, type PricedUnits, priceUnits } from './drop-rules';
import type { Drop, DropItem } from './drops';
import { EVERYONE } from './members';
import type { Minor } from './money';

/** What a till knows about one drop item's stock as of its last sync. */
export interface DropStock {
  /** Units of the item in the drop. */
  quantity: number;
  /** Sold across all tills, as stored at the ledger (DropProgress.sold). */
  soldOverall: number;
  /** Units of the item in this till's sales the ledger has not stored yet (outbox + quarantine). */
  unsyncedHere: number;
  /** This till's pulled allotment (Allotment.qty); null: allotments off. */
  allotment: number | null;
}

/** Units left overall as of the last sync, less this till's unsynced sales. */
export function leftOverall(s: DropStock): number {
  return Math.max(0, s.quantity - s.soldOverall - s.unsyncedHere);
}

/** Units this till may still sell: its allotment less its unsynced sales; with allotments off, what is left overall. */
export function leftHere(s: DropStock): number {
  if (s.allotment === null) return leftOverall(s);
  return Math.max(0, s.allotment - s.unsyncedHere);
}

export type DropSellCheck =
  | { ok: true; tier: string; units: PricedUnits[] }
  | {
      ok: false;
      code:
        | 'not-open-yet'
        | 'members-only'
        | 'ended'
        | 'cancelled'
        | 'identify-member'
        | 'limit-reached'
        | 'allotment-exhausted'
        | 'sold-out';
      message: string;
    };

export interface DropSaleInput {
  drop: Drop;
  item: DropItem;
  shelfPrice: Minor;
  now: Date;
  /** The identified customer; `name` (optional) makes refusals read better. null: anonymous. */
  member: { id: string; tiers: readonly string[]; name?: string } | null;
  stock: DropStock;
  /** Units of this item already in the cart. */
  inCartItem: number;
  /** Units of any item of this drop already in the cart. */
  inCartDrop: number;
  /** Units of this drop the member bought: ledger memberPurchases + this till's unsynced sales. */
  boughtByMember: number;
  qty: number;
  /** The store's time zone, for times in messages (default UTC). */
  timeZone?: string;
}

const units = (n: number) => (n === 1 ? '1 unit' : `${n} units`);

/** May `qty` more units of this drop item go into the cart, and at which ladder steps? */
export function checkDropSale(input: DropSaleInput): DropSellCheck {
  const { drop, item, member, stock, qty } = input;
  const access = checkAccess(drop, member?.tiers ?? [], input.now, input.timeZone);
  if (!access.ok) return { ok: false, code: access.code, message: access.message };

  const limit = drop.perCustomerLimit;
  // Anonymous buyers only for a drop open to everyone with no per-customer limit
  // (before the start an anonymous buyer never passes the access check).
  if (!member && (limit !== null || access.tier !== EVERYONE)) {
    return {
      ok: false,
      code: 'identify-member',
      message: `${drop.name} has a limit of ${limit ?? 0} per customer: identify the member first.`,
    };
  }
  if (member && limit !== null) {
    const bought = input.boughtByMember + input.inCartDrop;
    if (bought + qty > limit) {
      const who = member.name ?? 'This member';
      const more = Math.max(0, limit - bought);
      return {
        ok: false,
        code: 'limit-reached',
        message:
          more === 0
            ? `Limit reached: ${who} has already bought ${bought} of ${limit} allowed in ${drop.name}.`
            : `Limit: ${who} may buy only ${more} more in ${drop.name} (${bought} of ${limit} allowed already bought).`,
      };
    }
  }

  const overall = leftOverall(stock) - input.inCartItem;
  const here = leftHere(stock) - input.inCartItem;
  if (stock.allotment !== null && here < qty && overall > 0) {
    return {
      ok: false,
      code: 'allotment-exhausted',
      message:
        here <= 0
          ? 'No units left on this till (allotment used up). Sync to ask for more.'
          : `Only ${units(here)} left on this till (allotment). Sync to ask for more.`,
    };
  }
  if (Math.min(here, overall) < qty) {
    const left = Math.max(0, Math.min(here, overall));
    return {
      ok: false,
      code: 'sold-out',
      message:
        left === 0
          ? `Sold out: no units of ${item.sku} left in ${drop.name}.`
          : `Only ${units(left)} of ${item.sku} left in ${drop.name}.`,
    };
  }
  const soldBefore = stock.soldOverall + stock.unsyncedHere + input.inCartItem;
  return {
    ok: true,
    tier: access.tier,
    units: priceUnits(item, input.shelfPrice, drop.startsAt, soldBefore, qty, input.now),
  };
}

export type ScarcityLevel = 'plenty' | 'low' | 'last' | 'sold-out';

/** "41 left" (plenty), "3 left" (low: ≤ 3 or ≤ a fifth of the drop), "Last one", "Sold out". */
export function scarcity(left: number, quantity: number): { level: ScarcityLevel; text: string } {
  if (left <= 0) return { level: 'sold-out', text: 'Sold out' };
  if (left === 1) return { level: 'last', text: 'Last one' };
  const low = left <= Math.max(3, Math.ceil(quantity / 5));
  return { level: low ? 'low' : 'plenty', text: `${left} left` };
}

/** When the earliest buyer (any tier) may buy. */
function firstOpening(drop: Drop): number {
  const lead = Math.max(0, ...drop.access.map((a) => a.minutesBefore));
  return Date.parse(drop.startsAt) - lead * 60_000;
}

/**
 * The drop selling this SKU now (early access counts), else the one opening soonest;
 * cancelled drops and drops ended (beyond the clock-skew grace) are skipped.
 */
export function findLiveDrop(
  drops: readonly Drop[],
  sku: string,
  now: Date,
): { drop: Drop; item: DropItem } | null {
  const t = now.getTime();
  let best: { drop: Drop; item: DropItem; open: boolean; opens: number } | null = null;
  for (const drop of drops) {
    if (drop.status === 'cancelled' || t >= Date.parse(drop.endsAt) + CLOCK_SKEW_MS) continue;
    const item = drop.items.find((i) => i.sku === sku);
    if (!item) continue;
    // Any open drop beats any upcoming one; among equals, the one opening (or opened) first.
    const opens = firstOpening(drop);
    const open = opens <= t;
    if (!best || (open && !best.open) || (open === best.open && opens < best.opens)) {
      best = { drop, item, open, opens };
    }
  }
  return best ? { drop: best.drop, item: best.item } : null;
}
