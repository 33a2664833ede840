// The return fact a till records when goods come back: which lines of which sale, why, in what state, and how the money went back.
import { z } from 'zod';
import {
  idTextSchema,
  MAX_ID_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_SALE_LINES,
  MAX_UNITS,
  textSchema,
} from '../bounds';
import { amountSchema, currencySchema } from '../money';
import { eventIdSchema, isoTimeSchema } from '../sale';

export const RETURN_REASONS = [
  'wrong-size',
  'faulty',
  'not-as-described',
  'changed-mind',
  'gift',
  'other',
] as const;
export const returnReasonSchema = z.enum(RETURN_REASONS);
export type ReturnReason = z.infer<typeof returnReasonSchema>;

/** Resaleable units go back to stock; damaged ones are written off with their reason. */
export const returnConditionSchema = z.enum(['resaleable', 'damaged']);
export type ReturnCondition = z.infer<typeof returnConditionSchema>;

import { REFUND_METHODS, type RefundMethod, refundMethodSchema } from './policy-schema';

export { REFUND_METHODS, type RefundMethod, refundMethodSchema };

export const returnLineSchema = z.object({
  /** 1-based position of the line in the original sale (the ledger's `sale_lines.line_no`). */
  lineNo: z.number().int().min(1).max(MAX_SALE_LINES),
  sku: idTextSchema,
  qty: z.number().int().min(1).max(MAX_UNITS),
  reason: returnReasonSchema,
  condition: returnConditionSchema,
  /** What goes back for these units, pro-rated from what was paid for the line (never more). */
  refund: amountSchema.nonnegative(),
  method: refundMethodSchema,
});
export type ReturnLine = z.infer<typeof returnLineSchema>;

/** Money handed back. Store credit is a credit-note code issued offline with the promo-code machinery. */
export const refundTenderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), amount: amountSchema.positive() }),
  z.object({
    kind: z.literal('card'),
    amount: amountSchema.positive(),
    /** The terminal's refund reference: each refund has its own, so two refunds of one order never merge. */
    reference: textSchema(40).trim().min(1, 'Enter the card terminal refund reference'),
  }),
  z.object({
    kind: z.literal('store-credit'),
    amount: amountSchema.positive(),
    code: textSchema(MAX_ID_LENGTH).min(1),
  }),
]);
export type RefundTender = z.infer<typeof refundTenderSchema>;

/** A manager's approval of what the returns policy refused, with the reason, recorded on the fact. */
export const returnOverrideSchema = z.object({
  approvedBy: idTextSchema,
  reason: textSchema(200).trim().min(3, 'Say why the policy is overridden'),
});

export const saleReturnedSchema = z.object({
  id: eventIdSchema,
  deviceId: idTextSchema,
  seq: z.number().int().positive(),
  /** This return's own number, printed on the return receipt (e.g. T1-R-0007). */
  returnNumber: idTextSchema.min(3),
  /** The sale the goods came from: any till's of this store. */
  saleId: eventIdSchema,
  saleReceiptNumber: idTextSchema.min(3),
  shiftId: idTextSchema,
  staffId: idTextSchema,
  createdAt: isoTimeSchema,
  currency: currencySchema,
  lines: z.array(returnLineSchema).min(1).max(MAX_SALE_LINES),
  /** Sum of the lines' refunds; the tenders add up to it, less what an exchange's new sale took. */
  refundTotal: amountSchema.nonnegative(),
  refunds: z.array(refundTenderSchema).max(8),
  /** Set when the goods were exchanged: the sale (a normal `sale.completed`) that took the credit. */
  exchangeSaleId: eventIdSchema.optional(),
  override: returnOverrideSchema.optional(),
  note: textSchema(MAX_NOTE_LENGTH, { allowLineBreaks: true }).optional(),
});
export type SaleReturn = z.infer<typeof saleReturnedSchema>;
