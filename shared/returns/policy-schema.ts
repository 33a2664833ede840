// The returns policy as a store sets it: a window and the refund methods per tier. No imports beyond zod and bounds, so store settings can hold it.
import { z } from 'zod';
import { idTextSchema } from '../bounds';

/** How money may go back for a line, most generous first. */
export const REFUND_METHODS = ['original-tender', 'store-credit', 'exchange'] as const;
export const refundMethodSchema = z.enum(REFUND_METHODS);
export type RefundMethod = z.infer<typeof refundMethodSchema>;

const tierRuleSchema = z.object({
  /** Calendar days after the day of the sale (0: the same day only). */
  days: z.number().int().min(0).max(3650),
  /** How money may go back; empty: the line cannot come back. */
  methods: z.array(refundMethodSchema).max(REFUND_METHODS.length),
});
export type TierRule = z.infer<typeof tierRuleSchema>;

export const returnPolicySchema = z.object({
  member: tierRuleSchema,
  standard: tierRuleSchema,
  discounted: tierRuleSchema,
  drop: tierRuleSchema,
  /** A line discount of at least this share of the line (basis points) makes it `discounted`. */
  discountedFromBp: z.number().int().min(1).max(10_000),
  /** SKUs sold as final sale: never returned, except when faulty. */
  finalSaleSkus: z.array(idTextSchema).max(10_000),
  /** The window in which faulty goods are always refundable (consumer law). */
  statutoryFaultyDays: z.number().int().min(0).max(3650),
  /** What a manager's override allows where the line's tier allows nothing (final sale). */
  overrideMethods: z.array(refundMethodSchema).min(1).max(REFUND_METHODS.length),
});
export type ReturnPolicy = z.infer<typeof returnPolicySchema>;

/** The policy until a store sets its own: generous for members, strict for steep discounts and drops. */
export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  member: { days: 30, methods: ['original-tender', 'store-credit', 'exchange'] },
  standard: { days: 14, methods: ['original-tender', 'exchange'] },
  discounted: { days: 7, methods: ['store-credit', 'exchange'] },
  drop: { days: 7, methods: ['exchange'] },
  discountedFromBp: 3000,
  finalSaleSkus: [],
  statutoryFaultyDays: 30,
  overrideMethods: ['store-credit', 'exchange'],
};
