// Exchanges at the ledger: a sale's exchange tender names a return, and the ledger checks that what the new sale took plus what went back adds up to the return.
import type { Insertable, Transaction } from 'kysely';
import type { ParsedEvent } from '../../shared/events';
import { exactMinor } from '../../shared/money';
import type { LedgerDb } from '../db/schema';
import { closeWaitingExceptions } from './exceptions';
import type { ExceptionInput } from './write';

type Of<T extends ParsedEvent['type']> = Extract<ParsedEvent, { type: T }>;
type Db = Transaction<LedgerDb>;

export interface ExchangeContext {
  device: { id: string; storeId: string };
  receivedAt: string;
}

const n = (v: unknown) => exactMinor(v);

/**
 * Step (apply), after sales and returns are stored: record exchange tenders, and for each
 * return they (or this batch) touch check exchange credit + refund tenders = the return's
 * refundTotal. A sale naming a return the ledger does not have yet is accepted with an
 * `exchange-return-unknown` exception, closed when the return arrives and checked then.
 */
export async function applyExchanges(
  trx: Db,
  accepted: readonly ParsedEvent[],
  ctx: ExchangeContext,
): Promise<ExceptionInput[]> {
  const { storeId } = ctx.device;
  const rows: (Insertable<LedgerDb['exchange_tenders']> & { receipt: string })[] = [];
  const newSales: string[] = [];
  const newReturns: string[] = [];
  for (const e of accepted) {
    if (e.type === 'sale.completed') {
      newSales.push(e.id);
      tendersOf(e, storeId, rows);
    } else if (e.type === 'sale.returned') newReturns.push(e.id);
  }
  if (rows.length > 0)
    await trx
      .insertInto('exchange_tenders')
      .values(rows.map(({ receipt: _, ...r }) => r))
      .execute();

  // Returns to check: named by this batch's exchange tenders, stored now by this batch, or
  // naming one of this batch's sales as their exchange.
  const touched = new Set(rows.map((r) => r.return_id));
  for (const id of newReturns) touched.add(id);
  for (let i = 0; i < newSales.length; i += 500) {
    const named = await trx
      .selectFrom('returns')
      .select('id')
      .where('store_id', '=', storeId)
      .where('exchange_sale_id', 'in', newSales.slice(i, i + 500))
      .execute();
    for (const r of named) touched.add(r.id);
  }
  if (touched.size === 0) return [];
  const ids = [...touched];
  const returns = new Map<string, ReturnFigures>();
  const tenders = new Map<string, { saleId: string; amount: number; receipt: string }[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const r of await trx
      .selectFrom('returns')
      .select([
        'id',
        'return_number',
        'refund_total',
        'cash',
        'card',
        'store_credit',
        'exchange_sale_id',
      ])
      .where('store_id', '=', storeId)
      .where('id', 'in', part)
      .execute())
      returns.set(r.id, {
        returnNumber: r.return_number,
        refundTotal: n(r.refund_total),
        refunds: n(r.cash) + n(r.card) + n(r.store_credit),
        exchangeSaleId: r.exchange_sale_id,
      });
    for (const t of await trx
      .selectFrom('exchange_tenders as x')
      .leftJoin('sales as s', 's.id', 'x.sale_id')
      .select(['x.return_id', 'x.sale_id', 'x.amount', 's.receipt_number'])
      .where('x.store_id', '=', storeId)
      .where('x.return_id', 'in', part)
      .execute()) {
      const list = tenders.get(t.return_id) ?? [];
      list.push({ saleId: t.sale_id, amount: n(t.amount), receipt: t.receipt_number ?? t.sale_id });
      tenders.set(t.return_id, list);
    }
  }

  const exceptions: ExceptionInput[] = [];
  const elsewhere = await otherStores(
    trx,
    storeId,
    rows.filter((t) => !returns.has(t.return_id)).map((t) => t.return_id),
  );
  for (const t of rows) {
    if (returns.has(t.return_id)) continue;
    if (elsewhere.has(t.return_id)) {
      exceptions.push({
        kind: 'exchange-mismatch',
        message: `Sale ${t.receipt} took ${t.amount} of exchange credit from return ${t.return_id}, which belongs to another store`,
        deviceId: ctx.device.id,
        eventId: t.sale_id,
        details: { saleId: t.sale_id, returnId: t.return_id, exchange: n(t.amount) },
      });
      continue;
    }
    exceptions.push({
      kind: 'exchange-return-unknown',
      message: `Sale ${t.receipt} took ${t.amount} of exchange credit from return ${t.return_id}, which the ledger does not have yet: it may still be on an offline till`,
      deviceId: ctx.device.id,
      eventId: t.sale_id,
      details: { saleId: t.sale_id, returnId: t.return_id, amount: n(t.amount) },
    });
  }
  const arrived = newReturns.filter((id) => returns.has(id));
  await closeWaiting(trx, ctx, arrived, tenders);
  const saleKnown = await storedSales(
    trx,
    [...returns.values()].flatMap((r) => (r.exchangeSaleId ? [r.exchangeSaleId] : [])),
  );
  for (const [id, r] of returns) {
    const took = tenders.get(id) ?? [];
    // A return waiting for its exchange sale (still on the till) is checked when the sale comes.
    if (took.length === 0 && (!r.exchangeSaleId || !saleKnown.has(r.exchangeSaleId))) continue;
    const exchange = took.reduce((a, t) => a + t.amount, 0);
    if (exchange + r.refunds === r.refundTotal) continue;
    const sales = took.length ? took.map((t) => `${t.receipt} (${t.amount})`).join(', ') : 'none';
    exceptions.push({
      kind: 'exchange-mismatch',
      message: `Return ${r.returnNumber} is worth ${r.refundTotal}, but new sales took ${exchange} of it as exchange credit (${sales}) and ${r.refunds} went back in refunds: ${exchange + r.refunds} in all`,
      deviceId: ctx.device.id,
      eventId: id,
      details: {
        returnId: id,
        returnNumber: r.returnNumber,
        refundTotal: r.refundTotal,
        exchange,
        refunds: r.refunds,
        sales: took,
      },
    });
  }
  return exceptions;
}

