// Applying accepted facts in a push's transaction: sales and other projections, stock, promo facts, drop checks and KPI rollups.
import { type Insertable, sql, type Transaction } from 'kysely';
import { businessDate } from '../../shared/business-day';
import type { ParsedEvent } from '../../shared/events';
import { EVERYONE } from '../../shared/members';
import type { Tender } from '../../shared/tender';
import { insertRows } from '../db/bulk-insert';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { applyCredit } from './credit-notes';
import { checkDropSales } from './drops';
import { applyExchanges } from './exchanges';
import { updateKpiRollups } from './kpi-rollups';
import { recordPromoFacts } from './promo';
import { applyReturns } from './returns';
import { type ExceptionInput, insertMany, type Movement, recordMovements } from './write';

type Of<T extends ParsedEvent['type']> = Extract<ParsedEvent, { type: T }>;

export interface ApplyContext {
  engine: Engine;
  device: { id: string; storeId: string };
  timeZone: string;
  receivedAt: string;
  version: number;
}

/** How the sale came about, for sales-by-channel: a promo redemption (set when it is stored) wins over early access. */
function saleChannel(s: Of<'sale.completed'>['payload']): string {
  return s.lines.some((l) => l.drop && l.drop.tier !== EVERYONE) ? 'member-early' : 'walk-in';
}

function saleRows(e: Of<'sale.completed'>, ctx: ApplyContext) {
  const s = e.payload;
  // Store credit and exchange credit are neither cash in the drawer nor card: their own columns.
  const paid = (kind: Tender['kind']) =>
    s.tenders.reduce((n, t) => (t.kind === kind ? n + t.amount : n), 0);
  const cashGiven = paid('cash');
  const sale: Insertable<LedgerDb['sales']> = {
    id: s.id,
    store_id: ctx.device.storeId,
    device_id: s.deviceId,
    shift_id: s.shiftId,
    receipt_number: s.receiptNumber,
    staff_id: s.staffId,
    device_time: s.createdAt,
    received_at: ctx.receivedAt,
    business_date: businessDate(s.createdAt, ctx.timeZone),
    subtotal: s.subtotal,
    discount_total: s.discountTotal,
    tax: s.tax,
    total: s.total,
    rounding: s.rounding,
    change_given: s.change,
    cash: cashGiven - s.change,
    card: paid('card'),
    store_credit: paid('store-credit'),
    exchange: paid('exchange'),
    version: ctx.version,
    item_count: s.lines.reduce((n, l) => n + l.qty, 0),
    member_id: s.memberId ?? null,
    channel: saleChannel(s),
    campaign_id: null,
    promo_code: null,
  };
  const lines: Insertable<LedgerDb['sale_lines']>[] = s.lines.map((l, i) => ({
    sale_id: s.id,
    line_no: i + 1,
    store_id: ctx.device.storeId,
    sku: l.sku,
    qty: l.qty,
    unit_price: l.unitPrice,
    gross: l.gross,
    discount: l.lineDiscount + l.orderDiscountShare,
    net: l.net,
    tax: l.tax,
    total: l.total,
    tax_class_id: l.taxClassId,
    rate_ppm: l.ratePpm,
    drop_id: l.drop?.dropId ?? null,
    price_step: l.drop ? l.drop.step : null,
    access_tier: l.drop?.tier ?? null,
  }));
  return { sale, lines };
}

/** A shift opened or closed: one row per shift, closed over opened. */
async function applyShift(
  trx: Transaction<LedgerDb>,
  e: Of<'shift.opened'> | Of<'shift.closed'>,
  ctx: ApplyContext,
): Promise<void> {
  const s = e.payload;
  const closed = e.type === 'shift.closed' ? e.payload : null;
  const countedTotal = closed
    ? Object.entries(closed.counted).reduce((n, [d, c]) => n + Number(d) * c, 0)
    : null;
  const zReport = closed?.zReport ? JSON.stringify(closed.zReport) : null;
  await trx
    .insertInto('shifts')
    .values({
      id: s.id,
      store_id: ctx.device.storeId,
      device_id: ctx.device.id,
      opened_at: s.openedAt,
      opened_by: s.openedBy,
      float: s.float,
      closed_at: closed?.closedAt ?? null,
      closed_by: closed?.closedBy ?? null,
      counted_total: countedTotal,
      z_report: zReport,
    })
    .onConflict((oc) =>
      closed
        ? oc.column('id').doUpdateSet({
            closed_at: closed.closedAt,
            closed_by: closed.closedBy,
            counted_total: countedTotal,
            z_report: zReport,
          })
        : oc.column('id').doNothing(),
    )
    .execute();
}

