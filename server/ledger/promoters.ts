// Cost per promoter: what each creator's campaign cost, and the redemptions, buyers and sales its codes brought, in SQL.
import { type Kysely, sql } from 'kysely';
import type { PromoterRow } from '../../shared/reports';
import type { LedgerDb } from '../db/schema';

/** One row per campaign that pays a promoter, ordered by promoter then campaign. */
export async function promotersReport(
  db: Kysely<LedgerDb>,
  storeId: string,
): Promise<PromoterRow[]> {
  const { rows } = await sql<{
    promoter: string;
    campaign_id: string;
    campaign_name: string;
    cost: string | number;
    redemptions: string | number;
    buyers: string | number;
    sales: string | number;
    sales_total: string | number;
    discount: string | number;
    cost_per_buyer: string | number | null;
  }>`
    select c.promoter, c.id as campaign_id, c.name as campaign_name, c.promoter_cost as cost,
      coalesce(r.redemptions, 0) as redemptions,
      coalesce(r.buyers, 0) as buyers,
      coalesce(s.sales, 0) as sales,
      coalesce(s.sales_total, 0) as sales_total,
      coalesce(r.discount, 0) as discount,
      case when coalesce(r.buyers, 0) = 0 then null
        else (c.promoter_cost * 2 + r.buyers) / (2 * r.buyers) end as cost_per_buyer
    from campaigns c
    left join (
      select campaign_id, count(*) as redemptions, sum(discount) as discount,
        count(distinct coalesce(member_id, 'sale:' || sale_id)) as buyers
      from redemptions where store_id = ${storeId} group by campaign_id
    ) r on r.campaign_id = c.id
    left join (
      select x.campaign_id, count(*) as sales, sum(sa.total) as sales_total
      from (select distinct campaign_id, sale_id from redemptions where store_id = ${storeId}) x
      join sales sa on sa.id = x.sale_id
      group by x.campaign_id
    ) s on s.campaign_id = c.id
    where c.store_id = ${storeId} and c.promoter is not null
    order by c.promoter, c.id
  `.execute(db);
  return rows.map((r) => ({
    promoter: r.promoter,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    cost: Number(r.cost),
    redemptions: Number(r.redemptions),
    buyers: Number(r.buyers),
    sales: Number(r.sales),
    salesTotal: Number(r.sales_total),
    discount: Number(r.discount),
    costPerBuyer: r.cost_per_buyer === null ? null : Number(r.cost_per_buyer),
  }));
}
