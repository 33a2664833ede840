import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CartLine,
  checkDiscount,
  type Discount,
  type PricingContext,
  priceCart,
} from './cart';

// Irish VAT rates (standard 23%, reduced 13.5%, zero), UK 20%, a 10% class and NYC sales tax 8.875%.
const RATES = { std: 230_000, red: 135_000, zero: 0, uk: 200_000, ten: 100_000, nyc: 88_750 };
const inclusive: PricingContext = { pricesIncludeTax: true, taxRatesPpm: RATES };
const exclusive: PricingContext = { pricesIncludeTax: false, taxRatesPpm: RATES };

let nextLine = 0;
function line(unitPrice: number, qty: number, taxClassId: string, discount?: Discount): CartLine {
  nextLine += 1;
  return {
    lineId: `l${nextLine}`,
    sku: `SKU-${unitPrice}`,
    name: `Item ${unitPrice}`,
    unitPrice,
    qty,
    taxClassId,
    ...(discount ? { discount } : {}),
  };
}

describe('priceCart: tax included in shelf prices vs added at the till', () => {
  const cart = [line(499, 3, 'std')];

  it('takes 23% VAT out of the shelf price when prices include tax', () => {
    // 3 × €4.99 = 1497; tax = 1497 × 23/123 = 279.93 → 280; customer pays 1497
    const p = priceCart(cart, undefined, inclusive);
    expect(p.subtotal).toBe(1497);
    expect(p.tax).toBe(280);
    expect(p.total).toBe(1497);
    expect(p.lines[0]).toMatchObject({ gross: 1497, net: 1497, tax: 280, total: 1497 });
    expect(p.taxBands).toEqual([{ taxClassId: 'std', ratePpm: 230_000, base: 1217, tax: 280 }]);
    expect(p.itemCount).toBe(3);
  });

  it('adds 23% on top of the shelf price when prices exclude tax', () => {
    // same cart: tax = 1497 × 0.23 = 344.31 → 344; customer pays 1497 + 344 = 1841
    const p = priceCart(cart, undefined, exclusive);
    expect(p.subtotal).toBe(1497);
    expect(p.tax).toBe(344);
    expect(p.total).toBe(1841);
    expect(p.lines[0]).toMatchObject({ net: 1497, tax: 344, total: 1841 });
    expect(p.taxBands).toEqual([{ taxClassId: 'std', ratePpm: 230_000, base: 1497, tax: 344 }]);
  });

  it('adds US sales tax of 8.875% on top', () => {
    // $19.99 + $5.00 = 2499 (two lines, one class): tax per line 1999 × 0.08875 = 177.41 → 177,
    // 500 × 0.08875 = 44.375 → 44; total 2499 + 221 = 2720
    const p = priceCart([line(1999, 1, 'nyc'), line(500, 1, 'nyc')], undefined, exclusive);
    expect(p.lines.map((l) => l.tax)).toEqual([177, 44]);
    expect(p.tax).toBe(221);
    expect(p.total).toBe(2720);
    expect(p.taxBands).toEqual([{ taxClassId: 'nyc', ratePpm: 88_750, base: 2499, tax: 221 }]);
  });

  it('keeps one band per tax class, highest rate first, in a mixed cart', () => {
    // 2 × €6.50 tote at 23%: 1300 × 23/123 = 243.09 → 243, base 1057
    // €3.00 snack at 13.5%: 300 × 13.5/113.5 = 35.68 → 36, base 264
    // €12.00 book at 0%: tax 0, base 1200
    const p = priceCart(
      [line(1200, 1, 'zero'), line(650, 2, 'std'), line(300, 1, 'red')],
      undefined,
      inclusive,
    );
    expect(p.total).toBe(2800);
    expect(p.tax).toBe(279);
    expect(p.taxBands).toEqual([
      { taxClassId: 'std', ratePpm: 230_000, base: 1057, tax: 243 },
      { taxClassId: 'red', ratePpm: 135_000, base: 264, tax: 36 },
      { taxClassId: 'zero', ratePpm: 0, base: 1200, tax: 0 },
    ]);
    expect(p.itemCount).toBe(4);
  });

  it('rounds tax that lands on exactly half a cent away from zero', () => {
    // exclusive 10% on 25c: 2.5 → 3, pays 28c (banker's rounding would give 2)
    expect(priceCart([line(25, 1, 'ten')], undefined, exclusive)).toMatchObject({
      tax: 3,
      total: 28,
    });
    // exclusive 10% on 15c: 1.5 → 2, pays 17c
    expect(priceCart([line(15, 1, 'ten')], undefined, exclusive)).toMatchObject({
      tax: 2,
      total: 17,
    });
    // inclusive 20% on 9c: 9 × 20/120 = 1.5 → 2; on 3c: 0.5 → 1
    expect(priceCart([line(9, 1, 'uk')], undefined, inclusive)).toMatchObject({ tax: 2, total: 9 });
    expect(priceCart([line(3, 1, 'uk')], undefined, inclusive)).toMatchObject({ tax: 1, total: 3 });
  });

  it('rounds tax per line, not on the cart total', () => {
    // two 5c lines at 10% exclusive: 0.5 → 1 each, tax 2 (one rounding on 10c would give 1)
    const p = priceCart([line(5, 1, 'ten'), line(5, 1, 'ten')], undefined, exclusive);
    expect(p.lines.map((l) => l.tax)).toEqual([1, 1]);
    expect(p.tax).toBe(2);
    expect(p.total).toBe(12);
  });
});