/** A stock count becomes the adjustment from what the ledger holds (with this batch's sales counted in). */
async function countMovements(
  trx: Transaction<LedgerDb>,
  e: Of<'stock.counted'>,
  ctx: ApplyContext,
  movements: Movement[],
): Promise<void> {
  const skus = e.payload.lines.map((l) => l.sku);
  const levels = await trx
    .selectFrom('stock_levels')
    .select(['sku', 'qty'])
    .where('store_id', '=', ctx.device.storeId)
    .where('sku', 'in', skus)
    .execute();
  const have = new Map<string, number>(skus.map((sku) => [sku, 0]));
  for (const l of levels) have.set(l.sku, Number(l.qty));
  for (const m of movements) if (have.has(m.sku)) have.set(m.sku, (have.get(m.sku) ?? 0) + m.delta);
  for (const l of e.payload.lines) {
    const delta = l.counted - (have.get(l.sku) ?? 0);
    if (delta !== 0)
      movements.push({
        sku: l.sku,
        delta,
        kind: 'adjustment',
        ref: e.id,
        note: e.payload.note ?? 'stock count',
      });
  }
}

/** Step: the accepted facts' own rows (sales, lines, voids, shifts, complaints) and the stock movements they imply. */
export async function applyFacts(
  trx: Transaction<LedgerDb>,
  accepted: readonly ParsedEvent[],
  ctx: ApplyContext,
) {
  const sales: Insertable<LedgerDb['sales']>[] = [];
  const lines: Insertable<LedgerDb['sale_lines']>[] = [];
  const voids: Insertable<LedgerDb['voids']>[] = [];
  const complaints: Insertable<LedgerDb['complaints']>[] = [];
  const movements: Movement[] = [];
  let lastSaleAt: string | null = null;
  for (const e of accepted) {
    if (e.type === 'sale.completed') {
      const r = saleRows(e, ctx);
      sales.push(r.sale);
      lines.push(...r.lines);
      for (const l of e.payload.lines)
        movements.push({ sku: l.sku, delta: -l.qty, kind: 'sale', ref: e.id });
      if (!lastSaleAt || e.payload.createdAt > lastSaleAt) lastSaleAt = e.payload.createdAt;
    } else if (e.type === 'sale.voided') {
      const v = e.payload;
      voids.push({
        id: v.id,
        store_id: ctx.device.storeId,
        device_id: v.deviceId,
        shift_id: v.shiftId,
        staff_id: v.staffId,
        device_time: v.createdAt,
        business_date: businessDate(v.createdAt, ctx.timeZone),
        value: v.value,
        item_count: v.itemCount,
      });
    } else if (e.type === 'shift.opened' || e.type === 'shift.closed') {
      await applyShift(trx, e, ctx);
    } else if (e.type === 'complaint.logged') {
      complaints.push({
        event_id: e.id,
        store_id: ctx.device.storeId,
        sale_id: e.payload.saleId,
        device_id: ctx.device.id,
        category: e.payload.category,
        note: e.payload.note,
        staff_id: e.payload.staffId,
        device_time: e.createdAt,
        received_at: ctx.receivedAt,
      });
    } else if (e.type === 'stock.counted') {
      await countMovements(trx, e, ctx, movements);
    }
  }
  await insertRows(trx, ctx.engine, 'sales', sales);
  await insertRows(trx, ctx.engine, 'sale_lines', lines);
  await insertMany(trx, 'voids', voids);
  await insertMany(trx, 'complaints', complaints);
  return { sales, lines, movements, lastSaleAt };
}

