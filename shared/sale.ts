// Sale and void facts as the till commits them (and later pushes to the ledger).
import { z } from 'zod';
import {
  idTextSchema,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SALE_LINES,
  MAX_UNITS,
  textSchema,
} from './bounds';
import { cartLineSchema, discountSchema } from './cart';
import { amountSchema, currencySchema } from './money';
import { tenderSchema } from './tender';

export const eventIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Event ids are ULIDs');
export const isoTimeSchema = z.iso.datetime();

export const pricedLineSchema = cartLineSchema.extend({
  gross: amountSchema,
  lineDiscount: amountSchema,
  orderDiscountShare: amountSchema,
  net: amountSchema,
  ratePpm: z.number().int().min(0).max(1_000_000),
  tax: amountSchema,
  total: amountSchema,
});

export const taxBandSchema = z.object({
  taxClassId: textSchema(MAX_ID_LENGTH),
  ratePpm: z.number().int().min(0).max(1_000_000),
  base: amountSchema,
  tax: amountSchema,
});

export const saleSchema = z.object({
  id: eventIdSchema,
  receiptNumber: idTextSchema.min(3),
  deviceId: idTextSchema,
  /** Per-device event sequence (1, 2, 3…), shared with every other fact this till records. */
  seq: z.number().int().positive(),
  shiftId: idTextSchema,
  staffId: idTextSchema,
  staffName: textSchema(MAX_NAME_LENGTH),
  /** Set when a discount over the cashier's limit was approved. */
  approvedBy: textSchema(MAX_ID_LENGTH).optional(),
  createdAt: isoTimeSchema,
  /** The identified member, if any (drop limits, early access, member offers). */
  memberId: textSchema(MAX_ID_LENGTH).optional(),
  currency: currencySchema,
  pricesIncludeTax: z.boolean(),
  lines: z.array(pricedLineSchema).min(1).max(MAX_SALE_LINES),
  orderDiscount: discountSchema.optional(),
  subtotal: amountSchema.nonnegative(),
  discountTotal: amountSchema.nonnegative(),
  tax: amountSchema.nonnegative(),
  taxBands: z.array(taxBandSchema).max(MAX_SALE_LINES),
  /** Owed before cash rounding; never negative (money going back is a return, not a sale). */
  total: amountSchema.nonnegative(),
  rounding: amountSchema,
  /** Empty only for a sale that came to nothing (a 100% discount). */
  tenders: z.array(tenderSchema).max(MAX_SALE_LINES),
  change: amountSchema.nonnegative(),
});
export type Sale = z.infer<typeof saleSchema>;

/** A cart abandoned with items in it: counted on the Z report. */
export const voidSchema = z.object({
  id: eventIdSchema,
  deviceId: idTextSchema,
  seq: z.number().int().positive(),
  shiftId: idTextSchema,
  staffId: idTextSchema,
  createdAt: isoTimeSchema,
  itemCount: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_UNITS * MAX_SALE_LINES),
  value: amountSchema,
});
export type SaleVoid = z.infer<typeof voidSchema>;

/** Amount the customer actually paid for a sale (total after cash rounding). */
export function amountPaid(sale: Pick<Sale, 'total' | 'rounding'>): number {
  return sale.total + sale.rounding;
}
