// Drop KPIs from returns, in SQL on SQLite and PostgreSQL: returns of drop lines in the 14 days after a drop, by reason, and returns rate by channel and by access tier.
import { type Kysely, sql } from 'kysely';
import { type ReturnRate, shareBp } from '../../shared/kpis';
import { exactMinor } from '../../shared/money';
import type { LedgerDb } from '../db/schema';
import { withRollups } from './kpi-rollups';
import type { ResolvedScope } from './kpis';

const n = (v: unknown) => exactMinor(v);

export interface ReturnKpis {
  /** Return facts with at least one of the scope's lines. */
  returns: number;
  returnedUnits: number;
  byReason: { reason: string; units: number }[];
  byChannel: ReturnRate[];
  byTier: ReturnRate[];
}

/**
 * Returns of the scope's drop lines made up to `days` after the end of the line's drop. A
 * return stored before its sale reached the ledger counts once linked (its line has the drop).
 */
export async function dropReturns(
  db: Kysely<LedgerDb>,
  storeId: string,
  scope: ResolvedScope,
  days: number,
): Promise<ReturnKpis> {
  const inWindow = sql.join(
    scope.drops.map(
      (d) =>
        sql`(l.drop_id = ${d.id} and l.device_time <= ${new Date(Date.parse(d.endsAt) + days * 86_400_000).toISOString()})`,
    ),
    sql` or `,
  );
  const returned = () => {
    let q = db
      .selectFrom('return_lines as l')
      .innerJoin('sales as s', 's.id', 'l.sale_id')
      .where('l.store_id', '=', storeId)
      .where('l.drop_id', 'in', scope.dropIds)
      .where(sql<boolean>`(${inWindow})`);
    if (scope.sku) q = q.where('l.sku', '=', scope.sku);
    return q;
  };
  // Units sold come from the rollups the pushes keep (the same lines, already summed): per channel
  // from the whole-drop or SKU rows of drop_channel_sales, per tier from drop_sales_minute. A
  // drop line always carries its tier, and a sale's channel is "promo" once a code was redeemed
  // on it, as the rollups count it.
  const rdb = withRollups(db);
  const [totals, reasons, backByChannel, backByTier, soldByChannel, soldByTier] = await Promise.all(
    [
      returned()
        .select((eb) => [
          sql<number>`count(distinct l.return_id)`.as('returns'),
          eb.fn.sum('l.qty').as('units'),
        ])
        .executeTakeFirst(),
      returned()
        .select((eb) => ['l.reason as key', eb.fn.sum('l.qty').as('units')])
        .groupBy('l.reason')
        .execute(),
      returned()
        .select((eb) => [
          sql<string>`coalesce(s.channel, 'walk-in')`.as('key'),
          eb.fn.sum('l.qty').as('units'),
        ])
        .groupBy(sql`coalesce(s.channel, 'walk-in')`)
        .execute(),
      returned()
        .select((eb) => [
          sql<string>`coalesce(l.access_tier, '')`.as('key'),
          eb.fn.sum('l.qty').as('units'),
        ])
        .groupBy(sql`coalesce(l.access_tier, '')`)
        .execute(),
      rdb
        .selectFrom('drop_channel_sales as c')
        .select((eb) => ['c.channel as key', eb.fn.sum('c.units').as('units')])
        .where('c.drop_id', 'in', scope.dropIds)
        .where('c.sku', '=', scope.sku ?? '')
        .groupBy('c.channel')
        .execute(),
      rdb
        .selectFrom('drop_sales_minute as m')
        .select((eb) => ['m.access_tier as key', eb.fn.sum('m.units').as('units')])
        .where('m.drop_id', 'in', scope.dropIds)
        .$if(scope.sku !== undefined && scope.sku !== null, (q) =>
          q.where('m.sku', '=', scope.sku!),
        )
        .groupBy('m.access_tier')
        .execute(),
    ],
  );
  return {
    returns: n(totals?.returns ?? 0),
    returnedUnits: n(totals?.units ?? 0),
    byReason: reasons
      .map((r) => ({ reason: r.key, units: n(r.units) }))
      .sort((a, b) => b.units - a.units || a.reason.localeCompare(b.reason)),
    byChannel: rates(soldByChannel, backByChannel),
    byTier: rates(soldByTier, backByTier),
  };
}

/** Returned ÷ sold units per key, in basis points; keys sorted. */
function rates(
  sold: readonly { key: string; units: unknown }[],
  back: readonly { key: string; units: unknown }[],
): ReturnRate[] {
  const keys = [...new Set([...sold, ...back].map((r) => r.key))].sort();
  return keys.map((key) => {
    const soldUnits = n(sold.find((r) => r.key === key)?.units ?? 0);
    const returnedUnits = n(back.find((r) => r.key === key)?.units ?? 0);
    return { key, soldUnits, returnedUnits, rateBp: shareBp(returnedUnits, soldUnits) };
  });
}
