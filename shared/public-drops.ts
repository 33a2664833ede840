// The public drop page's snapshot: what a customer's phone may see of a store's drops (schemas and the pure builder; no member, sale or till data).
import { z } from 'zod';
import { idTextSchema } from './bounds';
import { currentStep, type Drop, dropPhase, nextChange } from './drops';
import { EVERYONE } from './members';
import { type Minor, minorSchema } from './money';

const isoTime = z.iso.datetime();

export const publicDropItemSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().min(0),
  /** Units not sold yet across every till (0 when sold out, never below). */
  left: z.number().int().min(0),
  /** The price of the next unit, in minor units, and the ladder step it comes from. */
  price: minorSchema.nonnegative(),
  stepLabel: z.string(),
  /** When the next unit's price changes: after so many more units sell and/or at a time; null when final. */
  priceChanges: z
    .object({ afterUnits: z.number().int().optional(), at: isoTime.optional() })
    .nullable(),
  /** The price after the change (the next ladder step), when there is one. */
  nextPrice: minorSchema.nonnegative().nullable(),
});
export type PublicDropItem = z.infer<typeof publicDropItemSchema>;

export const publicDropSchema = z.object({
  id: z.string(),
  name: z.string(),
  phase: z.enum(['upcoming', 'early', 'live']),
  startsAt: isoTime,
  endsAt: isoTime,
  /** When each access tier may buy, earliest first; the last entry is everyone at the start. */
  opens: z.array(z.object({ tier: z.string(), at: isoTime })),
  next: z.object({ at: isoTime, what: z.enum(['early-access', 'opens', 'closes']) }).nullable(),
  /** null: no restock. */
  restockAt: isoTime.nullable(),
  perCustomerLimit: z.number().int().positive().nullable(),
  items: z.array(publicDropItemSchema),
});
export type PublicDrop = z.infer<typeof publicDropSchema>;

export const publicStoreSnapshotSchema = z.object({
  storeId: z.string(),
  name: z.string(),
  currency: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  returnsPromise: z.string(),
  shippingPromise: z.string(),
  drops: z.array(publicDropSchema),
});
export type PublicStoreSnapshot = z.infer<typeof publicStoreSnapshotSchema>;

/** What the live channel (SSE or polling) sends: units left per drop item, and the snapshot's tag. */
export const publicCountsSchema = z.object({
  etag: z.string(),
  left: z.array(z.object({ dropId: z.string(), sku: z.string(), left: z.number().int().min(0) })),
});
export type PublicCounts = z.infer<typeof publicCountsSchema>;

export const publicStoreParamsSchema = z.object({ storeId: idTextSchema });
export const publicDropParamsSchema = z.object({
  storeId: idTextSchema,
  dropId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/, 'Not a drop id'),
});

/** At most this many drops on the page: the live ones first, then the soonest. */
export const MAX_PUBLIC_DROPS = 20;

export interface PublicSnapshotInput {
  store: {
    storeId: string;
    name: string;
    currency: string;
    locale: string;
    timeZone: string;
    returnsPromise: string;
    shippingPromise: string;
  };
  drops: readonly Drop[];
  /** Units sold per drop item across every till, by `${dropId}|${sku}`. */
  sold: ReadonlyMap<string, number>;
  products: ReadonlyMap<string, { name: string; price: Minor }>;
}

export const soldKey = (dropId: string, sku: string) => `${dropId}|${sku}`;

function publicItem(
  drop: Drop,
  item: Drop['items'][number],
  input: PublicSnapshotInput,
  now: Date,
) {
  const product = input.products.get(item.sku);
  const sold = input.sold.get(soldKey(drop.id, item.sku)) ?? 0;
  const step = currentStep(item, product?.price ?? 0, drop.startsAt, sold, now);
  const following = step.changes ? item.ladder[step.step + 1] : undefined;
  return {
    sku: item.sku,
    name: product?.name ?? item.sku,
    quantity: item.quantity,
    left: Math.max(0, item.quantity - sold),
    price: step.price,
    stepLabel: step.label,
    priceChanges: step.changes,
    nextPrice: step.changes ? (following?.price ?? product?.price ?? null) : null,
  };
}

/**
 * The store's live and coming drops as the public may see them at `now`. Nothing here depends
 * on `now` except at the drop's own boundaries (phase, ladder minutes), so the same data gives
 * the same snapshot from one second to the next and its tag stays put.
 */
export function publicSnapshot(input: PublicSnapshotInput, now: Date): PublicStoreSnapshot {
  const shown = input.drops
    .map((drop) => ({ drop, phase: dropPhase(drop, now) }))
    .filter(
      (d): d is { drop: Drop; phase: 'upcoming' | 'early' | 'live' } =>
        d.phase === 'upcoming' || d.phase === 'early' || d.phase === 'live',
    )
    .sort(
      (a, b) =>
        Number(b.phase === 'live') - Number(a.phase === 'live') ||
        Date.parse(a.drop.startsAt) - Date.parse(b.drop.startsAt) ||
        a.drop.id.localeCompare(b.drop.id),
    )
    .slice(0, MAX_PUBLIC_DROPS);
  return {
    ...input.store,
    drops: shown.map(({ drop, phase }) => ({
      id: drop.id,
      name: drop.name,
      phase,
      startsAt: drop.startsAt,
      endsAt: drop.endsAt,
      opens: [
        ...drop.access
          .filter((a) => a.minutesBefore > 0)
          .map((a) => ({
            tier: a.tier,
            at: new Date(Date.parse(drop.startsAt) - a.minutesBefore * 60_000).toISOString(),
          }))
          .sort((a, b) => a.at.localeCompare(b.at)),
        { tier: EVERYONE, at: drop.startsAt },
      ],
      next: nextChange(drop, now),
      restockAt: drop.restockAt,
      perCustomerLimit: drop.perCustomerLimit,
      items: drop.items.map((item) => publicItem(drop, item, input, now)),
    })),
  };
}

/** The counts the live channel sends for a snapshot. */
export function publicCounts(snapshot: PublicStoreSnapshot, etag: string): PublicCounts {
  return {
    etag,
    left: snapshot.drops.flatMap((d) =>
      d.items.map((i) => ({ dropId: d.id, sku: i.sku, left: i.left })),
    ),
  };
}
