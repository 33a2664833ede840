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
  // Absent on reports stored before the Z report had them.
  /** The drawer count note by note, largest first (Z report; only denominations counted). */
  countedByDenomination?: DenominationCount[];
  /** Each staff member's part of the shift, busiest first. */
  byStaff?: StaffTakings[];
}

export interface DenominationCount {
  denomination: Minor;
  count: number;
  value: Minor;
}

/** One staff member's sales and refunds in a shift. */
export interface StaffTakings {
  staffId: string;
  name: string;
  saleCount: number;
  /** After discounts and cash rounding. */
  takings: Minor;
  /** Cash kept (after change) and card, as in `byTender`. */
  cash: Minor;
  card: Minor;
  returnCount: number;
  /** Everything they handed back: cash, card and store-credit notes. */
  refunds: Minor;
}

export function countedTotal(counted: Readonly<Record<string, number>>): Minor {
  return Object.entries(counted).reduce((s, [denomination, n]) => s + Number(denomination) * n, 0);
}

/** The count as notes and coins, largest first, leaving out denominations not counted. */
export function countedByDenomination(
  counted: Readonly<Record<string, number>>,
): DenominationCount[] {
  return Object.entries(counted)
    .filter(([, n]) => n > 0)
    .map(([d, count]) => ({ denomination: Number(d), count, value: Number(d) * count }))
    .sort((a, b) => b.denomination - a.denomination);
}

/**
 * Who sold and refunded what: a row per staff member with a sale or a return in the shift.
 * Names come from the sales (returns carry only an id), else from `names`, else the id.
 */
export function staffTakings(
  sales: readonly Sale[],
  returns: readonly SaleReturn[],
  names: Readonly<Record<string, string>> = {},
): StaffTakings[] {
  const rows = new Map<string, StaffTakings>();
  const rowFor = (staffId: string): StaffTakings => {
    let row = rows.get(staffId);
    if (!row) {
      row = {
        staffId,
        name: names[staffId] ?? staffId,
        saleCount: 0,
        takings: 0,
        cash: 0,
        card: 0,
        returnCount: 0,
        refunds: 0,
      };
      rows.set(staffId, row);
    }
    return row;
  };
  for (const sale of sales) {
    const row = rowFor(sale.staffId);
    row.name = sale.staffName;
    row.saleCount += 1;
    row.takings += sale.total + sale.rounding;
    for (const t of sale.tenders) {
      if (t.kind === 'cash') row.cash += t.amount;
      else if (t.kind === 'card') row.card += t.amount;
    }
    row.cash -= sale.change;
  }
  for (const ret of returns) {
    const row = rowFor(ret.staffId);
    row.returnCount += 1;
    row.refunds += ret.refunds.reduce((n, t) => n + t.amount, 0);
  }
  return [...rows.values()].sort(
    (a, b) => b.takings - a.takings || a.name.localeCompare(b.name, 'en'),
  );
}

/** The X report (shift open) or Z report (shift closed with counted cash), with the shift's returns. */
export function shiftReport(
  shift: Pick<Shift, 'float' | 'counted'>,
  sales: readonly Sale[],
  voids: readonly SaleVoid[],
  returns: readonly SaleReturn[] = [],
  staffNames: Readonly<Record<string, string>> = {},
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
    ...(shift.counted ? { countedByDenomination: countedByDenomination(shift.counted) } : {}),
    byStaff: staffTakings(sales, returns, staffNames),
  };
}
