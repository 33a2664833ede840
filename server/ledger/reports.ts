// End-of-day totals per till and combined (sales, voids, promo redemptions, returns, tax, tenders incl. store credit and exchange, shifts' cash over/short, unsynced tills), in SQL.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { businessDate } from '../../shared/business-day';
import { storeSettingsSchema } from '../../shared/catalog';
import { exactMinor } from '../../shared/money';
import {
  addDayTotals,
  addRefundTotals,
  type DayReport,
  type DayShift,
  type DayTotals,
  emptyDayTotals,
  emptyRefundTotals,
  netTakingsOf,
  type RedemptionTotals,
} from '../../shared/reports';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';
import { dayRefunds, shiftCashRefunds } from './returns-report';

// Sums arrive as numbers (SQLite) or numeric strings (PostgreSQL): converted exactly, or refused.
const n = (v: unknown) => exactMinor(v);
const DAY_MS = 86_400_000;

export async function dayReport(
  db: Kysely<LedgerDb>,
  storeId: string,
  date: string,
): Promise<DayReport> {
  const store = await db
    .selectFrom('stores')
    .select(['settings', 'time_zone'])
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) throw notFound(`Store ${storeId}`);
  const settings = storeSettingsSchema.parse(JSON.parse(store.settings));

  // Per till and shift in one pass over the day's index entries (sales_day_cover).
  const [sales, voids, bands, devices, redeemed, refunds] = await Promise.all([
    db
      .selectFrom('sales')
      .select((eb) => [
        'device_id',
        'shift_id',
        eb.fn.max('device_time').as('last'),
        eb.fn.countAll().as('sale_count'),
        eb.fn.sum('item_count').as('item_count'),
        eb.fn.sum('subtotal').as('subtotal'),
        eb.fn.sum('discount_total').as('discounts'),
        eb.fn.sum('tax').as('tax'),
        sql<number>`sum(total + rounding)`.as('takings'),
        eb.fn.sum('rounding').as('rounding'),
        eb.fn.sum('cash').as('cash'),
        eb.fn.sum('card').as('card'),
        eb.fn.sum('store_credit').as('store_credit'),
        eb.fn.sum('exchange').as('exchange'),
      ])
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .groupBy(['device_id', 'shift_id'])
      .execute(),
    db
      .selectFrom('voids')
      .select((eb) => [
        'device_id',
        eb.fn.countAll().as('void_count'),
        eb.fn.sum('value').as('void_value'),
      ])
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .groupBy('device_id')
      .execute(),
    db
      .selectFrom('sale_lines')
      .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
      .select((eb) => [
        'sale_lines.rate_ppm',
        sql<number>`sum(sale_lines.total - sale_lines.tax)`.as('base'),
        eb.fn.sum('sale_lines.tax').as('tax'),
      ])
      .where('sales.store_id', '=', storeId)
      .where('sales.business_date', '=', date)
      .groupBy('sale_lines.rate_ppm')
      .orderBy('sale_lines.rate_ppm', 'desc')
      .execute(),
    db
      .selectFrom('devices')
      .selectAll()
      .where('store_id', '=', storeId)
      .orderBy('prefix')
      .execute(),
    db
      .selectFrom('redemptions')
      .innerJoin('sales', 'sales.id', 'redemptions.sale_id')
      .select((eb) => [
        'sales.device_id',
        eb.fn.countAll().as('count'),
        eb.fn.sum('redemptions.discount').as('discount'),
      ])
      .where('sales.store_id', '=', storeId)
      .where('sales.business_date', '=', date)
      .groupBy('sales.device_id')
      .execute(),
    dayRefunds(db, storeId, date),
  ]);
  const shifts = await dayShifts(
    db,
    storeId,
    date,
    store.time_zone,
    new Map(sales.map((s) => [s.shift_id, s.device_id])),
  );

  const totals = new Map<string, DayTotals>();
  const zero: DayTotals = { ...emptyDayTotals, storeCredit: 0, exchange: 0 };
  const of = (id: string): DayTotals => totals.get(id) ?? { ...zero };
  let lastSaleAt: string | null = null;
  for (const s of sales) {
    const t = of(s.device_id);
    totals.set(s.device_id, {
      ...t,
      saleCount: t.saleCount + n(s.sale_count),
      itemCount: t.itemCount + n(s.item_count),
      subtotal: t.subtotal + n(s.subtotal),
      discounts: t.discounts + n(s.discounts),
      tax: t.tax + n(s.tax),
      takings: t.takings + n(s.takings),
      rounding: t.rounding + n(s.rounding),
      cash: t.cash + n(s.cash),
      card: t.card + n(s.card),
      storeCredit: (t.storeCredit ?? 0) + n(s.store_credit),
      exchange: (t.exchange ?? 0) + n(s.exchange),
    });
    const last = s.last as string | null;
    if (last !== null && (lastSaleAt === null || last > lastSaleAt)) lastSaleAt = last;
  }
  for (const v of voids)
    totals.set(v.device_id, {
      ...of(v.device_id),
      voidCount: n(v.void_count),
      voidValue: n(v.void_value),
    });
  const promos = new Map<string, RedemptionTotals>(
    redeemed.map((r) => [r.device_id, { count: n(r.count), discount: n(r.discount) }]),
  );

  const tills = devices
    .filter(
      (d) => totals.has(d.id) || promos.has(d.id) || refunds.has(d.id) || d.status === 'active',
    )
    .map((d) => {
      const back = refunds.get(d.id) ?? { ...emptyRefundTotals };
      return {
        deviceId: d.id,
        name: d.name,
        prefix: d.prefix,
        lastPushAt: d.last_push_at,
        totals: of(d.id),
        redemptions: promos.get(d.id) ?? { count: 0, discount: 0 },
        refunds: back,
        netTakings: netTakingsOf(of(d.id), back),
      };
    });
  const combined = tills.reduce((acc, t) => addDayTotals(acc, t.totals), { ...zero });
  const refunded = tills.reduce((acc, t) => addRefundTotals(acc, t.refunds), {
    ...emptyRefundTotals,
  });
  const behind = devices.filter(
    (d) =>
      d.status === 'active' &&
      lastSaleAt !== null &&
      (d.last_push_at === null || d.last_push_at < lastSaleAt),
  );
  const gaps = await missingFacts(
    db,
    behind.map((d) => ({ id: d.id, watermark: n(d.watermark) })),
  );
  return {
    storeId,
    date,
    currency: settings.currency,
    tills,
    combined,
    redemptions: tills.reduce(
      (acc, t) => ({
        count: acc.count + t.redemptions.count,
        discount: acc.discount + t.redemptions.discount,
      }),
      { count: 0, discount: 0 },
    ),
    refunds: refunded,
    netTakings: netTakingsOf(combined, refunded),
    taxBands: bands.map((b) => ({ ratePpm: n(b.rate_ppm), base: n(b.base), tax: n(b.tax) })),
    shifts,
    lastSaleAt,
    notSynced: behind.map((d) => ({
      deviceId: d.id,
      name: d.name,
      lastPushAt: d.last_push_at,
      lastSaleAt: d.last_sale_at,
      missingFacts: gaps.has(d.id),
    })),
  };
}

