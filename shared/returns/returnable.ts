// How many units of a sale line may still come back: never more than were sold, counting every return any till has made.
import { z } from 'zod';
import { MAX_SALE_LINES, MAX_UNITS } from '../bounds';
import type { Sale } from '../sale';
import { eventIdSchema } from '../sale';
import type { SaleReturn } from './return-fact';

/**
 * Units of one line of one sale that one return took back. A till builds these from its own
 * returns (outbox and history, `priorReturnLines`) and from the ledger's returned quantities
 * from pull, and simply concatenates both: the same return seen twice counts once.
 */
export const priorReturnLineSchema = z.object({
  returnId: eventIdSchema,
  saleId: eventIdSchema,
  lineNo: z.number().int().min(1).max(MAX_SALE_LINES),
  /** Every unit of that line in that return (a return may list a line twice: resaleable and damaged). */
  qty: z.number().int().min(1).max(MAX_UNITS),
});
export type PriorReturnLine = z.infer<typeof priorReturnLineSchema>;

/** A return fact as prior return lines: one per line number, its units summed. */
export function priorReturnLines(
  fact: Pick<SaleReturn, 'id' | 'saleId' | 'lines'>,
): PriorReturnLine[] {
  const byLine = new Map<number, number>();
  for (const l of fact.lines) byLine.set(l.lineNo, (byLine.get(l.lineNo) ?? 0) + l.qty);
  return [...byLine].map(([lineNo, qty]) => ({
    returnId: fact.id,
    saleId: fact.saleId,
    lineNo,
    qty,
  }));
}

/**
 * Units of a line already returned. Each return counts once per line, whichever source it came
 * from; should two sources disagree on its units, the larger counts, so a till never hands back
 * more than was sold on the strength of the smaller figure.
 */
export function returnedQty(
  saleId: string,
  lineNo: number,
  returnedSoFar: readonly PriorReturnLine[],
): number {
  const byReturn = new Map<string, number>();
  for (const r of returnedSoFar) {
    if (r.saleId !== saleId || r.lineNo !== lineNo) continue;
    byReturn.set(r.returnId, Math.max(byReturn.get(r.returnId) ?? 0, r.qty));
  }
  let total = 0;
  for (const qty of byReturn.values()) total += qty;
  return total;
}

/** Units of line `lineNo` (1-based) of the sale that may still come back: 0 for a line the sale does not have. */
export function returnableQty(
  sale: Pick<Sale, 'id' | 'lines'>,
  lineNo: number,
  returnedSoFar: readonly PriorReturnLine[],
): number {
  const line = sale.lines[lineNo - 1];
  if (!line || !Number.isInteger(lineNo)) return 0;
  return Math.max(0, line.qty - returnedQty(sale.id, lineNo, returnedSoFar));
}

export type QtyCheck =
  | { ok: true; returnable: number }
  | { ok: false; code: 'no-such-line' | 'qty-invalid' | 'more-than-sold'; message: string };

/** Whether `qty` units of a line may come back now, in words a cashier can read out. */
export function checkReturnQty(
  sale: Pick<Sale, 'id' | 'receiptNumber' | 'lines'>,
  lineNo: number,
  qty: number,
  returnedSoFar: readonly PriorReturnLine[],
): QtyCheck {
  const line = sale.lines[lineNo - 1];
  if (!line || !Number.isInteger(lineNo)) {
    return {
      ok: false,
      code: 'no-such-line',
      message: `Sale ${sale.receiptNumber} has no line ${lineNo}.`,
    };
  }
  if (!Number.isInteger(qty) || qty < 1) {
    return { ok: false, code: 'qty-invalid', message: 'Return at least one whole unit.' };
  }
  const returnable = returnableQty(sale, lineNo, returnedSoFar);
  if (qty > returnable) {
    const done = line.qty - returnable;
    const message =
      returnable === 0
        ? `All ${line.qty} of ${line.name} on ${sale.receiptNumber} have already been returned.`
        : `Only ${returnable} of ${line.name} can come back: ${line.qty} sold, ${done} already returned.`;
    return { ok: false, code: 'more-than-sold', message };
  }
  return { ok: true, returnable };
}
