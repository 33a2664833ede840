// What a receipt needs from the till's returns: a sale's returns (for its reprint) and a return's sale, credit notes, exchange and approver.
import type { ReturnReceiptExtras } from '../../../shared/return-receipt';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import type { PosDb } from '../../db/db';

/** The sale's returns recorded on this till, oldest first. Reads Dexie only (usable inside useLiveQuery). */
export function saleReturns(db: PosDb, saleId: string): Promise<SaleReturn[]> {
  return db.returns.where('saleId').equals(saleId).sortBy('createdAt');
}

/** The sale a return came from: this till's own, or another till's the till pulled or looked up. */
export async function returnedSale(db: PosDb, ret: SaleReturn): Promise<Sale | undefined> {
  return (await db.sales.get(ret.saleId)) ?? (await db.storeSales.get(ret.saleId));
}

/** The names and codes the return fact holds only by id: each credit note's signed QR, the exchange sale's number, the approver. */
export async function returnReceiptExtras(
  db: PosDb,
  ret: SaleReturn,
): Promise<ReturnReceiptExtras> {
  const codes = ret.refunds.flatMap((t) => (t.kind === 'store-credit' ? [t.code] : []));
  const [notes, exchange, approver] = await Promise.all([
    db.creditIssued.bulkGet(codes),
    ret.exchangeSaleId ? db.sales.get(ret.exchangeSaleId) : undefined,
    ret.override ? db.staff.get(ret.override.approvedBy) : undefined,
  ]);
  return {
    creditNotes: notes.flatMap((n) => (n ? [{ code: n.code, qr: n.qr }] : [])),
    ...(exchange ? { exchangeReceiptNumber: exchange.receiptNumber } : {}),
    ...(approver ? { approverName: approver.name } : {}),
  };
}
