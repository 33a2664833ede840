// Sale and void facts as the till commits them (and later pushes to the ledger).
import { z } from 'zod';
import { cartLineSchema, discountSchema } from './cart';
import { currencySchema, minorSchema } from './money';
import { tenderSchema } from './tender';

export const eventIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Event ids are ULIDs');
export const isoTimeSchema = z.iso.datetime();

export const pricedLineSchema = cartLineSchema.extend({
  gross: minorSchema,
  lineDiscount: minorSchema,
  orderDiscountShare: minorSchema,
  net: minorSchema,
  ratePpm: z.number().int().min(0),
  tax: minorSchema,
  total: minorSchema,
});

export const taxBandSchema = z.object({
  taxClassId: z.string(),
  ratePpm: z.number().int().min(0),
  base: minorSchema,
  tax: minorSchema,
});

export const saleSchema = z.object({
  id: eventIdSchema,
  receiptNumber: z.string().min(3),
  deviceId: z.string().min(1),
  /** Per-device event sequence (1, 2, 3…), shared with every other fact this till records. */
  seq: z.number().int().positive(),
  shiftId: z.string().min(1),
  staffId: z.string().min(1),
  staffName: z.string(),
  /** Set when a discount over the cashier's limit was approved. */
  approvedBy: z.string().optional(),
  createdAt: isoTimeSchema,
  /** The identified member, if any (drop limits, early access, member offers). */
  memberId: z.string().optional(),
  currency: currencySchema,
  pricesIncludeTax: z.boolean(),
  lines: z.array(pricedLineSchema).min(1),
  orderDiscount: discountSchema.optional(),
  subtotal: minorSchema.nonnegative(),
  discountTotal: minorSchema.nonnegative(),
  tax: minorSchema.nonnegative(),
  taxBands: z.array(taxBandSchema),
  /** Owed before cash rounding; never negative (money going back is a return, not a sale). */
  total: minorSchema.nonnegative(),
  rounding: minorSchema,
  /** Empty only for a sale that came to nothing (a 100% discount). */
  tenders: z.array(tenderSchema),
  change: minorSchema.nonnegative(),
});
export type Sale = z.infer<typeof saleSchema>;

/** A cart abandoned with items in it: counted on the Z report. */
export const voidSchema = z.object({
  id: eventIdSchema,
  deviceId: z.string().min(1),
  seq: z.number().int().positive(),
  shiftId: z.string().min(1),
  staffId: z.string().min(1),
  createdAt: isoTimeSchema,
  itemCount: z.number().int().nonnegative(),
  value: minorSchema,
});
export type SaleVoid = z.infer<typeof voidSchema>;

/** Amount the customer actually paid for a sale (total after cash rounding). */
export function amountPaid(sale: Pick<Sale, 'total' | 'rounding'>): number {
  return sale.total + sale.rounding;
}
