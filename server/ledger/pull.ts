// What a till pulls: a full snapshot of its store, or only what changed since its cursor.
import type { Kysely } from 'kysely';
import { type StoreSettings, storeSettingsSchema } from '../../shared/catalog';
import type { PullResponse } from '../../shared/sync';
import { currentVersion } from '../db/database';
import type { LedgerDb } from '../db/schema';
import { pullCreditNotes } from './credit-notes';
import { pullDrops } from './drops';
import { memberKeyOf } from './member-keys';
import { pullPromos } from './promo';
import { returnedLines } from './returns-report';
import { pullStoreSales } from './store-sales';

/** Cursors older than this get a full snapshot rather than a long trail of changes. */
const CURSOR_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

function encodeCursor(version: number, at: Date): string {
  return `v1.${version}.${at.getTime()}`;
}

function decodeCursor(cursor: string | undefined, current: number, now: Date): number | null {
  const m = cursor ? /^v1\.(\d+)\.(\d+)$/.exec(cursor) : null;
  if (!m) return null;
  const version = Number(m[1]);
  const issued = Number(m[2]);
  // A cursor from the future (the ledger was restored from a backup) or too old: start again.
  if (version > current || now.getTime() - issued > CURSOR_MAX_AGE_MS) return null;
  return version;
}

export async function pull(
  db: Kysely<LedgerDb>,
  device: { id: string; storeId: string },
  cursor: string | undefined,
  now: Date = new Date(),
): Promise<PullResponse> {
  // One transaction: the version and the rows come from the same snapshot.
  return db.transaction().execute(async (trx) => {
    const version = await currentVersion(trx);
    const since = decodeCursor(cursor, version, now);
    const full = since === null;
    const after = since ?? -1;

    const store = await trx
      .selectFrom('stores')
      .select(['settings', 'version'])
      .where('id', '=', device.storeId)
      .executeTakeFirst();
    const taxClasses = await trx
      .selectFrom('tax_classes')
      .selectAll()
      .where('version', '>', after)
      .execute();
    let products = trx.selectFrom('products').selectAll().where('version', '>', after);
    if (full) products = products.where('active', '=', 1);
    let staff = trx
      .selectFrom('staff')
      .selectAll()
      .where('store_id', '=', device.storeId)
      .where('version', '>', after);
    if (full) staff = staff.where('active', '=', 1);
    const stock = await trx
      .selectFrom('stock_levels')
      .select(['sku', 'qty'])
      .where('store_id', '=', device.storeId)
      .where('version', '>', after)
      .execute();
    const dev = await trx
      .selectFrom('devices')
      .select('watermark')
      .where('id', '=', device.id)
      .executeTakeFirst();
    const drops = await pullDrops(trx, device, after, now);
    const promos = await pullPromos(trx, device, after, now);
    const returned = await returnedLines(trx, device.storeId, now);
    const memberKey = await memberKeyOf(trx, device.storeId, now);
    await trx
      .updateTable('devices')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', device.id)
      .execute();

    return {
      cursor: encodeCursor(version, now),
      full,
      store:
        store && (full || Number(store.version) > after)
          ? (storeSettingsSchema.parse(JSON.parse(store.settings)) as StoreSettings)
          : null,
      taxClasses: taxClasses.map((t) => ({ id: t.id, name: t.name, ratePpm: Number(t.rate_ppm) })),
      products: (await products.execute()).map((p) => ({
        sku: p.sku,
        name: p.name,
        price: Number(p.price),
        taxClassId: p.tax_class_id,
        category: p.category,
        barcodes: JSON.parse(p.barcodes) as string[],
        active: p.active === 1,
        ...(p.drop_name ? { drop: p.drop_name } : {}),
        ...(p.image ? { image: p.image } : {}),
      })),
      staff: (await staff.execute()).map((s) => ({
        id: s.id,
        name: s.name,
        role: s.role as 'cashier' | 'lead' | 'manager',
        pinHash: s.pin_hash,
        active: s.active === 1,
      })),
      stock: stock.map((s) => ({ sku: s.sku, qty: Number(s.qty) })),
      ...drops,
      memberKey,
      ...promos,
      returnedLines: returned,
      creditNotes: await pullCreditNotes(trx, device.storeId, now),
      storeSales: await pullStoreSales(trx, device, after, now),
      watermark: Number(dev?.watermark ?? 0),
    };
  });
}
