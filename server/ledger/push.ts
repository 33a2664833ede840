// Applying a till's pushed facts: once per event id, in one transaction per batch, with per-event results.
import { type Insertable, type Kysely, sql } from 'kysely';
import { businessDate } from '../../shared/business-day';
import { type EventEnvelope, type ParsedEvent, parseEvent } from '../../shared/events';
import { EVERYONE } from '../../shared/members';
import type { PushResponse, PushResult } from '../../shared/sync';
import { nextVersion } from '../db/database';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict } from '../http/api';
import { checkDropSales } from './drops';
import { updateKpiRollups } from './kpi-rollups';
import { recordPromoFacts } from './promo';
import {
  type ExceptionInput,
  exceptionRow,
  insertMany,
  type Movement,
  recordMovements,
} from './write';

export interface PushDevice {
  id: string;
  storeId: string;
}

export interface PushOutcome extends PushResponse {
  counts: { accepted: number; duplicate: number; conflict: number; rejected: number };
}

type Of<T extends ParsedEvent['type']> = Extract<ParsedEvent, { type: T }>;

/** How the sale came about, for sales-by-channel: a promo redemption (set when it is stored) wins over early access. */
function saleChannel(s: Of<'sale.completed'>['payload']): string {
  return s.lines.some((l) => l.drop && l.drop.tier !== EVERYONE) ? 'member-early' : 'walk-in';
}

