// The public drop snapshot per store: read from the ledger at most once a second however many phones ask (single flight), tagged by a hash of its content.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { storeSettingsSchema } from '../../shared/catalog';
import { type PublicStoreSnapshot, publicSnapshot, soldKey } from '../../shared/public-drops';
import type { LedgerDb } from '../db/schema';
import { loadDrops } from '../ledger/drop-rows';

export interface TaggedSnapshot {
  snapshot: PublicStoreSnapshot;
  json: string;
  /** A strong entity tag from the content hash: equal content, equal tag, on every ledger process. */
  etag: string;
}

/** How long one snapshot serves every request for its store. */
export const SNAPSHOT_TTL_MS = 1_000;

async function readSnapshot(
  db: Kysely<LedgerDb>,
  storeId: string,
  now: Date,
): Promise<PublicStoreSnapshot | null> {
  const store = await db
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) return null;
  const settings = storeSettingsSchema.parse(JSON.parse(store.settings));
  // Ended drops fall off the page; a day's grace keeps a drop that ends now in the query.
  const horizon = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
  const rows = await db
    .selectFrom('drops')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('status', '!=', 'cancelled')
    .where('ends_at', '>', horizon)
    .execute();
  const drops = await loadDrops(db, rows);
  const ids = drops.map((d) => d.id);
  const skus = [...new Set(drops.flatMap((d) => d.items.map((i) => i.sku)))];
  const sold = new Map<string, number>();
  if (ids.length) {
    const soldRows = await db
      .selectFrom('sale_lines')
      .select((eb) => ['drop_id', 'sku', eb.fn.sum<number | string>('qty').as('sold')])
      .where('drop_id', 'in', ids)
      .groupBy(['drop_id', 'sku'])
      .execute();
    for (const r of soldRows) if (r.drop_id) sold.set(soldKey(r.drop_id, r.sku), Number(r.sold));
  }
  const products = new Map<string, { name: string; price: number }>();
  if (skus.length) {
    const productRows = await db
      .selectFrom('products')
      .select(['sku', 'name', 'price'])
      .where('sku', 'in', skus)
      .execute();
    for (const p of productRows) products.set(p.sku, { name: p.name, price: Number(p.price) });
  }
  return publicSnapshot(
    {
      store: {
        storeId,
        name: settings.name,
        currency: settings.currency,
        locale: settings.locale,
        timeZone: settings.timeZone,
        returnsPromise: settings.returnsPromise ?? '',
        shippingPromise: settings.shippingPromise ?? '',
      },
      drops,
      sold,
      products,
    },
    now,
  );
}

export const etagOf = (text: string) =>
  `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`;

interface Entry {
  at: number;
  value: TaggedSnapshot | null;
  pending: Promise<TaggedSnapshot | null> | null;
}

/**
 * Snapshots per store. A request within a second of the last read gets it as it is; the first
 * one after that starts one read that every request arriving meanwhile awaits, so the database
 * sees at most one read per store and second from this process, however big the crowd.
 */
export function createSnapshotCache(
  db: Kysely<LedgerDb>,
  now: () => Date,
  onCompute: () => void = () => {},
) {
  const entries = new Map<string, Entry>();
  const refresh = (storeId: string, entry: Entry) => {
    const started = now();
    onCompute();
    const pending = readSnapshot(db, storeId, started)
      .then((snapshot) => {
        const value = snapshot
          ? (() => {
              const json = JSON.stringify(snapshot);
              return { snapshot, json, etag: etagOf(json) };
            })()
          : null;
        entry.value = value;
        entry.at = started.getTime();
        return value;
      })
      .finally(() => {
        entry.pending = null;
      });
    entry.pending = pending;
    return pending;
  };
  return {
    /** The store's snapshot, at most about a second old; null for a store the ledger does not have. */
    async get(storeId: string): Promise<TaggedSnapshot | null> {
      let entry = entries.get(storeId);
      if (!entry) {
        // Unknown ids are remembered too (as null), so a flood of made-up stores costs one read each per second.
        if (entries.size > 10_000) entries.clear();
        entry = { at: 0, value: null, pending: null };
        entries.set(storeId, entry);
      }
      if (entry.pending) return entry.pending;
      if (now().getTime() - entry.at < SNAPSHOT_TTL_MS) return entry.value;
      return refresh(storeId, entry);
    },
  };
}

export type SnapshotCache = ReturnType<typeof createSnapshotCache>;
