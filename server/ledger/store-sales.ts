// Other tills' sales for returns: the recent-sales index a till pulls to find them offline, and the lookup by receipt number or sale id when online.
import type { Kysely, Transaction } from 'kysely';
import { exactMinor } from '../../shared/money';
import { type Sale, saleSchema } from '../../shared/sale';
import { RETURNED_WINDOW_DAYS, type SaleLookupResponse } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import { HttpError } from '../http/api';

type Db = Kysely<LedgerDb> | Transaction<LedgerDb>;

/**
 * The most sales one pull carries (the newest first). A sale is ~1–2 KB as the till sent it, so
 * a full pull stays under ~4 MB; older or further sales are found with the online lookup.
 */
export const MAX_PULLED_STORE_SALES = 2_000;

/**
 * Sales of the store's OTHER tills made in the last RETURNED_WINDOW_DAYS days, as their tills
 * sent them (the stored fact). `after`: the cursor's version; only sales stored by a later push
 * (a delta), or -1 for all of them (a full pull).
 */
export async function pullStoreSales(
  db: Db,
  device: { id: string; storeId: string },
  after: number,
  now: Date,
): Promise<Sale[]> {
  const cutoff = new Date(now.getTime() - RETURNED_WINDOW_DAYS * 86_400_000);
  // A business date is at most a day away from the UTC date: the index narrows, device_time decides.
  const fromDay = new Date(cutoff.getTime() - 86_400_000).toISOString().slice(0, 10);
  let q = db
    .selectFrom('sales as s')
    .innerJoin('events as e', 'e.id', 's.id')
    .select('e.payload')
    .where('s.store_id', '=', device.storeId)
    .where('s.device_id', '!=', device.id)
    .where('s.business_date', '>=', fromDay)
    .where('s.device_time', '>=', cutoff.toISOString())
    .where('e.status', '=', 'accepted');
  if (after >= 0) q = q.where('s.version', '>', after);
  const rows = await q
    .orderBy('s.device_time', 'desc')
    .orderBy('s.id', 'desc')
    .limit(MAX_PULLED_STORE_SALES)
    .execute();
  // Validated on the way in. A fact stored under an older, looser schema is left out rather than
  // failing every till's pull; the online lookup still answers for it.
  return rows.flatMap((r) => {
    const sale = saleSchema.safeParse(JSON.parse(r.payload));
    return sale.success ? [sale.data] : [];
  });
}

/**
 * A sale of the caller's store by receipt number or sale id, with what came back of it so far.
 * Unknown, or of another store: the same 404, so a till never learns of another store's sales.
 */
export async function lookupSale(
  db: Kysely<LedgerDb>,
  storeId: string,
  by: { receiptNumber: string } | { saleId: string },
): Promise<SaleLookupResponse> {
  let q = db
    .selectFrom('sales as s')
    .innerJoin('events as e', 'e.id', 's.id')
    .select(['s.id', 'e.payload'])
    .where('s.store_id', '=', storeId)
    .where('e.status', '=', 'accepted');
  q =
    'saleId' in by
      ? q.where('s.id', '=', by.saleId)
      : q.where('s.receipt_number', '=', by.receiptNumber);
  const row = await q.orderBy('s.device_time', 'desc').executeTakeFirst();
  if (!row)
    throw new HttpError(
      404,
      'not-found',
      `${'saleId' in by ? `Sale ${by.saleId}` : `Receipt ${by.receiptNumber}`} is not a sale of this store the ledger has: check the number, or the sale may still be on an offline till.`,
    );
  const sale = saleSchema.parse(JSON.parse(row.payload));
  return { sale, returnedLines: await returnedOf(db, storeId, sale.id) };
}

/** Units returned so far of each line of one sale, whatever its age. */
async function returnedOf(db: Db, storeId: string, saleId: string) {
  const rows = await db
    .selectFrom('return_lines')
    .select((eb) => ['line_no', eb.fn.sum('qty').as('qty')])
    .where('store_id', '=', storeId)
    .where('sale_id', '=', saleId)
    .groupBy('line_no')
    .orderBy('line_no')
    .execute();
  return rows.map((r) => ({ saleId, lineNo: Number(r.line_no), qty: exactMinor(r.qty) }));
}
