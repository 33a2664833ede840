// Drop KPI rollups kept up to date in the push transaction: per drop, SKU and sale (drop_sales), per minute (drop_sales_minute), per channel (drop_channel_sales) and per member (drop_members).
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ParsedEvent } from '../../shared/events';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';

/**
 * One row per drop, SKU and sale: the sale's units and revenue of that SKU in that drop, with
 * what the KPIs group by (channel, campaign, member, time). `first_of_sale` is 1 on the sale's
 * first SKU row in the drop and `drops` counts the drops the sale has lines in, so a scope's
 * distinct sales are a plain sum except for the rare sale that spans drops. `next_at` is the
 * member's next sale in the store after this one (any product), for repeat purchases.
 */
export type DropSalesTable = {
  drop_id: string;
  sku: string;
  sale_id: string;
  store_id: string;
  device_time: string;
  member_id: string | null;
  channel: string;
  campaign_id: string | null;
  units: number;
  revenue: number;
  first_of_sale: number;
  drops: number;
  next_at: string | null;
};

/** Units per drop, SKU, access tier and whole minute since `starts_at` (the drop's start when the row was made). */
export type DropSalesMinuteTable = {
  drop_id: string;
  sku: string;
  access_tier: string;
  minute: number;
  starts_at: string;
  units: number;
};

/**
 * Per drop, SKU ('' = the whole drop), channel and campaign ('' = none): units, revenue, sales
 * in that drop only (`sales`) and those without a member (`nonmember_sales`). Sales spanning
 * drops are counted from drop_sales at query time.
 */
export type DropChannelSalesTable = {
  drop_id: string;
  sku: string;
  channel: string;
  campaign_key: string;
  units: number;
  revenue: number;
  sales: number;
  nonmember_sales: number;
};

/** Members who bought per drop, SKU ('' = the whole drop), channel and campaign ('' = none), with their sales there. */
export type DropMembersTable = {
  drop_id: string;
  sku: string;
  channel: string;
  campaign_key: string;
  member_id: string;
  sales: number;
};

export type KpiRollupDb = {
  drop_sales: DropSalesTable;
  drop_sales_minute: DropSalesMinuteTable;
  drop_channel_sales: DropChannelSalesTable;
  drop_members: DropMembersTable;
};

export type RollupDb = Kysely<LedgerDb & KpiRollupDb>;
export const withRollups = (db: Kysely<LedgerDb>): RollupDb => db.withTables<KpiRollupDb>();

/** Whole minutes from `from` to `to` (ISO texts), rounded down (so 30 s before is minute -1). */
export function minutesBetween(
  engine: Engine,
  from: RawBuilder<unknown>,
  to: RawBuilder<unknown>,
): RawBuilder<number> {
  if (engine === 'postgres')
    return sql<number>`floor(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)) / 60)::integer`;
  const secs = sql`(cast(strftime('%s', ${to}) as integer) - cast(strftime('%s', ${from}) as integer))`;
  return sql<number>`((${secs} - (((${secs}) % 60) + 60) % 60) / 60)`;
}

/** The channel a sale counts under: "promo" when a code was redeemed, else the till's channel. */
const CHANNEL = sql`case when s.campaign_id is not null then 'promo' else coalesce(s.channel, 'walk-in') end`;
const CHUNK = 500;

