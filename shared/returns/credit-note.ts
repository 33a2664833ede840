// Store credit: a credit note a return issues offline (a code from the promo-code machinery), spendable in parts at any till of the store.
import { z } from 'zod';
import { idTextSchema, MAX_ID_LENGTH, textSchema } from '../bounds';
import { amountSchema, currencySchema } from '../money';

/**
 * What the ledger knows of one credit note: issued by a `sale.returned` refund of kind
 * `store-credit`, spent by `sale.completed` tenders of kind `store-credit`. `spent` may exceed
 * `issued` only when tills spent it offline at the same time: the ledger then raises a
 * `credit-overspent` exception and the balance a till sees is 0.
 */
export const creditNoteBalanceSchema = z.object({
  code: textSchema(MAX_ID_LENGTH).min(1),
  currency: currencySchema,
  issued: amountSchema.nonnegative(),
  spent: amountSchema.nonnegative(),
  issuedAt: z.iso.datetime(),
  /** The return that issued it. */
  returnId: idTextSchema,
});
export type CreditNoteBalance = z.infer<typeof creditNoteBalanceSchema>;

/** What is left to spend on a note (never below zero). */
export function creditLeft(note: Pick<CreditNoteBalance, 'issued' | 'spent'>): number {
  return Math.max(0, note.issued - note.spent);
}
