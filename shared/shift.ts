// Shifts: opening float, counted cash by denomination, and the X/Z report maths (sales, voids, refunds and the drawer).
import { z } from 'zod';
import { idTextSchema, MAX_AMOUNT, MAX_UNITS } from './bounds';
import { amountSchema, type Minor } from './money';
import type { SaleReturn } from './returns/return-fact';
import type { Sale, SaleVoid } from './sale';

/** Denomination (minor units, as a string key) → how many were counted; in all at most 10^11 minor units. */
export const countedCashSchema = z
  .record(z.string().regex(/^\d{1,12}$/), z.number().int().min(0).max(MAX_UNITS))
  .refine(
    // BigInt: the check itself must not round on the way to its answer.
    (counted) =>
      Object.entries(counted).reduce((s, [d, n]) => s + BigInt(d) * BigInt(n), 0n) <=
      BigInt(MAX_AMOUNT),
    'The counted cash is more than 10^11 minor units',
  );

export const shiftSchema = z.object({
  id: idTextSchema,
  deviceId: idTextSchema,
  openedAt: z.iso.datetime(),
  openedBy: idTextSchema,
  float: amountSchema.nonnegative(),
  closedAt: z.iso.datetime().optional(),
  closedBy: idTextSchema.optional(),
  counted: countedCashSchema.optional(),
});
export type Shift = z.infer<typeof shiftSchema>;

export interface ShiftReport {
  saleCount: number;
  itemCount: number;
  /** Before discounts. */
  subtotal: Minor;
  discounts: Minor;
  tax: Minor;
  taxBands: { ratePpm: number; base: Minor; tax: Minor }[];
  /** Sales after discounts and cash rounding. */
  takings: Minor;
  rounding: Minor;
  /** What sales took in cash (kept, after change) and by card; store credit and exchange credit are neither. */
  byTender: { cash: Minor; card: Minor };
  voidCount: number;
  voidValue: Minor;
  float: Minor;
  /** Float plus cash kept from sales, less cash refunded from the drawer. */
  expectedCash: Minor;
  // The fields below are absent on Z reports stored before returns existed.
  /** Returns recorded in the shift. */
  returnCount?: number;
  /** Money handed back by those returns: cash from the drawer, card refunds, store-credit notes issued. */
  refunds?: { cash: Minor; card: Minor; storeCredit: Minor };
  /** Returned goods' value that paid for exchange sales of the shift (their `exchange` tenders). */
  exchangeCredit?: Minor;
  /** Store-credit notes spent on the shift's sales. */
  storeCreditTaken?: Minor;
  /** Takings less the value of everything returned (refunded or exchanged). */
  netTakings?: Minor;
  countedCash: Minor | null;
  /** countedCash − expectedCash (positive: over, negative: short). */
  overShort: Minor | null;
  /** Sales of the shift still only on this till when the report was made (null: no ledger). */
  unsyncedSales?: number | null;
}

export function countedTotal(counted: Readonly<Record<string, number>>): Minor {
  return Object.entries(counted).reduce((s, [denomination, n]) => s + Number(denomination) * n, 0);
}

/** The X report (shift open) or Z report (shift closed with counted cash), with the shift's returns. */
export function shiftReport(
  shift: Pick<Shift, 'float' | 'counted'>,
  sales: readonly Sale[],
  voids: readonly SaleVoid[],
  returns: readonly SaleReturn[] = [],
): ShiftReport {
  const bands = new Map<number, { ratePpm: number; base: Minor; tax: Minor }>();
  let cash = 0;
  let card = 0;
  let rounding = 0;
  let itemCount = 0;
  let exchangeCredit = 0;
  let storeCreditTaken = 0;
  for (const sale of sales) {
    rounding += sale.rounding;
    itemCount += sale.lines.reduce((s, l) => s + l.qty, 0);
    const given = sale.tenders.reduce((s, t) => (t.kind === 'cash' ? s + t.amount : s), 0);
    cash += given - sale.change;
    for (const t of sale.tenders) {
      if (t.kind === 'card') card += t.amount;
      else if (t.kind === 'exchange') exchangeCredit += t.amount;
      else if (t.kind === 'store-credit') storeCreditTaken += t.amount;
    }
    for (const b of sale.taxBands) {
      const band = bands.get(b.ratePpm) ?? { ratePpm: b.ratePpm, base: 0, tax: 0 };
      band.base += b.base;
      band.tax += b.tax;
      bands.set(b.ratePpm, band);
    }
  }
  const sum = (f: (s: Sale) => number) => sales.reduce((acc, s) => acc + f(s), 0);
  const refunds = { cash: 0, card: 0, storeCredit: 0 };
  for (const ret of returns) {
    for (const t of ret.refunds) {
      if (t.kind === 'cash') refunds.cash += t.amount;
      else if (t.kind === 'card') refunds.card += t.amount;
      else refunds.storeCredit += t.amount;
    }
  }
  const takings = sum((s) => s.total + s.rounding);
  const expectedCash = shift.float + cash - refunds.cash;
  const countedCash = shift.counted ? countedTotal(shift.counted) : null;
  return {
    saleCount: sales.length,
    itemCount,
    subtotal: sum((s) => s.subtotal),
    discounts: sum((s) => s.discountTotal),
    tax: sum((s) => s.tax),
    taxBands: [...bands.values()].sort((a, b) => b.ratePpm - a.ratePpm),
    takings,
    rounding,
    byTender: { cash, card },
    voidCount: voids.length,
    voidValue: voids.reduce((s, v) => s + v.value, 0),
    float: shift.float,
    expectedCash,
    countedCash,
    overShort: countedCash === null ? null : countedCash - expectedCash,
    returnCount: returns.length,
    refunds,
    exchangeCredit,
    storeCreditTaken,
    netTakings: takings - returns.reduce((n, r) => n + r.refundTotal, 0),
  };
}