/** Devices the ledger holds facts from beyond a gap in their sequence (so earlier ones are still on the till). */
async function missingFacts(
  db: Kysely<LedgerDb>,
  devices: { id: string; watermark: number }[],
): Promise<Set<string>> {
  if (devices.length === 0) return new Set();
  const rows = await db
    .selectFrom('events')
    .select((eb) => ['device_id', eb.fn.max('seq').as('top')])
    .where(
      'device_id',
      'in',
      devices.map((d) => d.id),
    )
    .groupBy('device_id')
    .execute();
  const watermark = new Map(devices.map((d) => [d.id, d.watermark]));
  return new Set(
    rows.filter((r) => n(r.top) > (watermark.get(r.device_id) ?? 0)).map((r) => r.device_id),
  );
}

/**
 * Shifts with sales on the day or opened on it, with their cash over/short: counted cash
 * minus (float + cash kept from every sale of the shift − cash refunded in it, whatever day).
 */
async function dayShifts(
  db: Kysely<LedgerDb>,
  storeId: string,
  date: string,
  timeZone: string,
  withSales: ReadonlyMap<string, string>,
): Promise<DayShift[]> {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  // A day in any time zone lies within a day either side of its UTC day.
  const opened = await db
    .selectFrom('shifts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('opened_at', '>=', new Date(midnight - DAY_MS).toISOString())
    .where('opened_at', '<', new Date(midnight + 2 * DAY_MS).toISOString())
    .execute();
  const ids = new Map<string, string>(withSales);
  for (const s of opened)
    if (businessDate(s.opened_at, timeZone) === date) ids.set(s.id, s.device_id);
  if (ids.size === 0) return [];
  const shiftIds = [...ids.keys()];
  const [rows, cash, cashBack] = await Promise.all([
    db.selectFrom('shifts').selectAll().where('id', 'in', shiftIds).execute(),
    db
      .selectFrom('sales')
      .select((eb) => ['shift_id', eb.fn.sum('cash').as('cash')])
      .where('shift_id', 'in', shiftIds)
      .groupBy('shift_id')
      .execute(),
    shiftCashRefunds(db, shiftIds),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const cashOf = new Map(cash.map((c) => [c.shift_id, n(c.cash)]));
  return shiftIds
    .map((shiftId) => {
      const s = byId.get(shiftId);
      const cashTakings = cashOf.get(shiftId) ?? 0;
      const cashRefunds = cashBack.get(shiftId) ?? 0;
      const float = s ? n(s.float) : null;
      const expectedCash = float === null ? null : float + cashTakings - cashRefunds;
      const countedCash = s?.counted_total == null ? null : n(s.counted_total);
      return {
        shiftId,
        deviceId: s?.device_id ?? ids.get(shiftId)!,
        openedAt: s?.opened_at ?? null,
        closedAt: s?.closed_at ?? null,
        float,
        cashTakings,
        cashRefunds,
        expectedCash,
        countedCash,
        overShort:
          expectedCash === null || countedCash === null ? null : countedCash - expectedCash,
      };
    })
    .sort(
      (a, b) =>
        (a.openedAt ?? '').localeCompare(b.openedAt ?? '') || a.shiftId.localeCompare(b.shiftId),
    );
}
