// Test fixture: sales made the way the till makes them (priceCart, then settle until paid), and fast-check arbitraries of them.
import fc from 'fast-check';
import { type CartLine, type Discount, priceCart } from '../cart';
import type { SaleLineDrop } from '../drops';
import { type Sale, saleSchema } from '../sale';
import { settle, type Tender } from '../tender';

/** Irish VAT 23% and 13.5%, zero-rated, and NYC sales tax 8.875%. */
export const RATES: Record<string, number> = { std: 230_000, red: 135_000, zero: 0, nyc: 88_750 };

export interface LineSpec {
  sku?: string;
  unitPrice: number;
  qty: number;
  taxClassId?: string;
  discount?: Discount;
  promoDiscount?: number;
  drop?: SaleLineDrop;
}

export interface SaleSpec {
  lines: LineSpec[];
  orderDiscount?: Discount;
  pricesIncludeTax?: boolean;
  cashRounding?: number;
  /** Part of the total paid by card first, in per mille (0: all cash, 1000: all card). */
  cardPerMille?: number;
  /** Cash handed over rounded up to a 5.00 note (change given) rather than exact. */
  note?: boolean;
  createdAt?: string;
  memberId?: string;
}

/** A sale as recordSale commits it: priced by priceCart, paid until settle says complete. */
export function tillSale(spec: SaleSpec): Sale {
  const lines: CartLine[] = spec.lines.map((l, i) => ({
    lineId: `L${i + 1}`,
    sku: l.sku ?? `SKU-${i + 1}`,
    name: `Item ${i + 1}`,
    unitPrice: l.unitPrice,
    qty: l.qty,
    taxClassId: l.taxClassId ?? 'std',
    ...(l.discount ? { discount: l.discount } : {}),
    ...(l.promoDiscount ? { promoDiscount: l.promoDiscount } : {}),
    ...(l.drop ? { drop: l.drop } : {}),
  }));
  const pricesIncludeTax = spec.pricesIncludeTax ?? true;
  const cashRounding = spec.cashRounding ?? 1;
  const cart = priceCart(lines, spec.orderDiscount, { pricesIncludeTax, taxRatesPpm: RATES });
  const card = Math.floor((cart.total * (spec.cardPerMille ?? 0)) / 1000);
  const tenders: Tender[] = card > 0 ? [{ kind: 'card', amount: card, reference: 'AUTH-1' }] : [];
  const probe = settle(cart.total, tenders, cashRounding);
  if (!probe.ok) throw new Error(probe.message);
  if (!probe.value.complete) {
    const due = probe.value.remainingInCash;
    // A few cents rounded away still needs coins handed over (the pay screen refuses 0).
    const exact = due === 0 ? cart.total - card : due;
    const cash = spec.note ? (Math.floor(exact / 500) + 1) * 500 : exact;
    tenders.push({ kind: 'cash', amount: cash });
  }
  const paid = settle(cart.total, tenders, cashRounding);
  if (!paid.ok || !paid.value.complete) throw new Error('the fixture paid short');
  return saleSchema.parse({
    id: '01JD0000000000000000000000',
    receiptNumber: 'T1-000001',
    deviceId: 'dev-1',
    seq: 1,
    shiftId: 'shift-1',
    staffId: 'staff-1',
    staffName: 'Aoife',
    createdAt: spec.createdAt ?? '2026-11-25T10:00:00.000Z',
    ...(spec.memberId ? { memberId: spec.memberId } : {}),
    currency: 'EUR',
    pricesIncludeTax,
    lines: cart.lines,
    ...(spec.orderDiscount ? { orderDiscount: spec.orderDiscount } : {}),
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: paid.value.rounding,
    tenders,
    change: paid.value.change,
  });
}

const lineArb: fc.Arbitrary<LineSpec> = fc
  .record({
    unitPrice: fc.integer({ min: 0, max: 60_000 }),
    qty: fc.integer({ min: 1, max: 12 }),
    taxClassId: fc.constantFrom(...Object.keys(RATES)),
    discountBp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    promoPerMille: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
  })
  .map(({ discountBp, promoPerMille, ...l }) => {
    const gross = l.unitPrice * l.qty;
    const own = discountBp === undefined ? 0 : Math.round((gross * discountBp) / 10_000);
    // A promo code takes money off what the line's own discount left.
    const promo = promoPerMille ? Math.floor(((gross - own) * promoPerMille) / 1000) : 0;
    return {
      ...l,
      ...(discountBp === undefined ? {} : { discount: { kind: 'percent', bp: discountBp } }),
      ...(promo > 0 ? { promoDiscount: promo } : {}),
    } satisfies LineSpec;
  });

/** Random sales the till could make: up to 6 lines, discounts, promos, either tax style, card/cash splits, cash rounding. */
export const saleArb: fc.Arbitrary<Sale> = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
    orderBp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    pricesIncludeTax: fc.boolean(),
    cashRounding: fc.constantFrom(0, 1, 5, 10, 50),
    cardPerMille: fc.oneof(fc.constant(0), fc.constant(1000), fc.integer({ min: 1, max: 999 })),
    note: fc.boolean(),
  })
  .map(({ orderBp, ...s }) =>
    tillSale({
      ...s,
      ...(orderBp === undefined ? {} : { orderDiscount: { kind: 'percent', bp: orderBp } }),
    }),
  );
