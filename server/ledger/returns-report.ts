// Returns read back: money handed back per till and tender on a business day, cash refunds per shift for the drawer, and returned quantities for the pull.
import type { Kysely } from 'kysely';
import { exactMinor } from '../../shared/money';
import { emptyRefundTotals, type RefundTotals } from '../../shared/reports';
import { RETURNED_WINDOW_DAYS, type ReturnedLine } from '../../shared/sync';
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

/**
 * Units returned so far of each line of the store's sales made in the last RETURNED_WINDOW_DAYS
 * days, across all tills, so a till offline still counts other tills' returns. A return of a
 * sale the ledger does not hold yet counts by its own time (its sale cannot be older).
 */
export async function returnedLines(
  db: Kysely<LedgerDb>,
  storeId: string,
  now: Date,
): Promise<ReturnedLine[]> {
  const cutoff = new Date(now.getTime() - RETURNED_WINDOW_DAYS * 86_400_000);
  // A business date is at most a day away from the UTC date: the index narrows, device_time decides.
  const fromDay = new Date(cutoff.getTime() - 86_400_000).toISOString().slice(0, 10);
  const since = cutoff.toISOString();
  const rows = await db
    .selectFrom('return_lines as l')
    .innerJoin('returns as r', 'r.id', 'l.return_id')
    .leftJoin('sales as s', 's.id', 'r.sale_id')
    .select((eb) => ['l.sale_id', 'l.line_no', eb.fn.sum('l.qty').as('qty')])
    .where('r.store_id', '=', storeId)
    .where('r.business_date', '>=', fromDay)
    .where('r.device_time', '>=', since)
    .where((eb) => eb.or([eb('s.id', 'is', null), eb('s.device_time', '>=', since)]))
    .groupBy(['l.sale_id', 'l.line_no'])
    .orderBy('l.sale_id')
    .orderBy('l.line_no')
    .execute();
  return rows.map((r) => ({ saleId: r.sale_id, lineNo: Number(r.line_no), qty: n(r.qty) }));
}