describe('priceCart: discounts', () => {
  it('a 100% line discount makes the line free and untaxed', () => {
    // €15.00 at 23% with 100% off: net 0, tax 0; the other €10.00 line: 1000 × 23/123 = 186.99 → 187
    const p = priceCart(
      [line(1500, 1, 'std', { kind: 'percent', bp: 10_000 }), line(1000, 1, 'std')],
      undefined,
      inclusive,
    );
    expect(p.lines[0]).toMatchObject({ gross: 1500, lineDiscount: 1500, net: 0, tax: 0, total: 0 });
    expect(p.lines[1]).toMatchObject({ net: 1000, tax: 187, total: 1000 });
    expect(p).toMatchObject({
      subtotal: 2500,
      lineDiscounts: 1500,
      discountTotal: 1500,
      total: 1000,
      tax: 187,
    });
  });

  it('a 100% order discount makes the whole sale free, in both tax modes', () => {
    const lines = [line(1500, 2, 'std'), line(300, 1, 'red')];
    for (const ctx of [inclusive, exclusive]) {
      const p = priceCart(lines, { kind: 'percent', bp: 10_000 }, ctx);
      expect(p.orderDiscount).toBe(3300);
      expect(p.lines.map((l) => l.orderDiscountShare)).toEqual([3000, 300]);
      expect(p.total).toBe(0);
      expect(p.tax).toBe(0);
      expect(p.taxBands.map((b) => [b.base, b.tax])).toEqual([
        [0, 0],
        [0, 0],
      ]);
    }
  });

  it('applies a line discount first, then the order discount on what is left', () => {
    // A: 2 × €10.00 at 23%, 10% off the line → 2000 − 200 = 1800
    // B: €5.00 at 13.5%, €0.50 off the line → 450
    // order 5% of 2250 = 112.5 → 113; split 1800:450 → exact 90.4 and 22.6 → 90 + 22 = 112,
    //   the last cent goes to the larger fraction (B: .6) → shares 90 and 23
    // net A 1710: tax 1710 × 23/123 = 319.76 → 320; net B 427: tax 427 × 13.5/113.5 = 50.79 → 51
    const p = priceCart(
      [
        line(1000, 2, 'std', { kind: 'percent', bp: 1000 }),
        line(500, 1, 'red', { kind: 'amount', amount: 50 }),
      ],
      { kind: 'percent', bp: 500 },
      inclusive,
    );
    expect(p.lines[0]).toMatchObject({
      gross: 2000,
      lineDiscount: 200,
      orderDiscountShare: 90,
      net: 1710,
      tax: 320,
    });
    expect(p.lines[1]).toMatchObject({
      gross: 500,
      lineDiscount: 50,
      orderDiscountShare: 23,
      net: 427,
      tax: 51,
    });
    expect(p).toMatchObject({
      subtotal: 2500,
      lineDiscounts: 250,
      orderDiscount: 113,
      discountTotal: 363,
      tax: 371,
      total: 2137, // 2500 − 363
    });
  });

  it('spreads an order discount over lines with different VAT rates and taxes each band on what was paid', () => {
    // €10.00 at 23% and €5.00 at 13.5%, €1.00 off the order: exact shares 66.67 and 33.33
    //   → 66 + 33 = 99, the last cent to the larger fraction (A) → 67 and 33
    // inclusive: net A 933: tax 933 × 23/123 = 174.46 → 174, base 759
    //            net B 467: tax 467 × 13.5/113.5 = 55.55 → 56, base 411
    // (taxing before the discount would have given 187 and 59: too much VAT)
    const lines = [line(1000, 1, 'std'), line(500, 1, 'red')];
    const p = priceCart(lines, { kind: 'amount', amount: 100 }, inclusive);
    expect(p.lines.map((l) => l.orderDiscountShare)).toEqual([67, 33]);
    expect(p.taxBands).toEqual([
      { taxClassId: 'std', ratePpm: 230_000, base: 759, tax: 174 },
      { taxClassId: 'red', ratePpm: 135_000, base: 411, tax: 56 },
    ]);
    expect(p).toMatchObject({ orderDiscount: 100, tax: 230, total: 1400 });

    // exclusive: the discount comes off before tax: 933 × 0.23 = 214.59 → 215; 467 × 0.135 = 63.05 → 63
    const q = priceCart(lines, { kind: 'amount', amount: 100 }, exclusive);
    expect(q.taxBands).toEqual([
      { taxClassId: 'std', ratePpm: 230_000, base: 933, tax: 215 },
      { taxClassId: 'red', ratePpm: 135_000, base: 467, tax: 63 },
    ]);
    expect(q).toMatchObject({ tax: 278, total: 1678 }); // 1400 + 278
  });

  it('gives no share of the order discount to a line that is already free', () => {
    // A is 100% off; €2.00 off the order all lands on B (€8.00 → €6.00)
    const p = priceCart(
      [line(500, 1, 'std', { kind: 'percent', bp: 10_000 }), line(800, 1, 'std')],
      { kind: 'amount', amount: 200 },
      inclusive,
    );
    expect(p.lines.map((l) => [l.orderDiscountShare, l.total])).toEqual([
      [0, 0],
      [200, 600],
    ]);
  });

  it('refuses input the discount check should already have stopped', () => {
    expect(() =>
      priceCart([line(500, 1, 'std', { kind: 'amount', amount: 501 })], undefined, inclusive),
    ).toThrow(RangeError);
    expect(() =>
      priceCart([line(500, 1, 'std')], { kind: 'amount', amount: 501 }, inclusive),
    ).toThrow(RangeError);
    expect(() => priceCart([line(500, 0, 'std')], undefined, inclusive)).toThrow(RangeError);
    expect(() => priceCart([line(500, 1.5, 'std')], undefined, inclusive)).toThrow(RangeError);
    expect(() => priceCart([line(500, 1, 'luxury')], undefined, inclusive)).toThrow(
      /unknown tax class/,
    );
  });

  it('prices an empty cart at zero', () => {
    expect(priceCart([], undefined, inclusive)).toMatchObject({
      subtotal: 0,
      tax: 0,
      total: 0,
      taxBands: [],
    });
  });

  it('does not change the cart it was given', () => {
    const lines = [line(1000, 2, 'std', { kind: 'percent', bp: 1000 }), line(500, 1, 'red')];
    const before = structuredClone(lines);
    priceCart(lines, { kind: 'amount', amount: 100 }, inclusive);
    expect(lines).toEqual(before);
  });
});

