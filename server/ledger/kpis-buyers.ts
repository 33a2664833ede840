// Drop KPIs about buyers after the sale, in SQL on SQLite and PostgreSQL: repeat purchases, complaints/returns in 14 days, promoters' cost per buyer.
import { type Kysely, sql } from 'kysely';
import {
  type Aftercare,
  costPerBuyer,
  type Promoters,
  type Repeat,
  shareBp,
} from '../../shared/kpis';
import { exactMinor } from '../../shared/money';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { distinctSales, publicScope, type ResolvedScope, scopeRows } from './kpis';
import { dropReturns } from './kpis-returns';

// Sums arrive as numbers (SQLite) or numeric strings (PostgreSQL): converted exactly, or refused.
const n = (v: unknown) => exactMinor(v);
const AFTERCARE_DAYS = 14;

/** `days` days after an ISO time column, as the same ISO text (milliseconds, Z). */
function plusDays(engine: Engine, column: string, days: number) {
  if (engine === 'postgres')
    return sql<string>`to_char((${sql.ref(column)}::timestamptz + make_interval(days => ${days}::integer)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${sql.ref(column)}, ${`+${days} days`})`;
}

/**
 * The scope's member buyers, and how many bought again (any later sale of the store) within
 * `days` days after their first purchase in the scope.
 */
export async function repeatBuyers(
  db: Kysely<LedgerDb>,
  engine: Engine,
  storeId: string,
  scope: ResolvedScope,
  days: number,
): Promise<Repeat> {
  // Each member's first row in the scope; its next_at is the member's next sale in the store.
  // One row per sale is enough (a sale's rows share its time); coalesce keeps SQLite from
  // walking the whole member index to avoid the sort.
  let rows = scopeRows(db, storeId, scope)
    .select([
      'r.device_time as first_at',
      'r.next_at as next_at',
      sql<number>`row_number() over (partition by coalesce(r.member_id, '') order by r.device_time)`.as(
        'rn',
      ),
    ])
    .where('r.member_id', 'is not', null);
  if (!scope.sku) rows = rows.where('r.first_of_sale', '=', 1);
  const row = await db
    .selectFrom(rows.as('b'))
    .select((eb) => [
      eb.fn.countAll().as('buyers'),
      sql<number>`coalesce(sum(case when b.next_at is not null
        and b.next_at <= ${plusDays(engine, 'b.first_at', days)} then 1 else 0 end), 0)`.as(
        'repeaters',
      ),
    ])
    .where('b.rn', '=', 1)
    .executeTakeFirst();
  const buyers = n(row?.buyers);
  const repeaters = n(row?.repeaters);
  return {
    scope: publicScope(scope),
    days,
    buyers,
    repeaters,
    rateBp: shareBp(repeaters, buyers),
  };
}

/** Complaints about the scope's sales logged, and returns of its lines made, by 14 days after the end of the sale's drop. */
export async function aftercare(
  db: Kysely<LedgerDb>,
  storeId: string,
  scope: ResolvedScope,
): Promise<Aftercare> {
  const cutoffs = scope.drops.map((d) => ({
    id: d.id,
    until: new Date(Date.parse(d.endsAt) + AFTERCARE_DAYS * 86_400_000).toISOString(),
  }));
  const inWindow = sql.join(
    cutoffs.map((c) => sql`(r.drop_id = ${c.id} and c.device_time <= ${c.until})`),
    sql` or `,
  );
  const sku = scope.sku ? sql` and r.sku = ${scope.sku}` : sql``;
  const complaints = () =>
    db
      .selectFrom('complaints as c')
      .where('c.store_id', '=', storeId)
      .where(
        sql<boolean>`exists (select 1 from drop_sales r where r.sale_id = c.sale_id${sku} and (${inWindow}))`,
      );
  const [byCategory, totals, sales, returned] = await Promise.all([
    complaints()
      .select((eb) => ['c.category as category', eb.fn.countAll().as('count')])
      .groupBy('c.category')
      .execute(),
    complaints()
      .select((eb) => [
        eb.fn.countAll().as('complaints'),
        sql<number>`count(distinct c.sale_id)`.as('sales'),
      ])
      .executeTakeFirst(),
    scopeRows(db, storeId, scope).select(distinctSales(scope).as('sales')).executeTakeFirst(),
    dropReturns(db, storeId, scope, AFTERCARE_DAYS),
  ]);
  return {
    scope: publicScope(scope),
    windowDays: AFTERCARE_DAYS,
    sales: n(sales?.sales),
    complaints: n(totals?.complaints),
    complainedSales: n(totals?.sales),
    byCategory: byCategory
      .map((r) => ({ category: r.category, count: n(r.count) }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
    returns: returned.returns,
    returnsTracked: true,
    returnedUnits: returned.returnedUnits,
    returnsByReason: returned.byReason,
    returnRateByChannel: returned.byChannel,
    returnRateByTier: returned.byTier,
    note: "Complaints come from the complaint log; returns from the tills' return facts (units by reason, rates by channel and tier).",
  };
}

/** Per promoter: its campaigns' cost ÷ distinct buyers who redeemed their codes. */
export async function promoters(db: Kysely<LedgerDb>, storeId: string): Promise<Promoters> {
  const [campaigns, redeemed] = await Promise.all([
    db
      .selectFrom('campaigns')
      .select(['id', 'promoter', 'promoter_cost'])
      .where('store_id', '=', storeId)
      .where('promoter', 'is not', null)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('redemptions as r')
      .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
      .select((eb) => [
        'c.promoter as promoter',
        eb.fn.countAll().as('redemptions'),
        eb.fn.sum('r.discount').as('discount'),
        sql<number>`count(distinct coalesce(r.member_id, r.sale_id))`.as('buyers'),
      ])
      .where('r.store_id', '=', storeId)
      .where('c.promoter', 'is not', null)
      .groupBy('c.promoter')
      .execute(),
  ]);
  const names = [...new Set(campaigns.map((c) => c.promoter!))].sort();
  return {
    promoters: names.map((promoter) => {
      const own = campaigns.filter((c) => c.promoter === promoter);
      const r = redeemed.find((x) => x.promoter === promoter);
      const cost = own.reduce((sum, c) => sum + n(c.promoter_cost), 0);
      const buyers = n(r?.buyers);
      return {
        promoter,
        campaignIds: own.map((c) => c.id),
        cost,
        redemptions: n(r?.redemptions),
        discount: n(r?.discount),
        buyers,
        costPerBuyer: costPerBuyer(cost, buyers),
      };
    }),
  };
}
