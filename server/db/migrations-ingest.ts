// Migration for leaner ingest (issue 17): a sale's stock movements are its lines (no second copy), and sales indexes the reports do not need are dropped.
import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from './migrations';

export function ingestMigrations(_engine: Engine): Record<string, Migration> {
  return {
    // A push wrote every sale line twice: once in sale_lines and once as a 'sale' movement with
    // the same SKU, quantity, sale id, time and version. The stock journal (every movement the
    // level is the sum of) is now a view: stored movements (receipts, counts, returns, allotments…)
    // plus one movement per sale line, read from sale_lines. The copies are removed here, so the
    // journal's sums are what they were. sales_day_cover (13 columns) stopped covering the day
    // report when 0007 added store credit and exchange, and on a million sale lines the day
    // report is faster through the narrow sales_store_date (≈ 75 vs 130–190 ms CPU), so every
    // sale stops paying for it; sales_member is the leading column of sales_member_time.
    '0012-sale-movements-from-lines': {
      async up(db: Kysely<unknown>) {
        await sql`delete from stock_movements where kind = 'sale'`.execute(db);
        await sql`
          create view stock_journal as
            select store_id, sku, delta, kind, ref, note, created_at, version
              from stock_movements
            union all
            select l.store_id, l.sku, -l.qty, 'sale', l.sale_id, cast(null as text),
                   s.received_at, s.version
              from sale_lines l join sales s on s.id = l.sale_id`.execute(db);
        await db.schema.dropIndex('sales_day_cover').execute();
        await db.schema.dropIndex('sales_member').execute();
      },
    },
  };
}