function saleRows(e: Of<'sale.completed'>, storeId: string, timeZone: string, receivedAt: string) {
  const s = e.payload;
  const cardPaid = s.tenders.reduce((n, t) => (t.kind === 'card' ? n + t.amount : n), 0);
  const cashGiven = s.tenders.reduce((n, t) => (t.kind === 'cash' ? n + t.amount : n), 0);
  const sale: Insertable<LedgerDb['sales']> = {
    id: s.id,
    store_id: storeId,
    device_id: s.deviceId,
    shift_id: s.shiftId,
    receipt_number: s.receiptNumber,
    staff_id: s.staffId,
    device_time: s.createdAt,
    received_at: receivedAt,
    business_date: businessDate(s.createdAt, timeZone),
    subtotal: s.subtotal,
    discount_total: s.discountTotal,
    tax: s.tax,
    total: s.total,
    rounding: s.rounding,
    change_given: s.change,
    cash: cashGiven - s.change,
    card: cardPaid,
    item_count: s.lines.reduce((n, l) => n + l.qty, 0),
    member_id: s.memberId ?? null,
    channel: saleChannel(s),
    campaign_id: null,
    promo_code: null,
  };
  const lines: Insertable<LedgerDb['sale_lines']>[] = s.lines.map((l, i) => ({
    sale_id: s.id,
    line_no: i + 1,
    store_id: storeId,
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

/** Why a well-formed fact still cannot be applied, or null. */
function refusal(e: ParsedEvent, deviceId: string): string | null {
  if ('deviceId' in e.payload && e.payload.deviceId !== deviceId) {
    return `the fact belongs to device ${e.payload.deviceId}, not to the device that sent it`;
  }
  // A sale or void carries its own id and sequence: they must be the envelope's, or one fact could pose as another.
  if (
    (e.type === 'sale.completed' || e.type === 'sale.voided') &&
    (e.payload.id !== e.id || e.payload.seq !== e.seq)
  ) {
    return 'the payload id/seq do not match the event envelope';
  }
  return null;
}

/**
 * Apply one batch. Duplicates (already stored, or repeated in the batch) are
 * reported, not re-applied; a bad fact is stored as rejected with its reason and
 * an exception for a manager, and the rest of the batch still goes in.
 */
export async function applyPush(
  db: Kysely<LedgerDb>,
  engine: Engine,
  device: PushDevice,
  envelopes: readonly EventEnvelope[],
  now: Date = new Date(),
  options: { allowRevoked?: boolean } = {},
): Promise<PushOutcome> {
  const receivedAt = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    let lock = trx
      .selectFrom('devices')
      .select(['watermark', 'status'])
      .where('id', '=', device.id);
    if (engine === 'postgres') lock = lock.forUpdate();
    const row = await lock.executeTakeFirst();
    if (!row) throw conflict('This device does not exist.');
    const revoked = row.status !== 'active';
    // A revoked till may still bring its facts on a file (they happened); a manager is told.
    if (revoked && !options.allowRevoked) throw conflict('This device is not active.');
    const watermark = Number(row.watermark);
    const store = await trx
      .selectFrom('stores')
      .select('time_zone')
      .where('id', '=', device.storeId)
      .executeTakeFirst();
    const timeZone = store?.time_zone ?? 'UTC';

    const ids = [...new Set(envelopes.map((e) => e.id))];
    const stored = new Set<string>();
    for (let i = 0; i < ids.length; i += 1_000) {
      const rows = await trx
        .selectFrom('events')
        .select('id')
        .where('id', 'in', ids.slice(i, i + 1_000))
        .execute();
      for (const r of rows) stored.add(r.id);
    }

    const results: PushResult[] = [];
    const eventRows: Insertable<LedgerDb['events']>[] = [];
    const exceptions: ExceptionInput[] = [];
    const accepted: ParsedEvent[] = [];
    // In device order, whatever order the batch came in: a count after a sale must see the sale.
    // Results still answer in the order the batch came in.
    const ordered = envelopes
      .map((env, index) => ({ env, index }))
      .sort((a, b) => a.env.seq - b.env.seq || a.index - b.index);
    for (const { env, index } of ordered) {
      if (env.seq <= watermark || stored.has(env.id)) {
        results[index] = { id: env.id, status: 'duplicate' };
        continue;
      }
      stored.add(env.id);
      const check = parseEvent(env);
      const reason = check.ok ? refusal(check.event, device.id) : check.reason;
      eventRows.push({
        id: env.id,
        device_id: device.id,
        store_id: device.storeId,
        seq: env.seq,
        type: env.type,
        device_time: env.createdAt,
        received_at: receivedAt,
        status: reason ? 'rejected' : 'accepted',
        reason,
        payload: JSON.stringify(env.payload ?? null),
      });
      if (reason || !check.ok) {
        results[index] = { id: env.id, status: 'rejected', reason: reason ?? 'invalid' };
        exceptions.push({
          kind: 'rejected-event',
          message: `Rejected ${env.type}: ${reason}`,
          deviceId: device.id,
          eventId: env.id,
        });
      } else {
        results[index] = { id: env.id, status: 'accepted' };
        accepted.push(check.event);
        if (revoked) {
          exceptions.push({
            kind: 'revoked-device',
            message: `${env.type} from a revoked till`,
            deviceId: device.id,
            eventId: env.id,
          });
        }
      }
    }
    await insertMany(trx, 'events', eventRows);

    const sales: Insertable<LedgerDb['sales']>[] = [];
    const lines: Insertable<LedgerDb['sale_lines']>[] = [];
    const voids: Insertable<LedgerDb['voids']>[] = [];
    const complaints: Insertable<LedgerDb['complaints']>[] = [];
    const movements: Movement[] = [];
    let lastSaleAt: string | null = null;
    for (const e of accepted) {
      if (e.type === 'sale.completed') {
        const r = saleRows(e, device.storeId, timeZone, receivedAt);
        sales.push(r.sale);
        lines.push(...r.lines);
        for (const l of e.payload.lines)
          movements.push({ sku: l.sku, delta: -l.qty, kind: 'sale', ref: e.id });
        if (!lastSaleAt || e.payload.createdAt > lastSaleAt) lastSaleAt = e.payload.createdAt;
      } else if (e.type === 'sale.voided') {
        const v = e.payload;
        voids.push({
          id: v.id,
          store_id: device.storeId,
          device_id: v.deviceId,
          shift_id: v.shiftId,
          staff_id: v.staffId,
          device_time: v.createdAt,
          business_date: businessDate(v.createdAt, timeZone),
          value: v.value,
          item_count: v.itemCount,
        });
      } else if (e.type === 'shift.opened' || e.type === 'shift.closed') {
        const s = e.payload;
        const closed = e.type === 'shift.closed' ? e.payload : null;
        const countedTotal = closed
          ? Object.entries(closed.counted).reduce((n, [d, c]) => n + Number(d) * c, 0)
          : null;
        await trx
          .insertInto('shifts')
          .values({
            id: s.id,
            store_id: device.storeId,
            device_id: device.id,
            opened_at: s.openedAt,
            opened_by: s.openedBy,
            float: s.float,
            closed_at: closed?.closedAt ?? null,
            closed_by: closed?.closedBy ?? null,
            counted_total: countedTotal,
            z_report: closed?.zReport ? JSON.stringify(closed.zReport) : null,
          })
          .onConflict((oc) =>
            closed
              ? oc.column('id').doUpdateSet({
                  closed_at: closed.closedAt,
                  closed_by: closed.closedBy,
                  counted_total: countedTotal,
                  z_report: closed.zReport ? JSON.stringify(closed.zReport) : null,
                })
              : oc.column('id').doNothing(),
          )
          .execute();
      } else if (e.type === 'complaint.logged') {
        complaints.push({
          event_id: e.id,
          store_id: device.storeId,
          sale_id: e.payload.saleId,
          device_id: device.id,
          category: e.payload.category,
          note: e.payload.note,
          staff_id: e.payload.staffId,
          device_time: e.createdAt,
          received_at: receivedAt,
        });
      } else if (e.type === 'stock.counted') {
        const skus = e.payload.lines.map((l) => l.sku);
        const levels = await trx
          .selectFrom('stock_levels')
          .select(['sku', 'qty'])
          .where('store_id', '=', device.storeId)
          .where('sku', 'in', skus)
          .execute();
        const have = new Map<string, number>(skus.map((sku) => [sku, 0]));
        for (const l of levels) have.set(l.sku, Number(l.qty));
        // Sales in this same batch are applied below; count them in so the count is not undone by them.
        for (const m of movements)
          if (have.has(m.sku)) have.set(m.sku, (have.get(m.sku) ?? 0) + m.delta);
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
    }
    await insertMany(trx, 'sales', sales);
    await insertMany(trx, 'sale_lines', lines);
    await insertMany(trx, 'voids', voids);
    await insertMany(trx, 'complaints', complaints);
    // Redemptions, issued codes and complaints; may mark sales as promo-channel and raise exceptions.
    exceptions.push(...(await recordPromoFacts(trx, device, accepted, receivedAt)));

    if (movements.length > 0) {
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
        if (!known.has(sku)) {
          const refs = [...new Set(movements.filter((m) => m.sku === sku).map((m) => m.ref))];
          exceptions.push({
            kind: 'unknown-sku',
            message: `Sold SKU ${sku}, which the ledger does not know`,
            deviceId: device.id,
            eventId: refs[0] ?? null,
            details: { sku, events: refs },
          });
        }
      }
      const negatives = await recordMovements(trx, device.storeId, movements, version, receivedAt);
      // An unknown SKU always "goes negative"; its unknown-sku exception already says what is wrong.
      for (const n of negatives.filter((x) => known.has(x.sku))) {
        exceptions.push({
          kind: 'negative-stock',
          message: `Stock of ${n.sku} went below zero (${n.qty})`,
          deviceId: device.id,
          details: n,
        });
      }
    }
    // Only sales with drop lines can oversell a drop or pass a member's limit: ordinary batches skip the query.
    const dropSaleIds = [...new Set(lines.filter((l) => l.drop_id).map((l) => l.sale_id))];
    exceptions.push(...(await checkDropSales(trx, device.storeId, device.id, dropSaleIds)));
    // After the sales and their promo facts: drop KPI rollups (a redemption may move a sale to "promo").
    await updateKpiRollups(
      trx,
      engine,
      sales.map((x) => x.id),
      accepted,
    );
    await insertMany(
      trx,
      'exceptions',
      exceptions.map((e) => exceptionRow(device.storeId, e, receivedAt)),
    );

    // The watermark moves over every sequence number now held without a gap.
    const seqs = await trx
      .selectFrom('events')
      .select('seq')
      .where('device_id', '=', device.id)
      .where('seq', '>', watermark)
      .orderBy('seq')
      .execute();
    let next = watermark;
    for (const s of seqs) {
      if (Number(s.seq) === next + 1) next += 1;
      else if (Number(s.seq) > next + 1) break;
    }
    const updated = await trx
      .updateTable('devices')
      .set({
        watermark: next,
        last_push_at: receivedAt,
        last_seen_at: receivedAt,
        // Batches can arrive out of order: keep the newest sale time, never move it back.
        ...(lastSaleAt
          ? {
              last_sale_at: sql<string>`case when last_sale_at is null or last_sale_at < ${lastSaleAt} then ${lastSaleAt} else last_sale_at end`,
            }
          : {}),
      })
      .where('id', '=', device.id)
      .where('watermark', '=', watermark)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw conflict('Another push from this device moved first; retry.');

    const counts = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const r of results) counts[r.status] += 1;
    return { results, watermark: next, counts };
  });
}
