// Tenders: cash with change and cash rounding, card on an external terminal, and split payments.
import { z } from 'zod';
import { idTextSchema, MAX_ID_LENGTH, textSchema } from './bounds';
import { amountSchema, type Minor, roundToIncrement } from './money';

export const tenderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), amount: amountSchema.positive() }),
  z.object({
    kind: z.literal('card'),
    amount: amountSchema.positive(),
    /**
     * The external terminal's approval or slip reference. Absent (never empty) where the store
     * lets cashiers skip it (`cardReferenceRequired` off): the terminal keeps its own record.
     */
    reference: textSchema(40).trim().min(1, 'Enter the card terminal reference').optional(),
  }),
  /** Part of a store-credit note (issued by a return at any till of the store) spent on this sale. */
  z.object({
    kind: z.literal('store-credit'),
    amount: amountSchema.positive(),
    code: textSchema(MAX_ID_LENGTH).trim().min(1, 'Enter the credit note code'),
  }),
  /**
   * The value of goods returned in the same exchange (the `sale.returned` fact `returnId`,
   * recorded in the same transaction): not new money, it moves the return's refund onto this sale.
   */
  z.object({
    kind: z.literal('exchange'),
    amount: amountSchema.positive(),
    returnId: idTextSchema,
  }),
]);
export type Tender = z.infer<typeof tenderSchema>;

export interface Settlement {
  /** Owed before any tender, before cash rounding. */
  total: Minor;
  /** Sum of card tenders. */
  card: Minor;
  /** Sum of store-credit and exchange tenders (like a card: never more than due, no change). */
  credit: Minor;
  /** Sum of cash handed over. */
  cashGiven: Minor;
  /** Cash kept after change. */
  cashKept: Minor;
  /** Cash rounding applied (negative when rounded down). */
  rounding: Minor;
  /** Still to pay (0 when complete). */
  remaining: Minor;
  /** What `remaining` becomes if the rest is paid in cash. */
  remainingInCash: Minor;
  change: Minor;
  complete: boolean;
}

export type SettleResult =
  | { ok: true; value: Settlement }
  | { ok: false; code: 'card-over-total' | 'tender-invalid'; message: string };

/** Tenders that are not cash: they pay exactly what they say and never give change. */
export function nonCashPaid(tenders: readonly Tender[]): { card: Minor; credit: Minor } {
  let card = 0;
  let credit = 0;
  for (const t of tenders) {
    if (t.kind === 'card') card += t.amount;
    else if (t.kind !== 'cash') credit += t.amount;
  }
  return { card, credit };
}

/**
 * Work out where a payment stands. Cash rounding applies only to the part paid in
 * cash, and only once cash covers it; card tenders never exceed what is owed (no
 * change on a card).
 */
export function settle(
  total: Minor,
  tenders: readonly Tender[],
  cashRounding: number,
): SettleResult {
  for (const t of tenders) {
    if (!tenderSchema.safeParse(t).success) {
      return {
        ok: false,
        code: 'tender-invalid',
        message: 'Each payment must be a positive amount.',
      };
    }
  }
  const { card, credit } = nonCashPaid(tenders);
  const cashGiven = tenders.reduce((s, t) => (t.kind === 'cash' ? s + t.amount : s), 0);
  if (card + credit > total) {
    return {
      ok: false,
      code: 'card-over-total',
      message:
        credit > 0
          ? 'Card and store credit together cannot be more than the amount still due.'
          : 'A card payment cannot be more than the amount still due.',
    };
  }
  const afterCard = total - card - credit;
  const cashDue = roundToIncrement(afterCard, cashRounding);
  const base = { total, card, credit, cashGiven };
  // Paid in full when cash covers the rounded cash amount (0 when a card left only a few
  // cents), or the exact amount to the cent (someone counted out small coins).
  const paid = tenders.length > 0 || total === 0;
  if (paid && (cashGiven >= cashDue || (cashGiven > 0 && cashGiven >= afterCard))) {
    const cashKept = cashGiven >= cashDue ? cashDue : afterCard;
    return {
      ok: true,
      value: {
        ...base,
        cashKept,
        rounding: cashKept - afterCard,
        remaining: 0,
        remainingInCash: 0,
        change: cashGiven - cashKept,
        complete: true,
      },
    };
  }
  return {
    ok: true,
    value: {
      ...base,
      cashKept: cashGiven,
      rounding: 0,
      remaining: afterCard - cashGiven,
      remainingInCash: Math.max(0, cashDue - cashGiven),
      change: 0,
      complete: false,
    },
  };
}

/**
 * Cash amounts a customer is likely to hand over for `due` (minor units), smallest first: `due`
 * rounded up to each note (€176.50 → €180, €200), and when that gives fewer than three, the
 * largest of those plus the biggest note (→ €250). An amount that is exactly due is left to the
 * screen's "Exact". `notes` are the note values, in any order.
 */
export function quickCashAmounts(due: Minor, notes: readonly Minor[], most = 4): Minor[] {
  if (!Number.isSafeInteger(due) || due <= 0) return [];
  const sizes = [...new Set(notes)].filter((n) => Number.isSafeInteger(n) && n > 0);
  if (sizes.length === 0) return [];
  const out = new Set<Minor>();
  for (const n of sizes) {
    if (due % n !== 0) out.add(due + (n - (due % n)));
  }
  const biggest = Math.max(...sizes);
  const amounts = [...out].sort((a, b) => a - b);
  while (amounts.length < Math.min(3, most)) {
    amounts.push((amounts.at(-1) ?? due) + biggest);
  }
  return amounts.slice(0, most);
}