describe('priceCart invariants (property)', () => {
  const classes = Object.keys(RATES);
  // A discount as percent, or as an amount given as a share (bp) of what it applies to so it never exceeds it.
  const discountSpec = fc.record({
    kind: fc.constantFrom('percent' as const, 'amount' as const),
    bp: fc.integer({ min: 0, max: 10_000 }),
  });
  type DiscountSpec = { kind: 'percent' | 'amount'; bp: number };
  const toDiscount = (d: DiscountSpec | undefined, base: number): Discount | undefined =>
    d === undefined
      ? undefined
      : d.kind === 'percent'
        ? { kind: 'percent', bp: d.bp }
        : { kind: 'amount', amount: Math.floor((base * d.bp) / 10_000) };

  const lineArb = fc
    .record({
      unitPrice: fc.integer({ min: 0, max: 200_000 }),
      qty: fc.integer({ min: 1, max: 50 }),
      taxClassId: fc.constantFrom(...classes),
      discount: fc.option(discountSpec, { nil: undefined }),
    })
    .map(({ discount, ...l }): CartLine => {
      const d = toDiscount(discount, l.unitPrice * l.qty);
      return { lineId: 'l', sku: 's', name: 'n', ...l, ...(d ? { discount: d } : {}) };
    });
  const cartArb = fc.record({
    lines: fc
      .array(lineArb, { maxLength: 12 })
      .map((ls) => ls.map((l, i) => ({ ...l, lineId: `l${i}` }))),
    order: fc.option(discountSpec, { nil: undefined }),
    pricesIncludeTax: fc.boolean(),
  });

  it('totals add up, discounts are fully spread, bands match, and no line goes negative', () => {
    fc.assert(
      fc.property(cartArb, ({ lines, order, pricesIncludeTax }) => {
        const ctx = { pricesIncludeTax, taxRatesPpm: RATES };
        const plain = priceCart(lines, undefined, ctx);
        const discountable = plain.subtotal - plain.lineDiscounts;
        const orderDiscount = toDiscount(order, discountable);
        const p = priceCart(lines, orderDiscount, ctx);
        const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

        expect(sum(p.lines.map((l) => l.total))).toBe(p.total);
        expect(sum(p.lines.map((l) => l.tax))).toBe(p.tax);
        expect(sum(p.lines.map((l) => l.gross))).toBe(p.subtotal);
        expect(p.discountTotal).toBe(p.lineDiscounts + p.orderDiscount);
        expect(p.total).toBe(p.subtotal - p.discountTotal + (pricesIncludeTax ? 0 : p.tax));
        expect(sum(p.lines.map((l) => l.orderDiscountShare))).toBe(p.orderDiscount);
        expect(sum(p.taxBands.map((b) => b.tax))).toBe(p.tax);
        expect(sum(p.taxBands.map((b) => b.base + b.tax))).toBe(p.total);
        expect(new Set(p.taxBands.map((b) => b.taxClassId)).size).toBe(p.taxBands.length);
        expect(p.lineDiscounts).toBe(plain.lineDiscounts);

        for (const l of p.lines) {
          expect(l.lineDiscount).toBeGreaterThanOrEqual(0);
          expect(l.orderDiscountShare).toBeGreaterThanOrEqual(0);
          expect(l.net).toBeGreaterThanOrEqual(0);
          expect(l.tax).toBeGreaterThanOrEqual(0);
          expect(l.total).toBeGreaterThanOrEqual(0);
          expect(l.net).toBe(l.gross - l.lineDiscount - l.orderDiscountShare);
          // tax is within half a cent of exact: inclusive net·r/(1+r), exclusive net·r
          const den = pricesIncludeTax ? 1_000_000 + l.ratePpm : 1_000_000;
          expect(Math.abs(l.tax * den - l.net * l.ratePpm) * 2).toBeLessThanOrEqual(den);
        }
      }),
    );
  });
});

