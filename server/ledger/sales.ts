// One stored sale as the till pushed it (its accepted `sale.completed` fact) with its store's settings, for reprints.
import type { Kysely } from 'kysely';
import { type StoreSettings, storeSettingsSchema } from '../../shared/catalog';
import { type Sale, saleSchema } from '../../shared/sale';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';

export interface StoredSale {
  storeId: string;
  sale: Sale;
  store: StoreSettings;
}

/**
 * The sale fact exactly as the till recorded it, read from the event log rather than the
 * `sales` projection so a reprint shows what the customer was given. Rejected facts are not sales.
 */
export async function storedSale(db: Kysely<LedgerDb>, saleId: string): Promise<StoredSale> {
  const row = await db
    .selectFrom('events')
    .innerJoin('stores', 'stores.id', 'events.store_id')
    .select(['events.store_id', 'events.payload', 'stores.settings'])
    .where('events.id', '=', saleId)
    .where('events.type', '=', 'sale.completed')
    .where('events.status', '=', 'accepted')
    .executeTakeFirst();
  if (!row) throw notFound(`Sale ${saleId}`);
  // Both were validated on the way in; a parse failure here is a corrupt ledger and should throw.
  return {
    storeId: row.store_id,
    sale: saleSchema.parse(JSON.parse(row.payload)),
    store: storeSettingsSchema.parse(JSON.parse(row.settings)),
  };
}
