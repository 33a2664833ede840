// Drop KPIs in SQL on SQLite and PostgreSQL: the drops and families to choose from, the scope a KPI reads, sell-through and sales by channel.
import { type Kysely, type QueryCreator, type RawBuilder, sql } from 'kysely';
import {
  type Channels,
  type DropList,
  dropFamily,
  type KpiScope,
  type KpiScopeQuery,
  type SellThrough,
  shareBp,
} from '../../shared/kpis';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';

const n = (v: unknown) => Number(v ?? 0);

/** A KPI's scope with the drops' windows, as the queries need them. */
export interface ResolvedScope extends KpiScope {
  drops: { id: string; startsAt: string; endsAt: string }[];
}

export async function listDrops(db: Kysely<LedgerDb>, storeId: string): Promise<DropList> {
  const drops = await db
    .selectFrom('drops')
    .select(['id', 'name', 'starts_at', 'ends_at', 'status'])
    .where('store_id', '=', storeId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  const items = drops.length
    ? await db
        .selectFrom('drop_items')
        .select(['drop_id', 'sku', 'quantity'])
        .where(
          'drop_id',
          'in',
          drops.map((d) => d.id),
        )
        .orderBy('drop_id')
        .orderBy('sku')
        .execute()
    : [];
  const families = new Map<string, string[]>();
  for (const d of drops) {
    const f = dropFamily(d.name);
    families.set(f, [...(families.get(f) ?? []), d.id]);
  }
  return {
    drops: drops.map((d) => ({
      id: d.id,
      name: d.name,
      family: dropFamily(d.name),
      startsAt: d.starts_at,
      endsAt: d.ends_at,
      status: d.status,
      items: items
        .filter((i) => i.drop_id === d.id)
        .map((i) => ({ sku: i.sku, quantity: n(i.quantity) })),
    })),
    families: [...families].map(([family, dropIds]) => ({ family, dropIds })),
  };
}

/** The drops a KPI reads: one drop, or every drop of a family (404 when there is none). */
export async function resolveScope(
  db: Kysely<LedgerDb>,
  storeId: string,
  q: KpiScopeQuery,
): Promise<ResolvedScope> {
  let query = db
    .selectFrom('drops')
    .select(['id', 'name', 'starts_at', 'ends_at'])
    .where('store_id', '=', storeId);
  if (q.dropId) query = query.where('id', '=', q.dropId);
  const rows = await query.orderBy('starts_at').orderBy('id').execute();
  const family = q.family ?? (rows[0] ? dropFamily(rows[0].name) : '');
  const drops = rows.filter((d) => dropFamily(d.name) === family);
  if (drops.length === 0)
    throw notFound(q.dropId ? `Drop ${q.dropId}` : `Drop family "${q.family}"`);
  return {
    family,
    dropIds: drops.map((d) => d.id),
    sku: q.sku ?? null,
    drops: drops.map((d) => ({ id: d.id, startsAt: d.starts_at, endsAt: d.ends_at })),
  };
}

export const publicScope = ({ family, dropIds, sku }: ResolvedScope): KpiScope => ({
  family,
  dropIds,
  sku,
});

/** The scope's sale lines, as `l` (drop ids belong to one store, so no store filter is needed). */
export function scopeLines(db: QueryCreator<LedgerDb>, scope: ResolvedScope) {
  let q = db.selectFrom('sale_lines as l').where('l.drop_id', 'in', scope.dropIds);
  if (scope.sku) q = q.where('l.sku', '=', scope.sku);
  return q;
}

/** Whole minutes from `from` to `to` (ISO texts), rounded down (so 30 s before is minute -1). */
function minutesBetween(engine: Engine, from: RawBuilder<unknown>, to: RawBuilder<unknown>) {
  if (engine === 'postgres')
    return sql<number>`floor(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)) / 60)::integer`;
  const secs = sql`(cast(strftime('%s', ${to}) as integer) - cast(strftime('%s', ${from}) as integer))`;
  return sql<number>`((${secs} - (((${secs}) % 60) + 60) % 60) / 60)`;
}

export async function sellThrough(
  db: Kysely<LedgerDb>,
  engine: Engine,
  storeId: string,
  scope: ResolvedScope,
): Promise<SellThrough> {
  const minute = minutesBetween(engine, sql.ref('d.starts_at'), sql.ref('s.device_time'));
  let stockQ = db
    .selectFrom('drop_items')
    .select((eb) => eb.fn.sum('quantity').as('stock'))
    .where('drop_id', 'in', scope.dropIds);
  if (scope.sku) stockQ = stockQ.where('sku', '=', scope.sku);
  // Lines add up per sale first (index only), so each sale's time is looked up once.
  const [rows, stock] = await Promise.all([
    db
      .with('per', (qc) =>
        scopeLines(qc, scope)
          .select((eb) => [
            'l.sale_id as sale_id',
            'l.drop_id as drop_id',
            sql<string>`coalesce(l.access_tier, 'everyone')`.as('tier'),
            eb.fn.sum('l.qty').as('units'),
          ])
          .groupBy(['l.sale_id', 'l.drop_id', 'l.access_tier']),
      )
      .selectFrom('per')
      .innerJoin('sales as s', 's.id', 'per.sale_id')
      .innerJoin('drops as d', 'd.id', 'per.drop_id')
      .select((eb) => [
        'per.drop_id as drop_id',
        'per.tier as tier',
        minute.as('minute'),
        eb.fn.sum('per.units').as('units'),
      ])
      .where('s.store_id', '=', storeId)
      .groupBy(['per.drop_id', 'per.tier', minute])
      .execute(),
    stockQ.executeTakeFirst(),
  ]);
  const points = rows
    .map((r) => ({
      dropId: r.drop_id as string,
      tier: r.tier,
      minute: n(r.minute),
      units: n(r.units),
    }))
    .sort(
      (a, b) =>
        a.dropId.localeCompare(b.dropId) || a.minute - b.minute || a.tier.localeCompare(b.tier),
    );
  return {
    scope: publicScope(scope),
    stock: n(stock?.stock),
    sold: points.reduce((sum, p) => sum + p.units, 0),
    points,
  };
}

/** The scope's sales (one row each, with their units and revenue in the scope) joined to `sales as s`. */
export function scopeSales(db: Kysely<LedgerDb>, storeId: string, scope: ResolvedScope) {
  return db
    .with('per', (qc) =>
      scopeLines(qc, scope)
        .select((eb) => [
          'l.sale_id as sale_id',
          eb.fn.sum('l.qty').as('units'),
          eb.fn.sum('l.total').as('revenue'),
        ])
        .groupBy('l.sale_id'),
    )
    .selectFrom('per')
    .innerJoin('sales as s', 's.id', 'per.sale_id')
    .where('s.store_id', '=', storeId);
}

/** The buyer behind a sale: its member, or the sale itself when no member was identified. */
export const buyerKey = sql<string>`coalesce(s.member_id, s.id)`;

export async function channels(
  db: Kysely<LedgerDb>,
  storeId: string,
  scope: ResolvedScope,
): Promise<Channels> {
  const channel = sql<string>`case when s.campaign_id is not null then 'promo' else coalesce(s.channel, 'walk-in') end`;
  const [rows, total, campaigns] = await Promise.all([
    scopeSales(db, storeId, scope)
      .select((eb) => [
        channel.as('channel'),
        's.campaign_id as campaign_id',
        eb.fn.sum('per.units').as('units'),
        eb.fn.countAll().as('sales'),
        eb.fn.sum('per.revenue').as('revenue'),
        sql<number>`count(distinct ${buyerKey})`.as('buyers'),
      ])
      .groupBy([channel, 's.campaign_id'])
      .execute(),
    scopeSales(db, storeId, scope)
      .select((eb) => [
        eb.fn.sum('per.units').as('units'),
        eb.fn.sum('per.revenue').as('revenue'),
        sql<number>`count(distinct ${buyerKey})`.as('buyers'),
      ])
      .executeTakeFirst(),
    db
      .selectFrom('campaigns')
      .select(['id', 'name', 'promoter'])
      .where('store_id', '=', storeId)
      .execute(),
  ]);
  const units = n(total?.units);
  const buyers = n(total?.buyers);
  const campaign = new Map(campaigns.map((c) => [c.id, c]));
  return {
    scope: publicScope(scope),
    units,
    revenue: n(total?.revenue),
    buyers,
    channels: rows
      .map((r) => {
        const c = r.campaign_id ? campaign.get(r.campaign_id) : undefined;
        return {
          channel: r.channel,
          campaignId: r.campaign_id,
          campaignName: c?.name ?? null,
          promoter: c?.promoter ?? null,
          units: n(r.units),
          sales: n(r.sales),
          revenue: n(r.revenue),
          buyers: n(r.buyers),
          unitsShareBp: shareBp(n(r.units), units),
          buyersShareBp: shareBp(n(r.buyers), buyers),
        };
      })
      .sort(
        (a, b) =>
          b.units - a.units ||
          a.channel.localeCompare(b.channel) ||
          (a.campaignId ?? '').localeCompare(b.campaignId ?? ''),
      ),
  };
}