/** Step: stock movements, with unknown-SKU and negative-stock exceptions for a manager. */
export async function applyStock(
  trx: Transaction<LedgerDb>,
  movements: readonly Movement[],
  ctx: ApplyContext,
): Promise<ExceptionInput[]> {
  if (movements.length === 0) return [];
  const exceptions: ExceptionInput[] = [];
  const skus = [...new Set(movements.map((m) => m.sku))];
  const known = new Set<string>();
  for (let i = 0; i < skus.length; i += 1_000) {
    const rows = await trx
      .selectFrom('products')
      .select('sku')
      .where('sku', 'in', skus.slice(i, i + 1_000))
      .execute();
    for (const r of rows) known.add(r.sku);
  }
  for (const sku of skus) {
    if (known.has(sku)) continue;
    const refs = [...new Set(movements.filter((m) => m.sku === sku).map((m) => m.ref))];
    exceptions.push({
      kind: 'unknown-sku',
      message: `Sold SKU ${sku}, which the ledger does not know`,
      deviceId: ctx.device.id,
      eventId: refs[0] ?? null,
      details: { sku, events: refs },
    });
  }
  const { storeId } = ctx.device;
  const { version, receivedAt, engine } = ctx;
  const negatives = await recordMovements(trx, storeId, movements, version, receivedAt, engine);
  // An unknown SKU always "goes negative"; its unknown-sku exception already says what is wrong.
  for (const n of negatives.filter((x) => known.has(x.sku))) {
    exceptions.push({
      kind: 'negative-stock',
      message: `Stock of ${n.sku} went below zero (${n.qty})`,
      deviceId: ctx.device.id,
      details: n,
    });
  }
  return exceptions;
}

/** Steps: promo facts, returns, store credit, exchanges, drop checks and KPI rollups, after the sales they refer to are stored. */
export async function applyDerived(
  trx: Transaction<LedgerDb>,
  accepted: readonly ParsedEvent[],
  applied: {
    sales: { id: string; member_id?: string | null }[];
    lines: { sale_id: string; drop_id?: string | null }[];
  },
  ctx: ApplyContext,
): Promise<ExceptionInput[]> {
  // Redemptions and issued codes; may mark sales as promo-channel and raise exceptions.
  const exceptions = await recordPromoFacts(trx, ctx.device, accepted, ctx.receivedAt);
  // Returns after their sales are stored (one may arrive in the same batch, or link a waiting return).
  const returned = await applyReturns(
    trx,
    accepted,
    applied.sales.map((x) => x.id),
    ctx,
  );
  exceptions.push(...returned.exceptions, ...(await applyStock(trx, returned.movements, ctx)));
  // Store credit and exchange credit once both sales and returns of the batch are stored.
  exceptions.push(...(await applyCredit(trx, accepted, ctx)));
  exceptions.push(...(await applyExchanges(trx, accepted, ctx)));
  // Only sales with drop lines can oversell a drop or pass a member's limit: ordinary batches skip the query.
  const dropSaleIds = [...new Set(applied.lines.filter((l) => l.drop_id).map((l) => l.sale_id))];
  const { storeId, id } = ctx.device;
  exceptions.push(...(await checkDropSales(trx, storeId, id, dropSaleIds)));
  // After the sales and their promo facts: drop KPI rollups (a redemption may move a sale to "promo").
  const memberIds = new Set(applied.sales.flatMap((x) => (x.member_id ? [x.member_id] : [])));
  await updateKpiRollups(
    trx,
    ctx.engine,
    { ids: applied.sales.map((x) => x.id), withDropLines: dropSaleIds, memberIds: [...memberIds] },
    accepted,
  );
  return exceptions;
}

/** Keep the newest sale time on the device, never moving it back (batches can arrive out of order). */
export function lastSaleUpdate(lastSaleAt: string | null) {
  return lastSaleAt
    ? {
        last_sale_at: sql<string>`case when last_sale_at is null or last_sale_at < ${lastSaleAt} then ${lastSaleAt} else last_sale_at end`,
      }
    : {};
}