interface ReturnFigures {
  returnNumber: string;
  refundTotal: number;
  /** Cash, card and store credit handed back. */
  refunds: number;
  exchangeSaleId: string | null;
}

function tendersOf(
  e: Of<'sale.completed'>,
  storeId: string,
  out: (Insertable<LedgerDb['exchange_tenders']> & { receipt: string })[],
): void {
  e.payload.tenders.forEach((t, i) => {
    if (t.kind !== 'exchange') return;
    out.push({
      sale_id: e.id,
      tender_no: i,
      store_id: storeId,
      return_id: t.returnId,
      amount: t.amount,
      device_id: e.payload.deviceId,
      receipt: e.payload.receiptNumber,
    });
  });
}

/** Of these return ids, those the ledger holds for another store. */
async function otherStores(trx: Db, storeId: string, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500)
    for (const r of await trx
      .selectFrom('returns')
      .select('id')
      .where('store_id', '!=', storeId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute())
      out.add(r.id);
  return out;
}

async function storedSales(trx: Db, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500)
    for (const s of await trx
      .selectFrom('sales')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute())
      out.add(s.id);
  return out;
}

/** Exchange tenders that waited for their return: now that it is here, close their exceptions. */
async function closeWaiting(
  trx: Db,
  ctx: ExchangeContext,
  returnIds: readonly string[],
  tenders: ReadonlyMap<string, { saleId: string }[]>,
): Promise<void> {
  await closeWaitingExceptions(trx, {
    kind: 'exchange-return-unknown',
    eventIds: returnIds.flatMap((id) => (tenders.get(id) ?? []).map((t) => t.saleId)),
    at: ctx.receivedAt,
    resolution: `The return arrived from ${ctx.device.id}; the exchange is checked against it.`,
    storeId: ctx.device.storeId,
  });
}
