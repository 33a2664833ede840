// Returns at the ledger: judging each sale.returned fact against its sale, storing it, stock and allotments back, and the over-returned check.
import type { Insertable, Kysely, Transaction } from 'kysely';
import { businessDate } from '../../shared/business-day';
import type { ParsedEvent } from '../../shared/events';
import type { SaleReturn } from '../../shared/returns/return-fact';
import type { Sale } from '../../shared/sale';
import type { LedgerDb } from '../db/schema';
import { changeAllotment } from './allotments';
import { closeWaitingExceptions } from './exceptions';
import type { ExceptionInput, Movement } from './write';

type Of<T extends ParsedEvent['type']> = Extract<ParsedEvent, { type: T }>;
type Db = Kysely<LedgerDb> | Transaction<LedgerDb>;

/** What the ledger knows of one line of a sale. */
interface SoldLine {
  sku: string;
  qty: number;
  /** What was paid for the line: after line and order discounts, with tax. */
  total: number;
  dropId: string | null;
  accessTier: string | null;
}

/** A sale as the judge sees it: its store and its lines by line number (1-based). */
interface KnownSale {
  storeId: string;
  lines: Map<number, SoldLine>;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The most a refund of `qty` of a line's `sold` units may be: the line's total pro-rated, rounded
 * up, because an even split of the total (allocate) gives some units one minor unit more.
 */
export function refundCap(line: { qty: number; total: number }, qty: number): number {
  if (qty >= line.qty) return line.total;
  return Math.ceil((line.total * qty) / line.qty);
}

/** The lines of sales named by returns: stored ones (any store, to tell "another store's" apart) and this batch's. */
async function knownSales(
  db: Db,
  saleIds: readonly string[],
  batchSales: ReadonlyArray<{ storeId: string; sale: Sale }>,
): Promise<Map<string, KnownSale>> {
  const out = new Map<string, KnownSale>();
  for (const { storeId, sale } of batchSales) {
    out.set(sale.id, {
      storeId,
      lines: new Map(
        sale.lines.map((l, i) => [
          i + 1,
          {
            sku: l.sku,
            qty: l.qty,
            total: l.total,
            dropId: l.drop?.dropId ?? null,
            accessTier: l.drop?.tier ?? null,
          },
        ]),
      ),
    });
  }
  const wanted = saleIds.filter((id) => !out.has(id));
  for (let i = 0; i < wanted.length; i += 500) {
    const ids = wanted.slice(i, i + 500);
    const sales = await db
      .selectFrom('sales')
      .select(['id', 'store_id'])
      .where('id', 'in', ids)
      .execute();
    for (const s of sales) out.set(s.id, { storeId: s.store_id, lines: new Map() });
    const lines = await db
      .selectFrom('sale_lines')
      .select(['sale_id', 'line_no', 'sku', 'qty', 'total', 'drop_id', 'access_tier'])
      .where('sale_id', 'in', ids)
      .execute();
    for (const l of lines)
      out.get(l.sale_id)?.lines.set(Number(l.line_no), {
        sku: l.sku,
        qty: Number(l.qty),
        total: Number(l.total),
        dropId: l.drop_id,
        accessTier: l.access_tier,
      });
  }
  return out;
}

/** Why a return's own money does not add up, or null. Needs no sale. */
function moneyRefusal(r: SaleReturn): string | null {
  const lines = sum(r.lines.map((l) => l.refund));
  if (lines !== r.refundTotal)
    return `refundTotal is ${r.refundTotal} but the lines' refunds add up to ${lines}`;
  const tenders = sum(r.refunds.map((t) => t.amount));
  if (r.exchangeSaleId === undefined && tenders !== r.refundTotal)
    return `refunds (tenders) add up to ${tenders} but refundTotal is ${r.refundTotal}`;
  if (r.exchangeSaleId !== undefined && tenders > r.refundTotal)
    return `refunds (tenders) add up to ${tenders}, more than refundTotal ${r.refundTotal} of the exchange`;
  return null;
}

/** Why a return does not fit the sale it names, or null. */
function saleRefusal(r: SaleReturn, sale: KnownSale): string | null {
  const qtyByLine = new Map<number, number>();
  const refundByLine = new Map<number, number>();
  for (const [i, l] of r.lines.entries()) {
    const sold = sale.lines.get(l.lineNo);
    if (!sold)
      return `lines.${i}.lineNo: line ${l.lineNo} is not in sale ${r.saleId} (it has ${sale.lines.size} lines)`;
    if (sold.sku !== l.sku)
      return `lines.${i}.sku: line ${l.lineNo} of sale ${r.saleId} sold ${sold.sku}, not ${l.sku}`;
    qtyByLine.set(l.lineNo, (qtyByLine.get(l.lineNo) ?? 0) + l.qty);
    refundByLine.set(l.lineNo, (refundByLine.get(l.lineNo) ?? 0) + l.refund);
  }
  for (const [lineNo, qty] of qtyByLine) {
    const sold = sale.lines.get(lineNo)!;
    if (qty > sold.qty)
      return `lines.qty: returns ${qty} of line ${lineNo} (${sold.sku}) but sale ${r.saleId} sold ${sold.qty}`;
    const refund = refundByLine.get(lineNo) ?? 0;
    const cap = refundCap(sold, qty);
    if (refund > cap)
      return `lines.refund: ${refund} for ${qty} of line ${lineNo} (${sold.sku}) is more than the ${cap} paid for them`;
  }
  return null;
}

/**
 * Step (judge): why each return cannot be accepted, by event id. A sale of another store is
 * refused; a sale the ledger does not hold yet is not (see docs/sync-rules.md "Returns").
 */
export async function judgeReturns(
  db: Db,
  storeId: string,
  returns: ReadonlyArray<{ id: string; payload: SaleReturn }>,
  batchSales: readonly Sale[],
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (returns.length === 0) return reasons;
  const sales = await knownSales(
    db,
    [...new Set(returns.map((r) => r.payload.saleId))],
    batchSales.map((sale) => ({ storeId, sale })),
  );
  for (const { id, payload } of returns) {
    const sale = sales.get(payload.saleId);
    const reason =
      moneyRefusal(payload) ??
      (sale && sale.storeId !== storeId
        ? `sale ${payload.saleId} belongs to another store`
        : sale
          ? saleRefusal(payload, sale)
          : null);
    if (reason) reasons.set(id, `the return does not add up: ${reason}`);
  }
  return reasons;
}

export interface ReturnContext {
  device: { id: string; storeId: string };
  timeZone: string;
  receivedAt: string;
  version: number;
}

/**
 * Step (apply): store the accepted returns, put resaleable units back in stock (and drop units
 * back in the returning till's allotment while the drop runs), write damaged units off, link
 * returns that waited for these sales, and flag lines returned more often than sold.
 */
export async function applyReturns(
  trx: Transaction<LedgerDb>,
  accepted: readonly ParsedEvent[],
  newSaleIds: readonly string[],
  ctx: ReturnContext,
): Promise<{ movements: Movement[]; exceptions: ExceptionInput[] }> {
  const returns = accepted.filter((e): e is Of<'sale.returned'> => e.type === 'sale.returned');
  const movements: Movement[] = [];
  const exceptions: ExceptionInput[] = [];
  const touched = new Set<string>();
  if (returns.length > 0) {
    const sales = await knownSales(trx, [...new Set(returns.map((r) => r.payload.saleId))], []);
    const rows: Insertable<LedgerDb['returns']>[] = [];
    const lineRows: Insertable<LedgerDb['return_lines']>[] = [];
    for (const e of returns) {
      const r = e.payload;
      const sale = sales.get(r.saleId);
      rows.push(returnRow(r, sale !== undefined, ctx));
      if (!sale)
        exceptions.push({
          kind: 'return-sale-unknown',
          message: `Return ${r.returnNumber} is of sale ${r.saleReceiptNumber} (${r.saleId}), which the ledger does not have yet: it may still be on an offline till`,
          deviceId: ctx.device.id,
          eventId: e.id,
          details: {
            saleId: r.saleId,
            receiptNumber: r.saleReceiptNumber,
            returnNumber: r.returnNumber,
          },
        });
      for (const l of r.lines) {
        const sold = sale?.lines.get(l.lineNo);
        lineRows.push({
          return_id: r.id,
          store_id: ctx.device.storeId,
          sale_id: r.saleId,
          line_no: l.lineNo,
          sku: l.sku,
          qty: l.qty,
          reason: l.reason,
          condition: l.condition,
          refund: l.refund,
          method: l.method,
          drop_id: sold?.dropId ?? null,
          access_tier: sold?.accessTier ?? null,
          device_time: r.createdAt,
        });
        movements.push(...stockBack(e.id, l));
        touched.add(`${r.saleId} ${l.lineNo}`);
      }
    }
    await insertRows(trx, rows, lineRows);
    await allotBack(trx, lineRows, ctx);
  }
  for (const link of await linkWaiting(trx, ctx, newSaleIds)) {
    touched.add(link);
  }
  exceptions.push(...(await overReturned(trx, ctx, touched)));
  return { movements, exceptions };
}

function returnRow(
  r: SaleReturn,
  known: boolean,
  ctx: ReturnContext,
): Insertable<LedgerDb['returns']> {
  const by = (kind: string) => sum(r.refunds.filter((t) => t.kind === kind).map((t) => t.amount));
  return {
    id: r.id,
    store_id: ctx.device.storeId,
    device_id: r.deviceId,
    sale_id: r.saleId,
    sale_known: known ? 1 : 0,
    return_number: r.returnNumber,
    sale_receipt_number: r.saleReceiptNumber,
    shift_id: r.shiftId,
    staff_id: r.staffId,
    device_time: r.createdAt,
    received_at: ctx.receivedAt,
    business_date: businessDate(r.createdAt, ctx.timeZone),
    refund_total: r.refundTotal,
    cash: by('cash'),
    card: by('card'),
    store_credit: by('store-credit'),
    tenders: JSON.stringify(r.refunds),
    item_count: sum(r.lines.map((l) => l.qty)),
    exchange_sale_id: r.exchangeSaleId ?? null,
    override_by: r.override?.approvedBy ?? null,
    override_reason: r.override?.reason ?? null,
  };
}

async function insertRows(
  trx: Transaction<LedgerDb>,
  rows: Insertable<LedgerDb['returns']>[],
  lines: Insertable<LedgerDb['return_lines']>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('returns')
      .values(rows.slice(i, i + 500))
      .execute();
  for (let i = 0; i < lines.length; i += 1_000)
    await trx
      .insertInto('return_lines')
      .values(lines.slice(i, i + 1_000))
      .execute();
}

/**
 * Units come back to stock; damaged ones are written off at once, so the shelf figure never
 * counts them but the movement log shows both what came back and why it left again.
 */
function stockBack(ref: string, l: SaleReturn['lines'][number]): Movement[] {
  const back: Movement = {
    sku: l.sku,
    delta: l.qty,
    kind: 'return',
    ref,
    note: `returned: ${l.reason}`,
  };
  if (l.condition === 'resaleable') return [back];
  return [
    back,
    {
      sku: l.sku,
      delta: -l.qty,
      kind: 'adjustment',
      ref,
      note: `written off: damaged (${l.reason})`,
    },
  ];
}

/** Resaleable drop units go back to the returning till's allotment while the drop has not ended. */
async function allotBack(
  trx: Transaction<LedgerDb>,
  lines: readonly Insertable<LedgerDb['return_lines']>[],
  ctx: ReturnContext,
): Promise<void> {
  const drop = lines.filter((l) => l.drop_id && l.condition === 'resaleable');
  if (drop.length === 0) return;
  const live = await trx
    .selectFrom('drops')
    .select('id')
    .where('id', 'in', [...new Set(drop.map((l) => l.drop_id!))])
    .where('store_id', '=', ctx.device.storeId)
    .where('status', '=', 'scheduled')
    .where('ends_at', '>', ctx.receivedAt)
    .execute();
  const running = new Set(live.map((d) => d.id));
  for (const l of drop) {
    if (!running.has(l.drop_id!)) continue;
    const change = {
      dropId: l.drop_id!,
      sku: l.sku,
      deviceId: ctx.device.id,
      delta: Number(l.qty),
    };
    await changeAllotment(trx, change, 'return', ctx.device.id, ctx.version, ctx.receivedAt);
  }
}

/**
 * Returns stored before their sale reached the ledger: now that it has, mark them known, copy the
 * sale line's drop onto their lines, and close the `return-sale-unknown` exception. Returns the
 * (sale, line) keys to check for over-returns.
 */
async function linkWaiting(
  trx: Transaction<LedgerDb>,
  ctx: ReturnContext,
  saleIds: readonly string[],
): Promise<string[]> {
  if (saleIds.length === 0) return [];
  const keys: string[] = [];
  for (let i = 0; i < saleIds.length; i += 500) {
    const ids = saleIds.slice(i, i + 500);
    const waiting = await trx
      .selectFrom('returns')
      .select(['id', 'sale_id'])
      .where('store_id', '=', ctx.device.storeId)
      .where('sale_known', '=', 0)
      .where('sale_id', 'in', ids)
      .execute();
    if (waiting.length === 0) continue;
    const returnIds = waiting.map((w) => w.id);
    await trx.updateTable('returns').set({ sale_known: 1 }).where('id', 'in', returnIds).execute();
    const lines = await trx
      .selectFrom('return_lines as r')
      .innerJoin('sale_lines as s', (j) =>
        j.onRef('s.sale_id', '=', 'r.sale_id').onRef('s.line_no', '=', 'r.line_no'),
      )
      .select(['r.return_id', 'r.sale_id', 'r.line_no', 's.drop_id', 's.access_tier'])
      .where('r.return_id', 'in', returnIds)
      .execute();
    for (const l of lines) {
      keys.push(`${l.sale_id} ${l.line_no}`);
      if (l.drop_id)
        await trx
          .updateTable('return_lines')
          .set({ drop_id: l.drop_id, access_tier: l.access_tier })
          .where('return_id', '=', l.return_id)
          .where('line_no', '=', l.line_no)
          .execute();
    }
    await closeWaitingExceptions(trx, {
      kind: 'return-sale-unknown',
      eventIds: returnIds,
      at: ctx.receivedAt,
      resolution: `The sale arrived from ${ctx.device.id}; the return is linked to it.`,
    });
  }
  return keys;
}

/** An `over-returned` exception for each (sale, line) whose returns across all tills now exceed what it sold. */
async function overReturned(
  trx: Transaction<LedgerDb>,
  ctx: ReturnContext,
  touched: ReadonlySet<string>,
): Promise<ExceptionInput[]> {
  if (touched.size === 0) return [];
  const saleIds = [...new Set([...touched].map((k) => k.split(' ')[0]!))];
  const exceptions: ExceptionInput[] = [];
  const returned = await trx
    .selectFrom('return_lines as l')
    .innerJoin('returns as r', 'r.id', 'l.return_id')
    .select([
      'l.sale_id',
      'l.line_no',
      'l.sku',
      'l.qty',
      'l.refund',
      'r.id',
      'r.return_number',
      'r.sale_receipt_number',
      'r.device_id',
    ])
    .where('l.sale_id', 'in', saleIds)
    .where('l.store_id', '=', ctx.device.storeId)
    .orderBy('r.device_time')
    .orderBy('r.id')
    .execute();
  const sold = await knownSales(trx, saleIds, []);
  // The manager reads the receipt number and the product's name, not ids.
  const skus = [...new Set(returned.map((r) => r.sku))];
  const names = new Map(
    skus.length === 0
      ? []
      : (
          await trx
            .selectFrom('products')
            .select(['sku', 'name'])
            .where('sku', 'in', skus)
            .execute()
        ).map((p) => [p.sku, p.name]),
  );
  for (const key of touched) {
    const [saleId, lineNoText] = key.split(' ') as [string, string];
    const line = sold.get(saleId)?.lines.get(Number(lineNoText));
    if (!line) continue;
    const of = returned.filter(
      (r) => r.sale_id === saleId && Number(r.line_no) === Number(lineNoText),
    );
    const qty = sum(of.map((r) => Number(r.qty)));
    if (qty <= line.qty) continue;
    const byReturn = new Map<
      string,
      { returnId: string; returnNumber: string; deviceId: string; qty: number; refund: number }
    >();
    for (const r of of) {
      const b = byReturn.get(r.id) ?? {
        returnId: r.id,
        returnNumber: r.return_number,
        deviceId: r.device_id,
        qty: 0,
        refund: 0,
      };
      b.qty += Number(r.qty);
      b.refund += Number(r.refund);
      byReturn.set(r.id, b);
    }
    const list = [...byReturn.values()];
    const receipt = of[0]?.sale_receipt_number ?? saleId;
    const product = names.get(line.sku) ?? line.sku;
    exceptions.push({
      kind: 'over-returned',
      message: `Receipt ${receipt}, line ${lineNoText} (${product}, ${line.sku}): ${line.qty} sold but ${qty} came back: ${list.map((b) => `${b.returnNumber} (${b.qty})`).join(', ')}`,
      deviceId: ctx.device.id,
      eventId: list.at(-1)?.returnId ?? null,
      details: {
        saleId,
        receiptNumber: receipt,
        lineNo: Number(lineNoText),
        sku: line.sku,
        sold: line.qty,
        returned: qty,
        returns: list,
      },
    });
  }
  return exceptions;
}