const inList = (column: string, ids: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(ids)})`;

/** (Re)write drop_sales rows of the sales `where` picks on sale_lines `l` (rows must not exist yet). */
async function fillDropSales(db: Kysely<LedgerDb>, where: RawBuilder<unknown>) {
  await sql`insert into drop_sales (drop_id, sku, sale_id, store_id, device_time, member_id, channel,
      campaign_id, units, revenue, first_of_sale, drops)
    select g.drop_id, g.sku, g.sale_id, s.store_id, s.device_time, s.member_id, ${CHANNEL}, s.campaign_id,
      g.units, g.revenue,
      case when g.sku = min(g.sku) over (partition by g.sale_id, g.drop_id) then 1 else 0 end,
      n.drops
    from (
      select l.sale_id, l.drop_id, l.sku, sum(l.qty) as units, sum(l.total) as revenue
      from sale_lines l where l.drop_id is not null and ${where}
      group by l.sale_id, l.drop_id, l.sku
    ) g
    join (
      select x.sale_id, count(*) as drops from (
        select distinct l.sale_id, l.drop_id from sale_lines l where l.drop_id is not null and ${where}
      ) x group by x.sale_id
    ) n on n.sale_id = g.sale_id
    join sales s on s.id = g.sale_id
    join drops d on d.id = g.drop_id and d.store_id = s.store_id`.execute(db);
}

/** Add the minute rows of new sales (`where` on sale_lines `l`) to drop_sales_minute. */
async function addMinutes(db: Kysely<LedgerDb>, engine: Engine, where: RawBuilder<unknown>) {
  const minute = minutesBetween(engine, sql.ref('d.starts_at'), sql.ref('s.device_time'));
  await sql`insert into drop_sales_minute (drop_id, sku, access_tier, minute, starts_at, units)
    select l.drop_id, l.sku, coalesce(l.access_tier, 'everyone'), ${minute}, d.starts_at, sum(l.qty)
    from sale_lines l
    join sales s on s.id = l.sale_id
    join drops d on d.id = l.drop_id and d.store_id = s.store_id
    where l.drop_id is not null and ${where}
    group by l.drop_id, l.sku, coalesce(l.access_tier, 'everyone'), ${minute}, d.starts_at
    on conflict (drop_id, sku, access_tier, minute) do update
      set units = drop_sales_minute.units + excluded.units, starts_at = excluded.starts_at`.execute(
    db,
  );
}

/** Add (sign 1) or take away (sign -1) the drop_sales rows `where` picks (on `r`) in the per-channel and per-member rollups. */
async function shiftAggregates(db: Kysely<LedgerDb>, sign: 1 | -1, where: RawBuilder<unknown>) {
  const k = sql.lit(sign);
  const single = sql`case when r.drops = 1 then 1 else 0 end`;
  const singleFirst = sql`case when r.drops = 1 then r.first_of_sale else 0 end`;
  const nonMember = sql`case when r.drops = 1 and r.member_id is null then 1 else 0 end`;
  const nonMemberFirst = sql`case when r.drops = 1 and r.member_id is null then r.first_of_sale else 0 end`;
  await sql`insert into drop_channel_sales (drop_id, sku, channel, campaign_key, units, revenue, sales, nonmember_sales)
    select x.* from (
      select r.drop_id, r.sku, r.channel, coalesce(r.campaign_id, '') as campaign_key, ${k} * sum(r.units) as units,
        ${k} * sum(r.revenue) as revenue, ${k} * sum(${single}) as sales, ${k} * sum(${nonMember}) as nonmember_sales
      from drop_sales r where ${where}
      group by r.drop_id, r.sku, r.channel, coalesce(r.campaign_id, '')
      union all
      select r.drop_id, '', r.channel, coalesce(r.campaign_id, ''), ${k} * sum(r.units), ${k} * sum(r.revenue),
        ${k} * sum(${singleFirst}), ${k} * sum(${nonMemberFirst})
      from drop_sales r where ${where}
      group by r.drop_id, r.channel, coalesce(r.campaign_id, '')
    ) x where 1 = 1
    on conflict (drop_id, sku, channel, campaign_key) do update set
      units = drop_channel_sales.units + excluded.units,
      revenue = drop_channel_sales.revenue + excluded.revenue,
      sales = drop_channel_sales.sales + excluded.sales,
      nonmember_sales = drop_channel_sales.nonmember_sales + excluded.nonmember_sales`.execute(db);
  await sql`insert into drop_members (drop_id, sku, channel, campaign_key, member_id, sales)
    select x.* from (
      select r.drop_id, r.sku, r.channel, coalesce(r.campaign_id, '') as campaign_key, r.member_id,
        ${k} * count(*) as sales
      from drop_sales r where r.member_id is not null and ${where}
      group by r.drop_id, r.sku, r.channel, coalesce(r.campaign_id, ''), r.member_id
      union all
      select r.drop_id, '', r.channel, coalesce(r.campaign_id, ''), r.member_id, ${k} * sum(r.first_of_sale)
      from drop_sales r where r.member_id is not null and ${where}
      group by r.drop_id, r.channel, coalesce(r.campaign_id, ''), r.member_id
    ) x where 1 = 1
    on conflict (drop_id, sku, channel, campaign_key, member_id) do update set
      sales = drop_members.sales + excluded.sales`.execute(db);
}

/** Each member row's next sale of the member in the store, strictly later (members `where` picks on drop_sales). */
async function setNextAt(db: Kysely<LedgerDb>, where: RawBuilder<unknown>) {
  await sql`update drop_sales set next_at = (
      select min(s2.device_time) from sales s2
      where s2.member_id = drop_sales.member_id and s2.store_id = drop_sales.store_id
        and s2.device_time > drop_sales.device_time
    ) where drop_sales.member_id is not null and ${where}`.execute(db);
}

/** The sales a push stored, as the rollups need them. */
export interface NewSales {
  /** Every new sale's id. */
  ids: readonly string[];
  /** Those with at least one drop line: only they make drop rows. */
  withDropLines: readonly string[];
  /** Members of the new sales (their earlier rows' next sale time moves). */
  memberIds: readonly string[];
}

/**
 * Bring the rollups up to date after a push stored its sales and promo facts: new sales are
 * added, sales a redemption moved to the promo channel are rewritten, and members with a new
 * sale get their earlier rows' next sale time again. Exact, so the KPIs equal a recount. Only
 * sales with drop lines make drop rows, so a batch without them runs no insert at all.
 */
export async function updateKpiRollups(
  trx: Kysely<LedgerDb>,
  engine: Engine,
  sales: NewSales,
  accepted: readonly ParsedEvent[],
): Promise<void> {
  const redeemed = accepted.flatMap((e) => (e.type === 'promo.redeemed' ? [e.payload.saleId] : []));
  const fresh = new Set(sales.ids);
  // Sales stored by an earlier push whose redemption came now: their rows move channel.
  const moved = [...new Set(redeemed)].filter((id) => !fresh.has(id));
  const dropSales = sales.withDropLines;
  for (let i = 0; i < dropSales.length; i += CHUNK) {
    const ids = dropSales.slice(i, i + CHUNK);
    await fillDropSales(trx, inList('l.sale_id', ids));
    await shiftAggregates(trx, 1, inList('r.sale_id', ids));
  }
  for (let i = 0; i < moved.length; i += CHUNK) {
    const ids = moved.slice(i, i + CHUNK);
    const old = await trx
      .withTables<KpiRollupDb>()
      .selectFrom('drop_sales')
      .select(['drop_id', 'member_id'])
      .distinct()
      .where('sale_id', 'in', ids)
      .execute();
    await shiftAggregates(trx, -1, inList('r.sale_id', ids));
    await sql`delete from drop_sales where ${inList('sale_id', ids)}`.execute(trx);
    await fillDropSales(trx, inList('l.sale_id', ids));
    await shiftAggregates(trx, 1, inList('r.sale_id', ids));
    // Rows the move emptied go.
    const dropIds = [...new Set(old.map((r) => r.drop_id))];
    const memberIds = [...new Set(old.flatMap((r) => (r.member_id ? [r.member_id] : [])))];
    if (dropIds.length > 0)
      await sql`delete from drop_channel_sales where ${inList('drop_id', dropIds)}
        and units = 0 and revenue = 0 and sales = 0 and nonmember_sales = 0`.execute(trx);
    if (memberIds.length > 0)
      await sql`delete from drop_members where ${inList('member_id', memberIds)} and sales = 0`.execute(
        trx,
      );
  }
  for (let i = 0; i < dropSales.length; i += CHUNK)
    await addMinutes(trx, engine, inList('l.sale_id', dropSales.slice(i, i + CHUNK)));
  const members = new Set<string>(sales.memberIds);
  for (let i = 0; i < moved.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('sales')
      .select('member_id')
      .distinct()
      .where('id', 'in', moved.slice(i, i + CHUNK))
      .where('member_id', 'is not', null)
      .execute();
    for (const r of rows) if (r.member_id) members.add(r.member_id);
  }
  const memberIds = [...members];
  for (let i = 0; i < memberIds.length; i += CHUNK)
    await setNextAt(trx, inList('drop_sales.member_id', memberIds.slice(i, i + CHUNK)));
}

/** Rewrite one drop's minute rows (its start moved since they were made). */
export async function rebuildDropMinutes(
  db: Kysely<LedgerDb>,
  engine: Engine,
  dropId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`delete from drop_sales_minute where drop_id = ${dropId}`.execute(trx);
    await addMinutes(trx, engine, sql`l.drop_id = ${dropId}`);
  });
}

/** Recompute every rollup from sale_lines and sales: for the migration and after a bulk load. */
export async function rebuildKpiRollups(db: Kysely<LedgerDb>, engine: Engine): Promise<void> {
  for (const table of ['drop_sales', 'drop_sales_minute', 'drop_channel_sales', 'drop_members'])
    await sql`delete from ${sql.table(table)}`.execute(db);
  await fillDropSales(db, sql`1 = 1`);
  await shiftAggregates(db, 1, sql`1 = 1`);
  await addMinutes(db, engine, sql`1 = 1`);
  await setNextAt(db, sql`1 = 1`);
}
