// Loads the demo store (catalog, staff, opening stock) into the ledger, once.
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { catalogSchema } from '../shared/catalog';
import type { LedgerDb } from './db/schema';
import {
  moveStock,
  upsertProducts,
  upsertStaff,
  upsertStore,
  upsertTaxClasses,
} from './ledger/admin';

export const DEMO_CATALOG = new URL('../assets/demo-catalog.json', import.meta.url);

/** Returns the demo store id; loads it only when the ledger does not have it yet. */
export async function loadDemo(
  db: Kysely<LedgerDb>,
  file: URL | string = DEMO_CATALOG,
): Promise<{ storeId: string; loaded: boolean }> {
  const catalog = catalogSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const storeId = catalog.store.storeId;
  const existing = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (existing) return { storeId, loaded: false };
  await upsertTaxClasses(db, catalog.taxClasses);
  await upsertProducts(db, catalog.products);
  for (const s of catalog.staff) await upsertStaff(db, storeId, { ...s, active: true });
  await upsertStore(db, catalog.store);
  const lines = Object.entries(catalog.stock ?? {}).map(([sku, qty]) => ({ sku, qty }));
  if (lines.length > 0)
    await moveStock(db, storeId, 'receive', lines, 'demo opening stock', 'demo');
  return { storeId, loaded: true };
}
