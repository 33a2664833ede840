// Committing sales and voids: one strict transaction writes the sale, its outbox entry and the stock decrement.
import { monotonicFactory } from 'ulid';
import type { Discount, PricedCart } from '../../shared/cart';
import { formatReceiptNumber } from '../../shared/receipt-number';
import { type Sale, type SaleVoid, saleSchema, voidSchema } from '../../shared/sale';
import type { Settlement, Tender } from '../../shared/tender';
import { type Counters, getSetting, type PosDb } from './db';

export const newId = monotonicFactory();

export interface SaleDraft {
  cart: PricedCart;
  orderDiscount?: Discount;
  tenders: Tender[];
  settlement: Settlement;
  staff: { id: string; name: string };
  approvedBy?: string;
  shiftId: string;
  /** The identified member, if any. */
  memberId?: string;
}

/** Take the next event sequence number (and receipt number); call inside a transaction that includes settings. */
export async function nextCounters(db: PosDb, receipt: boolean): Promise<Counters> {
  const current = (await getSetting(db, 'counters')) ?? { receipt: 0, seq: 0 };
  const next = { receipt: current.receipt + (receipt ? 1 : 0), seq: current.seq + 1 };
  await db.settings.put({ key: 'counters', value: next });
  return next;
}

async function deviceAndStore(db: PosDb) {
  const device = await getSetting(db, 'device');
  const store = await getSetting(db, 'store');
  if (!device || !store)
    throw new Error('This till is not set up yet (no device or store settings).');
  return { device, store };
}

/**
 * Commit a paid sale. Either everything is written (sale, outbox entry, stock
 * decrement, next receipt number) or nothing is: the receipt numbers stay gap-free.
 */
export async function recordSale(db: PosDb, draft: SaleDraft, now = new Date()): Promise<Sale> {
  if (!draft.settlement.complete) throw new Error('The sale is not fully paid.');
  if (draft.cart.lines.length === 0) throw new Error('The sale has no items.');
  return db.transaction('rw', [db.settings, db.sales, db.outbox, db.stock], async () => {
    const { device, store } = await deviceAndStore(db);
    const counters = await nextCounters(db, true);
    const id = newId(now.getTime());
    const sale: Sale = saleSchema.parse({
      id,
      receiptNumber: formatReceiptNumber(device.prefix, counters.receipt),
      deviceId: device.deviceId,
      seq: counters.seq,
      shiftId: draft.shiftId,
      staffId: draft.staff.id,
      staffName: draft.staff.name,
      approvedBy: draft.approvedBy,
      createdAt: now.toISOString(),
      memberId: draft.memberId,
      currency: store.currency,
      pricesIncludeTax: store.pricesIncludeTax,
      lines: draft.cart.lines,
      orderDiscount: draft.orderDiscount,
      subtotal: draft.cart.subtotal,
      discountTotal: draft.cart.discountTotal,
      tax: draft.cart.tax,
      taxBands: draft.cart.taxBands,
      total: draft.cart.total,
      rounding: draft.settlement.rounding,
      tenders: draft.tenders,
      change: draft.settlement.change,
    });
    await db.sales.add(sale);
    await db.outbox.add({
      seq: sale.seq,
      eventId: id,
      type: 'sale.completed',
      createdAt: sale.createdAt,
      payload: sale,
    });
    const qtyBySku = new Map<string, number>();
    for (const line of sale.lines) qtyBySku.set(line.sku, (qtyBySku.get(line.sku) ?? 0) + line.qty);
    const rows = await db.stock.bulkGet([...qtyBySku.keys()]);
    await db.stock.bulkPut(
      [...qtyBySku].map(([sku, qty], i) => ({ sku, qty: (rows[i]?.qty ?? 0) - qty })),
    );
    return sale;
  });
}

/** Record a cart abandoned with items in it, for the Z report and the ledger. */
export async function recordVoid(
  db: PosDb,
  input: { cart: PricedCart; staffId: string; shiftId: string },
  now = new Date(),
): Promise<SaleVoid> {
  return db.transaction('rw', [db.settings, db.voids, db.outbox], async () => {
    const { device } = await deviceAndStore(db);
    const counters = await nextCounters(db, false);
    const id = newId(now.getTime());
    const v: SaleVoid = voidSchema.parse({
      id,
      deviceId: device.deviceId,
      seq: counters.seq,
      shiftId: input.shiftId,
      staffId: input.staffId,
      createdAt: now.toISOString(),
      itemCount: input.cart.itemCount,
      value: input.cart.total,
    });
    await db.voids.add(v);
    await db.outbox.add({
      seq: v.seq,
      eventId: id,
      type: 'sale.voided',
      createdAt: v.createdAt,
      payload: v,
    });
    return v;
  });
}