describe('checkDiscount: what a cashier may give', () => {
  const TEN_PERCENT = 1000;

  it('works out the amount of a percentage discount', () => {
    // 15% of €24.99 = 374.85 → 375
    expect(checkDiscount({ kind: 'percent', bp: 1500 }, 2499, 2000)).toEqual({
      ok: true,
      amount: 375,
      bp: 1500,
      needsManager: false,
    });
  });

  it('needs no manager at exactly the limit, and a manager just above it', () => {
    expect(checkDiscount({ kind: 'percent', bp: 1000 }, 2500, TEN_PERCENT)).toMatchObject({
      ok: true,
      needsManager: false,
    });
    expect(checkDiscount({ kind: 'percent', bp: 1001 }, 2500, TEN_PERCENT)).toMatchObject({
      ok: true,
      needsManager: true,
    });
    // €2.50 off €25.00 is exactly 10%
    expect(checkDiscount({ kind: 'amount', amount: 250 }, 2500, TEN_PERCENT)).toEqual({
      ok: true,
      amount: 250,
      bp: 1000,
      needsManager: false,
    });
    // €2.51 off €25.00 is 10.04%
    expect(checkDiscount({ kind: 'amount', amount: 251 }, 2500, TEN_PERCENT)).toMatchObject({
      ok: true,
      bp: 1004,
      needsManager: true,
    });
    // €3.01 off €30.00 is 10.033…%: a fraction over the limit still counts as over
    expect(checkDiscount({ kind: 'amount', amount: 301 }, 3000, TEN_PERCENT)).toMatchObject({
      needsManager: true,
    });
  });

  it('allows a 100% discount (a giveaway), which a 10% cashier needs a manager for', () => {
    expect(checkDiscount({ kind: 'percent', bp: 10_000 }, 1500, TEN_PERCENT)).toEqual({
      ok: true,
      amount: 1500,
      bp: 10_000,
      needsManager: true,
    });
    expect(checkDiscount({ kind: 'amount', amount: 1500 }, 1500, 10_000)).toMatchObject({
      ok: true,
      bp: 10_000,
      needsManager: false,
    });
  });

  it('refuses more than 100% and more than the amount with "discount-too-large"', () => {
    expect(checkDiscount({ kind: 'percent', bp: 10_001 }, 1500, 10_000)).toMatchObject({
      ok: false,
      code: 'discount-too-large',
    });
    expect(checkDiscount({ kind: 'amount', amount: 1501 }, 1500, 10_000)).toMatchObject({
      ok: false,
      code: 'discount-too-large',
    });
  });

  it('refuses negative or fractional discounts with "discount-invalid"', () => {
    for (const d of [
      { kind: 'percent', bp: -1 },
      { kind: 'percent', bp: 12.5 },
      { kind: 'amount', amount: -100 },
      { kind: 'amount', amount: 0.5 },
    ] as Discount[]) {
      expect(checkDiscount(d, 1500, 10_000), JSON.stringify(d)).toMatchObject({
        ok: false,
        code: 'discount-invalid',
      });
    }
  });

  it('a discount it accepts never makes priceCart throw (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            kind: fc.constant('percent' as const),
            bp: fc.integer({ min: -100, max: 12_000 }),
          }),
          fc.record({
            kind: fc.constant('amount' as const),
            amount: fc.integer({ min: -100, max: 300_000 }),
          }),
        ),
        fc.integer({ min: 0, max: 200_000 }),
        (d, price) => {
          const r = checkDiscount(d, price, 10_000);
          if (!r.ok) return;
          const p = priceCart([line(price, 1, 'std', d)], undefined, inclusive);
          expect(p.lines[0]!.lineDiscount).toBe(r.amount);
          expect(r.bp).toBeLessThanOrEqual(10_000);
        },
      ),
    );
  });
});

