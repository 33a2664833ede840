// What goes back for returned units: pro-rated from what was actually paid for the line, so every split of a full return adds up to the sale.
import { allocate, type Minor, mulDivRound } from '../money';
import type { Sale } from '../sale';
import { checkReturnQty, type PriorReturnLine, returnedQty } from './returnable';

type PaidSale = Pick<Sale, 'id' | 'receiptNumber' | 'lines' | 'total' | 'rounding'>;

/**
 * What the customer paid for each line: its total (after its own discount, promo and its share of
 * the order discount, with tax) plus its share of the sale's cash rounding, spread with `allocate`
 * in proportion to the line totals. The parts add up to exactly what was paid for the sale.
 */
export function paidPerLine(sale: PaidSale): Minor[] {
  const rounding = allocate(
    sale.rounding,
    sale.lines.map((l) => l.total),
  );
  // Rounding down never takes more from a line than it cost (it is at most the cash part), but a
  // refund must never be negative, so guard it anyway.
  return sale.lines.map((l, i) => Math.max(0, l.total + (rounding[i] ?? 0)));
}

export type RefundResult =
  | { ok: true; amount: Minor }
  | { ok: false; code: 'no-such-line' | 'qty-invalid' | 'more-than-sold'; message: string };

/**
 * The refund for `qty` more units of a line, given the returns so far. Amounts are cumulative
 * cuts of the line's paid amount (units k..k+qty of n get paid×(k+qty)/n − paid×k/n, one rounding
 * rule), so returning every unit, in any split and order, refunds exactly what the line cost and
 * no partial return can reach past it.
 */
export function refundFor(
  sale: PaidSale,
  lineNo: number,
  qty: number,
  returnedSoFar: readonly PriorReturnLine[],
): RefundResult {
  const check = checkReturnQty(sale, lineNo, qty, returnedSoFar);
  if (!check.ok) return check;
  const line = sale.lines[lineNo - 1]!;
  const paid = paidPerLine(sale)[lineNo - 1]!;
  const before = Math.min(line.qty, returnedQty(sale.id, lineNo, returnedSoFar));
  const amount = mulDivRound(paid, before + qty, line.qty) - mulDivRound(paid, before, line.qty);
  return { ok: true, amount };
}

// Where the money goes back lives beside this module; callers of the refund maths find it here too.
export { planRefundTenders, type RefundPart, type RefundPlan } from './refund-tenders';
