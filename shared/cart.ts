// Cart pricing: lines, line and order discounts, per-line tax (inclusive or exclusive) and totals, as one pure function.
import { z } from 'zod';
import { idTextSchema, MAX_NAME_LENGTH, textSchema } from './bounds';
import { saleLineDropSchema } from './drops';
import { allocate, amountSchema, assertMinor, type Minor, mulDivRound } from './money';

/** A discount: a percentage in basis points (12.5% = 1250) or a fixed amount in minor units. */
export const discountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), bp: z.number().int().min(0).max(10_000) }),
  z.object({ kind: z.literal('amount'), amount: amountSchema.nonnegative() }),
]);
export type Discount = z.infer<typeof discountSchema>;

export const MAX_QTY = 9_999;

export const cartLineSchema = z.object({
  lineId: idTextSchema,
  sku: idTextSchema,
  name: textSchema(MAX_NAME_LENGTH).min(1),
  unitPrice: amountSchema.nonnegative(),
  qty: z.number().int().min(1).max(MAX_QTY),
  taxClassId: idTextSchema,
  discount: discountSchema.optional(),
  /** Set when the line sells a drop item: which drop, ladder step and access tier. */
  drop: saleLineDropSchema.optional(),
  /** Money off this line from a promo code (shared/promo.ts promoDiscount), after its own discount. */
  promoDiscount: amountSchema.nonnegative().optional(),
});
export type CartLine = z.infer<typeof cartLineSchema>;

export interface PricingContext {
  /** Shelf prices include tax (true) or tax is added on top (false). */
  pricesIncludeTax: boolean;
  /** Tax rate per tax class id, in parts per million. */
  taxRatesPpm: Readonly<Record<string, number>>;
}

export interface PricedLine extends CartLine {
  /** unitPrice × qty */
  gross: Minor;
  /** The line's own discount plus its promo discount. */
  lineDiscount: Minor;
  /** This line's share of the order discount. */
  orderDiscountShare: Minor;
  /** gross − discounts, in shelf-price terms. */
  net: Minor;
  ratePpm: number;
  tax: Minor;
  /** What the customer pays for the line. */
  total: Minor;
}

export interface TaxBand {
  taxClassId: string;
  ratePpm: number;
  /** Taxable amount without tax. */
  base: Minor;
  tax: Minor;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Sum of line gross amounts before any discount. */
  subtotal: Minor;
  lineDiscounts: Minor;
  orderDiscount: Minor;
  discountTotal: Minor;
  tax: Minor;
  taxBands: TaxBand[];
  /** What the customer owes before cash rounding. */
  total: Minor;
  itemCount: number;
}

function discountOf(amount: Minor, d: Discount | undefined): Minor {
  if (!d) return 0;
  if (d.kind === 'percent') return mulDivRound(amount, d.bp, 10_000);
  if (d.amount > amount) throw new RangeError('discount larger than the amount it applies to');
  return d.amount;
}

function taxOn(net: Minor, ratePpm: number, inclusive: boolean): Minor {
  return inclusive
    ? mulDivRound(net, ratePpm, 1_000_000 + ratePpm)
    : mulDivRound(net, ratePpm, 1_000_000);
}

/**
 * Price a cart. Tax is computed and rounded per line (the single rounding point),
 * after the order discount has been spread over the lines in proportion to their value.
 * Throws RangeError on input that `checkDiscount`/schemas should already have refused.
 */
export function priceCart(
  lines: readonly CartLine[],
  orderDiscount: Discount | undefined,
  ctx: PricingContext,
): PricedCart {
  const afterLine = lines.map((l) => {
    if (!Number.isInteger(l.qty) || l.qty < 1 || l.qty > MAX_QTY) {
      throw new RangeError(`quantity must be 1–${MAX_QTY}`);
    }
    const gross = assertMinor(l.unitPrice * l.qty, 'line amount');
    const promo = l.promoDiscount ?? 0;
    const lineDiscount = discountOf(gross, l.discount) + promo;
    if (promo < 0 || lineDiscount > gross) {
      throw new RangeError('promo discount larger than what the line costs');
    }
    return { gross, lineDiscount, afterLine: gross - lineDiscount };
  });
  const discountable = afterLine.reduce((s, l) => s + l.afterLine, 0);
  const orderDiscountTotal = discountOf(discountable, orderDiscount);
  const shares = allocate(
    orderDiscountTotal,
    afterLine.map((l) => l.afterLine),
  );

  const bands = new Map<string, TaxBand>();
  const priced: PricedLine[] = lines.map((line, i) => {
    const a = afterLine[i]!;
    const orderDiscountShare = shares[i] ?? 0;
    const net = a.afterLine - orderDiscountShare;
    const ratePpm = ctx.taxRatesPpm[line.taxClassId];
    if (ratePpm === undefined) throw new RangeError(`unknown tax class ${line.taxClassId}`);
    const tax = taxOn(net, ratePpm, ctx.pricesIncludeTax);
    const total = ctx.pricesIncludeTax ? net : net + tax;
    const band = bands.get(line.taxClassId) ?? {
      taxClassId: line.taxClassId,
      ratePpm,
      base: 0,
      tax: 0,
    };
    band.base += total - tax;
    band.tax += tax;
    bands.set(line.taxClassId, band);
    return {
      ...line,
      gross: a.gross,
      lineDiscount: a.lineDiscount,
      orderDiscountShare,
      net,
      ratePpm,
      tax,
      total,
    };
  });

  const sum = (f: (l: PricedLine) => number) => priced.reduce((s, l) => s + f(l), 0);
  const lineDiscounts = sum((l) => l.lineDiscount);
  return {
    lines: priced,
    subtotal: sum((l) => l.gross),
    lineDiscounts,
    orderDiscount: orderDiscountTotal,
    discountTotal: lineDiscounts + orderDiscountTotal,
    tax: sum((l) => l.tax),
    taxBands: [...bands.values()].sort((x, y) => y.ratePpm - x.ratePpm),
    total: sum((l) => l.total),
    itemCount: sum((l) => l.qty),
  };
}

export type DiscountCheck =
  | { ok: true; amount: Minor; bp: number; needsManager: boolean }
  | { ok: false; code: 'discount-invalid' | 'discount-too-large'; message: string };

/**
 * Check a discount someone typed against what it applies to and the staff member's limit.
 * `limitBp` is the largest share (basis points) this person may give alone; over it needs a manager.
 */
export function checkDiscount(d: Discount, appliesTo: Minor, limitBp: number): DiscountCheck {
  const parsed = discountSchema.safeParse(d);
  if (!parsed.success) {
    return d.kind === 'percent' && d.bp > 10_000
      ? { ok: false, code: 'discount-too-large', message: 'A discount cannot be more than 100%.' }
      : { ok: false, code: 'discount-invalid', message: 'Enter a discount of zero or more.' };
  }
  if (d.kind === 'amount' && d.amount > appliesTo) {
    return {
      ok: false,
      code: 'discount-too-large',
      message: 'A discount cannot be more than the amount it applies to.',
    };
  }
  const amount = discountOf(appliesTo, d);
  const bp =
    d.kind === 'percent' ? d.bp : appliesTo === 0 ? 0 : Math.ceil((amount * 10_000) / appliesTo);
  return { ok: true, amount, bp, needsManager: bp > limitBp };
}
