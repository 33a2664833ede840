// End-of-day totals per till and combined, computed in SQL from the stored sales and voids.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { storeSettingsSchema } from '../../shared/catalog';
import { addDayTotals, type DayReport, type DayTotals, emptyDayTotals } from '../../shared/reports';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';

const n = (v: unknown) => Number(v ?? 0);

export async function dayReport(
  db: Kysely<LedgerDb>,
  storeId: string,
  date: string,
): Promise<DayReport> {
  const store = await db
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) throw notFound(`Store ${storeId}`);
  const settings = storeSettingsSchema.parse(JSON.parse(store.settings));

  const [sales, voids, bands, devices, last] = await Promise.all([
    db
      .selectFrom('sales')
      .select((eb) => [
        'device_id',
        eb.fn.countAll().as('sale_count'),
        eb.fn.sum('item_count').as('item_count'),
        eb.fn.sum('subtotal').as('subtotal'),
        eb.fn.sum('discount_total').as('discounts'),
        eb.fn.sum('tax').as('tax'),
        sql<number>`sum(total + rounding)`.as('takings'),
        eb.fn.sum('rounding').as('rounding'),
        eb.fn.sum('cash').as('cash'),
        eb.fn.sum('card').as('card'),
      ])
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .groupBy('device_id')
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
      .selectFrom('sales')
      .select((eb) => eb.fn.max('device_time').as('last'))
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .executeTakeFirst(),
  ]);

  const totals = new Map<string, DayTotals>();
  const of = (id: string) => totals.get(id) ?? { ...emptyDayTotals };
  for (const s of sales) {
    totals.set(s.device_id, {
      ...of(s.device_id),
      saleCount: n(s.sale_count),
      itemCount: n(s.item_count),
      subtotal: n(s.subtotal),
      discounts: n(s.discounts),
      tax: n(s.tax),
      takings: n(s.takings),
      rounding: n(s.rounding),
      cash: n(s.cash),
      card: n(s.card),
    });
  }
  for (const v of voids)
    totals.set(v.device_id, {
      ...of(v.device_id),
      voidCount: n(v.void_count),
      voidValue: n(v.void_value),
    });

  const lastSaleAt = (last?.last as string | null | undefined) ?? null;
  const tills = devices
    .filter((d) => totals.has(d.id) || d.status === 'active')
    .map((d) => ({
      deviceId: d.id,
      name: d.name,
      prefix: d.prefix,
      lastPushAt: d.last_push_at,
      totals: of(d.id),
    }));
  return {
    storeId,
    date,
    currency: settings.currency,
    tills,
    combined: tills.reduce((acc, t) => addDayTotals(acc, t.totals), { ...emptyDayTotals }),
    taxBands: bands.map((b) => ({ ratePpm: n(b.rate_ppm), base: n(b.base), tax: n(b.tax) })),
    lastSaleAt,
    notSynced: devices
      .filter(
        (d) =>
          d.status === 'active' &&
          lastSaleAt !== null &&
          (d.last_push_at === null || d.last_push_at < lastSaleAt),
      )
      .map((d) => ({ deviceId: d.id, name: d.name, lastPushAt: d.last_push_at })),
  };
}
