// Returns in the day report: money handed back per till and tender on a business day, and cash refunds per shift for the drawer.
import type { Kysely } from 'kysely';
import { exactMinor } from '../../shared/money';
import { emptyRefundTotals, type RefundTotals } from '../../shared/reports';
import type { LedgerDb } from '../db/schema';

const n = (v: unknown) => exactMinor(v);

/** Per till: the day's returns (by the return's own business date) and what went back in each tender. */
export async function dayRefunds(
  db: Kysely<LedgerDb>,
  storeId: string,
  date: string,
): Promise<Map<string, RefundTotals>> {
  const rows = await db
    .selectFrom('returns')
    .select((eb) => [
      'device_id',
      eb.fn.countAll().as('count'),
      eb.fn.sum('item_count').as('items'),
      eb.fn.sum('cash').as('cash'),
      eb.fn.sum('card').as('card'),
      eb.fn.sum('store_credit').as('store_credit'),
    ])
    .where('store_id', '=', storeId)
    .where('business_date', '=', date)
    .groupBy('device_id')
    .execute();
  return new Map(
    rows.map((r) => {
      const t: RefundTotals = {
        ...emptyRefundTotals,
        returnCount: n(r.count),
        returnedItems: n(r.items),
        cash: n(r.cash),
        card: n(r.card),
        storeCredit: n(r.store_credit),
      };
      return [r.device_id, { ...t, total: t.cash + t.card + t.storeCredit }];
    }),
  );
}

/** Cash handed back for returns in each shift, whatever day: it left the drawer the shift counts. */
export async function shiftCashRefunds(
  db: Kysely<LedgerDb>,
  shiftIds: readonly string[],
): Promise<Map<string, number>> {
  if (shiftIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('returns')
    .select((eb) => ['shift_id', eb.fn.sum('cash').as('cash')])
    .where('shift_id', 'in', [...shiftIds])
    .groupBy('shift_id')
    .execute();
  return new Map(rows.map((r) => [r.shift_id, n(r.cash)]));
}