describe('priceCart: promo code discounts on lines', () => {
  it('takes a promo discount off the line before tax and before the order discount', () => {
    const promo = { ...line(4500, 1, 'std'), promoDiscount: 450 };
    const p = priceCart([promo, line(2000, 1, 'std')], { kind: 'amount', amount: 100 }, inclusive);
    expect(p.lines[0]).toMatchObject({ gross: 4500, lineDiscount: 450 });
    expect(p.lineDiscounts).toBe(450);
    // 6050 left after the promo; the €1 order discount spreads 4050 : 2000 → 67 + 33
    expect(p.lines.map((l) => l.orderDiscountShare)).toEqual([67, 33]);
    expect(p.total).toBe(5950);
    expect(p.discountTotal).toBe(550);
  });

  it('adds the promo to a staff line discount, and refuses more than the line costs', () => {
    const both = { ...line(1000, 1, 'std', { kind: 'percent', bp: 5000 }), promoDiscount: 200 };
    expect(priceCart([both], undefined, exclusive).lines[0]).toMatchObject({
      lineDiscount: 700,
      net: 300,
    });
    const tooMuch = { ...line(1000, 1, 'std', { kind: 'percent', bp: 5000 }), promoDiscount: 600 };
    expect(() => priceCart([tooMuch], undefined, exclusive)).toThrow(RangeError);
  });
});
