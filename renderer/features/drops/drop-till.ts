// The till's side of the drop rules: stock figures from local data, the cart's drop guard, and what a strip or tile shows.
import type { CartLine } from '../../../shared/cart';
import { dropStock } from '../../../shared/drop-cart';
import {
  checkDropSale,
  currentStep,
  type Drop,
  type DropItem,
  type DropStock,
  dropPhase,
  findLiveDrop,
  formatDropTime,
  leftHere,
  leftOverall,
  nextChange,
  scarcity,
} from '../../../shared/drops';
import type { Member } from '../../../shared/members';
import { type DropData, memberKey } from '../../db/drops-repo';
import type { DropGuard } from '../../state/cart';

/** The drop rules' view of an item's stock on this till (the same figures a sale's commit checks). */
export const stockOf: (data: DropData, drop: Drop, item: DropItem) => DropStock = dropStock;

const unitsIn = (lines: readonly CartLine[], test: (l: CartLine) => boolean) =>
  lines.filter(test).reduce((n, l) => n + l.qty, 0);

/** The cart's drop guard over the data loaded now: `qty` more units on top of the cart's `lines`. */
export function makeDropGuard(
  data: DropData,
  member: Member | null,
  timeZone: string,
  now: () => Date,
): DropGuard {
  return {
    check(product, qty, lines, memberId) {
      const at = now();
      const found = findLiveDrop(data.drops, product.sku, at);
      if (!found) return null;
      const { drop, item } = found;
      const who = member && member.id === memberId ? member : null;
      const result = checkDropSale({
        drop,
        item,
        shelfPrice: data.products.get(item.sku)?.price ?? product.price,
        now: at,
        member: who ? { id: who.id, tiers: who.tiers, name: who.name } : null,
        stock: stockOf(data, drop, item),
        inCartItem: unitsIn(lines, (l) => l.drop?.dropId === drop.id && l.sku === item.sku),
        inCartDrop: unitsIn(lines, (l) => l.drop?.dropId === drop.id),
        boughtByMember: who ? (data.boughtByMember.get(memberKey(drop.id, who.id)) ?? 0) : 0,
        qty,
        timeZone,
      });
      if (!result.ok) return { ok: false, message: result.message };
      return {
        ok: true,
        units: result.units.map((u) => ({
          dropId: drop.id,
          tier: result.tier,
          step: u.step,
          price: u.price,
          fastFulfilment: u.fastFulfilment,
          qty: u.qty,
        })),
      };
    },
  };
}

export interface ItemStatus {
  sku: string;
  name: string;
  here: number;
  overall: number;
  scarcity: ReturnType<typeof scarcity>;
  price: number;
  /** The ladder step's label; empty when the item sells at its shelf price (no ladder). */
  stepLabel: string;
  fastFulfilment: boolean;
  /** When the price moves on: after so many more units, or at a time. */
  changes: { afterUnits?: number; at?: string } | null;
}

/** What the till shows about one drop item now, counting the units already in the cart. */
export function itemStatus(
  data: DropData,
  drop: Drop,
  item: DropItem,
  lines: readonly CartLine[],
  now: Date,
): ItemStatus {
  const stock = stockOf(data, drop, item);
  const inCart = unitsIn(lines, (l) => l.drop?.dropId === drop.id && l.sku === item.sku);
  const product = data.products.get(item.sku);
  const here = Math.max(0, leftHere(stock) - inCart);
  const overall = Math.max(0, leftOverall(stock) - inCart);
  const step = currentStep(
    item,
    product?.price ?? 0,
    drop.startsAt,
    stock.soldOverall + stock.unsyncedHere + inCart,
    now,
  );
  return {
    sku: item.sku,
    name: product?.name ?? item.sku,
    here,
    overall,
    scarcity: scarcity(Math.min(here, overall), item.quantity),
    price: step.price,
    stepLabel: step.step < 0 ? '' : step.label,
    fastFulfilment: step.fastFulfilment,
    changes: step.changes,
  };
}

/** Drops a till shows: live or in early access first, then the next ones to open (cancelled and ended left out). */
export function showableDrops(drops: readonly Drop[], now: Date, upcoming = 2): Drop[] {
  const phaseOf = (d: Drop) => dropPhase(d, now);
  const live = drops.filter((d) => ['live', 'early'].includes(phaseOf(d)));
  const next = drops
    .filter((d) => phaseOf(d) === 'upcoming')
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .slice(0, upcoming);
  return [...live.sort((a, b) => a.endsAt.localeCompare(b.endsAt)), ...next];
}

/** "18:30" in the store's time zone (with the day when it is not within a day). */
export function storeTime(iso: string, timeZone: string, now: Date): string {
  return formatDropTime(iso, now, timeZone);
}

/** A countdown a shopper reads at a glance: "4:05", "1 h 12 min", "3 days". */
export function countdown(toIso: string, now: Date): string {
  const s = Math.max(0, Math.floor((Date.parse(toIso) - now.getTime()) / 1000));
  if (s >= 2 * 86_400) return `${Math.floor(s / 86_400)} days`;
  if (s >= 3_600)
    return `${Math.floor(s / 3_600)} h ${String(Math.floor((s % 3_600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "Opens to members in 4:05", "Closes in 12:00": the drop's next change, in words. */
export function nextChangeText(drop: Drop, now: Date): string | null {
  const change = nextChange(drop, now);
  if (!change) return null;
  const inTime = countdown(change.at, now);
  if (change.what === 'early-access') {
    const tiers = drop.access.map((a) => a.tier).join(', ');
    return `Opens to ${tiers || 'members'} in ${inTime}`;
  }
  return change.what === 'opens' ? `Opens to everyone in ${inTime}` : `Closes in ${inTime}`;
}

/** "restock: none" or "restock: Fri 12 Dec 10:00". */
export function restockText(drop: Drop, timeZone: string, now: Date): string {
  return `restock: ${drop.restockAt ? storeTime(drop.restockAt, timeZone, now) : 'none'}`;
}
