// Catalog records a till keeps: store settings, tax classes, products and staff (zod schemas are the contract).
import { z } from 'zod';
import { isValidGtin } from './barcode';
import { idTextSchema, MAX_NAME_LENGTH, textSchema } from './bounds';
import { isTimeZone } from './business-day';
import { currencySchema, minorSchema } from './money';
import { returnPolicySchema } from './returns/policy-schema';

/** A tax rate in parts per million of the taxable amount (20% = 200_000, 8.875% = 88_750). */
export const ratePpmSchema = z.number().int().min(0).max(1_000_000);

export const taxClassSchema = z.object({
  id: idTextSchema,
  name: textSchema(MAX_NAME_LENGTH).min(1),
  ratePpm: ratePpmSchema,
});
export type TaxClass = z.infer<typeof taxClassSchema>;

/** Characters in each of the store's promises (returns, shipping): a few short lines on paper. */
export const MAX_PROMISE_LENGTH = 300;

/** A promise to customers printed on every receipt: safe text, line breaks kept, empty = print nothing. */
export const promiseTextSchema = textSchema(MAX_PROMISE_LENGTH, { allowLineBreaks: true });

export const storeSettingsSchema = z.object({
  storeId: idTextSchema,
  name: textSchema(MAX_NAME_LENGTH).min(1),
  currency: currencySchema,
  locale: textSchema(35).min(2),
  /** IANA time zone of the stall: decides which business day a sale belongs to. */
  timeZone: z
    .string()
    .refine(isTimeZone, 'Not a known time zone (use an IANA name such as Europe/Dublin)'),
  /** true: shelf prices include tax (EU style); false: tax is added at the till (US style). */
  pricesIncludeTax: z.boolean(),
  /** Cash totals round to this many minor units (5 = 0.05); 1 or 0 = no cash rounding. */
  cashRounding: z.number().int().min(0).max(100),
  /** Quick cash buttons, in minor units (bank notes). */
  cashQuickAmounts: z.array(minorSchema.positive()).max(8),
  /** Denominations for counting the drawer, largest first, in minor units. */
  denominations: z.array(minorSchema.positive()).min(1),
  /**
   * Blind drawer count: while counting, the till hides the cash it expects and the over/short
   * until the count is confirmed (the Z report then shows both), so a count is never nudged
   * towards the expected figure. Absent: on (see `isBlindCount`); false shows them as you type.
   */
  blindCount: z.boolean().optional(),
  /**
   * Whether a card payment needs the terminal's reference typed in. Absent: optional. Stall
   * terminals (SumUp, Zettle, myPOS…) keep every approval with its amount and time, so matching
   * them up needs no reference, and typing one on every sale slows a queue; a store that
   * reconciles slip by slip turns it on.
   */
  cardReferenceRequired: z.boolean().optional(),
  address: z.array(textSchema(MAX_NAME_LENGTH)).max(4),
  receiptFooter: textSchema(400, { allowLineBreaks: true }),
  /**
   * What the store promises about returns and about shipping, printed above the returns code.
   * Optional: stores and tills from before these settings have none and print none.
   */
  returnsPromise: promiseTextSchema.optional(),
  shippingPromise: promiseTextSchema.optional(),
  /** The store's returns policy; absent: `DEFAULT_RETURN_POLICY` (shared/returns/policy-schema.ts). */
  returnPolicy: returnPolicySchema.optional(),
});
export type StoreSettings = z.infer<typeof storeSettingsSchema>;

/** Blind counting is the safer default: only a store that turned it off sees the expected cash while counting. */
export function isBlindCount(store: Pick<StoreSettings, 'blindCount'>): boolean {
  return store.blindCount !== false;
}

/** What a manager sets at the ledger: both promises at once (an empty text removes one). */
export const storePromisesSchema = z.strictObject({
  returnsPromise: promiseTextSchema,
  shippingPromise: promiseTextSchema,
});
export type StorePromises = z.infer<typeof storePromisesSchema>;

export const productSchema = z.object({
  sku: idTextSchema,
  name: textSchema(120).min(1),
  /** Shelf price of one unit in minor units (tax-inclusive or not per store setting). */
  price: minorSchema.nonnegative(),
  taxClassId: idTextSchema,
  category: textSchema(60).min(1),
  barcodes: z.array(z.string().regex(/^\d{8,14}$/, 'Barcodes are 8–14 digits')).max(8),
  active: z.boolean(),
  /** A drop-style item: small, time-boxed, scarce. */
  drop: textSchema(80).optional(),
  image: textSchema(300).optional(),
});
export type Product = z.infer<typeof productSchema>;

export const staffRoleSchema = z.enum(['cashier', 'lead', 'manager']);
export type StaffRole = z.infer<typeof staffRoleSchema>;

export const staffSchema = z.object({
  id: idTextSchema,
  name: textSchema(60).min(1),
  role: staffRoleSchema,
  /** See shared/pin.ts for the format. */
  pinHash: z.string().min(1),
});
export type Staff = z.infer<typeof staffSchema>;

/** Largest discount (percent of the amount discounted, in basis points) each role may give without a manager. */
export const discountLimitBp: Record<StaffRole, number> = {
  cashier: 1_000,
  lead: 2_500,
  manager: 10_000,
};

export const catalogSchema = z
  .object({
    store: storeSettingsSchema,
    taxClasses: z.array(taxClassSchema).min(1),
    products: z.array(productSchema),
    staff: z.array(staffSchema),
    /** Opening stock on hand per SKU (a ledger snapshot later replaces this). */
    stock: z.record(z.string(), z.number().int()).optional(),
  })
  .superRefine((c, ctx) => {
    // A scan must find exactly one product, and every product must be priceable.
    const taxIds = new Set(c.taxClasses.map((t) => t.id));
    const skus = new Set<string>();
    const barcodes = new Map<string, string>();
    c.products.forEach((p, i) => {
      const path = ['products', i];
      if (skus.has(p.sku))
        ctx.addIssue({ code: 'custom', path, message: `SKU ${p.sku} appears twice` });
      skus.add(p.sku);
      if (!taxIds.has(p.taxClassId)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${p.sku} has unknown tax class ${p.taxClassId}`,
        });
      }
      for (const code of p.barcodes) {
        if (!isValidGtin(code)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${p.sku} has barcode ${code} with a wrong check digit`,
          });
        }
        const other = barcodes.get(code);
        if (other)
          ctx.addIssue({
            code: 'custom',
            path,
            message: `barcode ${code} is on both ${other} and ${p.sku}`,
          });
        barcodes.set(code, p.sku);
      }
    });
  });
export type Catalog = z.infer<typeof catalogSchema>;
