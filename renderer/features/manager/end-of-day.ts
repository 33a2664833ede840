// The end of day the Reports screen shows: the ledger's day report, or one made from this till's own records when offline.
import type { PromoRedeemed } from '../../../shared/promo';
import {
  addDayTotals,
  type DayReport,
  type DayShift,
  type DayTotals,
  emptyDayTotals,
  netTakingsOf,
  type RefundTotals,
} from '../../../shared/reports';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale, SaleVoid } from '../../../shared/sale';
import { type Shift, shiftReport } from '../../../shared/shift';

export interface EndOfDay {
  /** 'ledger': every till as the ledger has them; 'local': this till only. */
  source: 'ledger' | 'local';
  report: DayReport;
  /** This till's sales not yet on the ledger (local source only). */
  unsyncedHere: { count: number; since: string | null } | null;
}

function totalsOf(
  sales: readonly Sale[],
  voids: readonly SaleVoid[],
  returns: readonly SaleReturn[],
) {
  const r = shiftReport({ float: 0 }, sales, voids, returns);
  const totals: DayTotals = {
    saleCount: r.saleCount,
    itemCount: r.itemCount,
    subtotal: r.subtotal,
    discounts: r.discounts,
    tax: r.tax,
    takings: r.takings,
    rounding: r.rounding,
    cash: r.byTender.cash,
    card: r.byTender.card,
    voidCount: r.voidCount,
    voidValue: r.voidValue,
    storeCredit: r.storeCreditTaken ?? 0,
    exchange: r.exchangeCredit ?? 0,
  };
  const back = r.refunds ?? { cash: 0, card: 0, storeCredit: 0 };
  const refunds: RefundTotals = {
    returnCount: returns.length,
    returnedItems: returns.reduce((n, x) => n + x.lines.reduce((m, l) => m + l.qty, 0), 0),
    ...back,
    total: back.cash + back.card + back.storeCredit,
  };
  return { totals, refunds, taxBands: r.taxBands, cashTakings: r.byTender.cash };
}

/**
 * One till's day from its own records, in the ledger's report shape: the day's sales, voids and
 * redemptions, and the drawer of each shift that touched the day (counted against ALL its sales).
 */
export function endOfDayFromTill(input: {
  storeId: string;
  date: string;
  currency: string;
  till: { deviceId: string; name: string; prefix: string };
  sales: readonly Sale[];
  voids: readonly SaleVoid[];
  /** Returns recorded at this till on the day (by the return's own time). */
  returns?: readonly SaleReturn[];
  redemptions: readonly PromoRedeemed[];
  shifts: readonly {
    shift: Shift;
    sales: readonly Sale[];
    voids: readonly SaleVoid[];
    returns?: readonly SaleReturn[];
  }[];
  unsynced: { count: number; since: string | null };
  lastPushAt: string | null;
}): EndOfDay {
  const { totals, refunds, taxBands } = totalsOf(input.sales, input.voids, input.returns ?? []);
  const netTakings = netTakingsOf(totals, refunds);
  const redemptions = {
    count: input.redemptions.length,
    discount: input.redemptions.reduce((s, x) => s + x.discount, 0),
  };
  const shifts = input.shifts.map(({ shift, sales, voids, returns }): DayShift => {
    // The drawer expects the float plus cash kept, less cash handed back for returns.
    const z = shiftReport(shift, sales, voids, returns ?? []);
    return {
      shiftId: shift.id,
      deviceId: input.till.deviceId,
      openedAt: shift.openedAt,
      closedAt: shift.closedAt ?? null,
      float: shift.float,
      cashTakings: z.byTender.cash,
      expectedCash: z.expectedCash,
      countedCash: z.countedCash,
      overShort: z.overShort,
    };
  });
  const lastSaleAt = input.sales.reduce<string | null>(
    (max, s) => (max === null || s.createdAt > max ? s.createdAt : max),
    null,
  );
  return {
    source: 'local',
    unsyncedHere: input.unsynced,
    report: {
      storeId: input.storeId,
      date: input.date,
      currency: input.currency,
      tills: [
        { ...input.till, lastPushAt: input.lastPushAt, totals, redemptions, refunds, netTakings },
      ],
      combined: addDayTotals(emptyDayTotals, totals),
      redemptions,
      refunds,
      netTakings,
      taxBands,
      shifts,
      lastSaleAt,
      notSynced:
        input.unsynced.count > 0
          ? [
              {
                deviceId: input.till.deviceId,
                name: input.till.name,
                lastPushAt: input.lastPushAt,
                lastSaleAt,
                missingFacts: true,
              },
            ]
          : [],
    },
  };
}
