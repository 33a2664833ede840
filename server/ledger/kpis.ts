// Drop KPIs in SQL on SQLite and PostgreSQL: the drops and families to choose from, the scope a KPI reads, sell-through and sales by channel (from the rollups).
import { type Kysely, sql } from 'kysely';
import {
  type Channels,
  type DropList,
  dropFamily,
  type KpiScope,
  type KpiScopeQuery,
  type SellThrough,
  shareBp,
} from '../../shared/kpis';
import { exactMinor } from '../../shared/money';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';
import { rebuildDropMinutes, withRollups } from './kpi-rollups';

// Sums arrive as numbers (SQLite) or numeric strings (PostgreSQL): converted exactly, or refused.
const n = (v: unknown) => exactMinor(v);

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

/** The scope's drop_sales rows, as `r` (one per drop, SKU and sale; see kpi-rollups.ts). */
export function scopeRows(db: Kysely<LedgerDb>, storeId: string, scope: ResolvedScope) {
  let q = withRollups(db)
    .selectFrom('drop_sales as r')
    .where('r.drop_id', 'in', scope.dropIds)
    .where('r.store_id', '=', storeId);
  if (scope.sku) q = q.where('r.sku', '=', scope.sku);
  return q;
}

/**
 * Distinct sales among the rows `r` of a scope: a sale in one drop counts on its first SKU row
 * (every row, when the scope is one SKU), a sale spanning drops is counted distinct (rare).
 * `nonMembers`: only sales without a member (each is its own buyer).
 */
export function distinctSales(scope: ResolvedScope, nonMembers = false) {
  const first = scope.sku ? sql`1` : sql.ref('r.first_of_sale');
  const who = nonMembers ? sql` and r.member_id is null` : sql``;
  return sql<number>`(coalesce(sum(case when r.drops = 1${who} then ${first} else 0 end), 0)
    + count(distinct case when r.drops > 1${who} then r.sale_id end))`;
}

export async function sellThrough(
  db: Kysely<LedgerDb>,
  engine: Engine,
  storeId: string,
  scope: ResolvedScope,
): Promise<SellThrough> {
  const rdb = withRollups(db);
  // Minute rows made before a drop's start moved are rewritten first.
  const stale = await rdb
    .selectFrom('drop_sales_minute as m')
    .innerJoin('drops as d', 'd.id', 'm.drop_id')
    .select('m.drop_id')
    .distinct()
    .where('m.drop_id', 'in', scope.dropIds)
    .whereRef('m.starts_at', '<>', 'd.starts_at')
    .execute();
  for (const s of stale) await rebuildDropMinutes(db, engine, s.drop_id);
  let stockQ = db
    .selectFrom('drop_items')
    .select((eb) => eb.fn.sum('quantity').as('stock'))
    .where('drop_id', 'in', scope.dropIds);
  if (scope.sku) stockQ = stockQ.where('sku', '=', scope.sku);
  let pointsQ = rdb
    .selectFrom('drop_sales_minute as m')
    .innerJoin('drops as d', 'd.id', 'm.drop_id')
    .select((eb) => [
      'm.drop_id as drop_id',
      'm.access_tier as tier',
      'm.minute as minute',
      eb.fn.sum('m.units').as('units'),
    ])
    .where('m.drop_id', 'in', scope.dropIds)
    .where('d.store_id', '=', storeId);
  if (scope.sku) pointsQ = pointsQ.where('m.sku', '=', scope.sku);
  const [rows, stock] = await Promise.all([
    pointsQ.groupBy(['m.drop_id', 'm.access_tier', 'm.minute']).execute(),
    stockQ.executeTakeFirst(),
  ]);
  const points = rows
    .map((r) => ({
      dropId: r.drop_id,
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

export async function channels(
  db: Kysely<LedgerDb>,
  storeId: string,
  scope: ResolvedScope,
): Promise<Channels> {
  const rdb = withRollups(db);
  const sku = scope.sku ?? '';
  const key = (channel: string, campaign: string) => `${channel}|${campaign}`;
  const [agg, multi, members, memberTotal, campaigns] = await Promise.all([
    rdb
      .selectFrom('drop_channel_sales')
      .select((eb) => [
        'channel',
        'campaign_key',
        eb.fn.sum('units').as('units'),
        eb.fn.sum('revenue').as('revenue'),
        eb.fn.sum('sales').as('sales'),
        eb.fn.sum('nonmember_sales').as('nonmember_sales'),
      ])
      .where('drop_id', 'in', scope.dropIds)
      .where('sku', '=', sku)
      .groupBy(['channel', 'campaign_key'])
      .execute(),
    // Sales with lines in more than one drop (rare) are counted distinct here, not in the sums.
    scopeRows(db, storeId, scope)
      .select([
        'r.channel as channel',
        sql<string>`coalesce(r.campaign_id, '')`.as('campaign_key'),
        sql<number>`count(distinct r.sale_id)`.as('sales'),
        sql<number>`count(distinct case when r.member_id is null then r.sale_id end)`.as(
          'nonmember_sales',
        ),
      ])
      .where('r.drops', '>', 1)
      .groupBy(['r.channel', 'r.campaign_id'])
      .execute(),
    rdb
      .selectFrom('drop_members')
      .select(['channel', 'campaign_key', sql<number>`count(distinct member_id)`.as('members')])
      .where('drop_id', 'in', scope.dropIds)
      .where('sku', '=', sku)
      .where('sales', '>', 0)
      .groupBy(['channel', 'campaign_key'])
      .execute(),
    rdb
      .selectFrom('drop_members')
      .select(sql<number>`count(distinct member_id)`.as('members'))
      .where('drop_id', 'in', scope.dropIds)
      .where('sku', '=', sku)
      .where('sales', '>', 0)
      .executeTakeFirst(),
    db
      .selectFrom('campaigns')
      .select(['id', 'name', 'promoter'])
      .where('store_id', '=', storeId)
      .execute(),
  ]);
  const multiOf = new Map(multi.map((m) => [key(m.channel, m.campaign_key), m]));
  const membersOf = new Map(members.map((m) => [key(m.channel, m.campaign_key), n(m.members)]));
  const rows = agg
    .filter((r) => n(r.units) !== 0 || n(r.revenue) !== 0 || n(r.sales) !== 0)
    .map((r) => {
      const k = key(r.channel, r.campaign_key);
      const m = multiOf.get(k);
      const nonMembers = n(r.nonmember_sales) + n(m?.nonmember_sales);
      return {
        channel: r.channel,
        campaign_id: r.campaign_key === '' ? null : r.campaign_key,
        units: n(r.units),
        revenue: n(r.revenue),
        sales: n(r.sales) + n(m?.sales),
        nonMembers,
        buyers: (membersOf.get(k) ?? 0) + nonMembers,
      };
    });
  const units = rows.reduce((sum, r) => sum + r.units, 0);
  const total = {
    revenue: rows.reduce((sum, r) => sum + r.revenue, 0),
  };
  // A sale has one channel, so sales without a member add up across channels; members may not.
  const buyers = n(memberTotal?.members) + rows.reduce((sum, r) => sum + r.nonMembers, 0);
  const campaign = new Map(campaigns.map((c) => [c.id, c]));
  return {
    scope: publicScope(scope),
    units,
    revenue: total.revenue,
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
