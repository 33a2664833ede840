import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CartLine, type Discount, type PricingContext, priceCart } from './cart';
import { formatReceiptNumber } from './receipt-number';
import type { SaleReturn } from './returns/return-fact';
import { type Sale, type SaleVoid, saleSchema, voidSchema } from './sale';
import { countedTotal, shiftReport } from './shift';
import { settle, type Tender } from './tender';

const ctx: PricingContext = { pricesIncludeTax: true, taxRatesPpm: { std: 230_000, red: 135_000 } };
const CASH_ROUNDING = 5;

let seq = 0;
const ulid = (n: number) => `01HZX${String(n).padStart(21, '0')}`;

function item(unitPrice: number, qty: number, taxClassId: 'std' | 'red'): CartLine {
  return {
    lineId: `l${unitPrice}`,
    sku: `SKU${unitPrice}`,
    name: 'Item',
    unitPrice,
    qty,
    taxClassId,
  };
}

/** A paid sale as the till would commit it: priced by priceCart, paid through settle. */
function sale(lines: CartLine[], tenders: Tender[], orderDiscount?: Discount): Sale {
  seq += 1;
  const priced = priceCart(lines, orderDiscount, ctx);
  const paid = settle(priced.total, tenders, CASH_ROUNDING);
  if (!paid.ok || !paid.value.complete) throw new Error('test sale is not fully paid');
  return saleSchema.parse({
    id: ulid(seq),
    receiptNumber: formatReceiptNumber('T1', seq),
    deviceId: 'till-1',
    seq,
    shiftId: 'shift-1',
    staffId: 'staff-1',
    staffName: 'Aoife',
    createdAt: '2025-06-14T10:00:00.000Z',
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: priced.lines,
    ...(orderDiscount ? { orderDiscount } : {}),
    subtotal: priced.subtotal,
    discountTotal: priced.discountTotal,
    tax: priced.tax,
    taxBands: priced.taxBands,
    total: priced.total,
    rounding: paid.value.rounding,
    tenders,
    change: paid.value.change,
  });
}

function abandoned(itemCount: number, value: number): SaleVoid {
  seq += 1;
  return voidSchema.parse({
    id: ulid(seq),
    deviceId: 'till-1',
    seq,
    shiftId: 'shift-1',
    staffId: 'staff-1',
    createdAt: '2025-06-14T11:00:00.000Z',
    itemCount,
    value,
  });
}

const cash = (amount: number): Tender => ({ kind: 'cash', amount });
const card = (amount: number): Tender => ({ kind: 'card', amount, reference: 'AUTH-1' });

// A Saturday at the stall, €100.00 float, cash rounded to 5c.
// S1: 2 × €6.25 tote (23%) = 1250, paid with €20 → 750 change. Tax 1250 × 23/123 = 233.74 → 234
// S2: €45.99 print (23%), card. Tax 4599 × 23/123 = 859.98 → 860
// S3: €1.02 sticker (23%), €2 coin: cash due 1.00 (rounding −2), change 100. Tax 102 × 23/123 = 19.07 → 19
// S4: €30.00 hoodie (23%) + €3.00 coffee (13.5%), 10% off the order = 330 → 2970;
//     €10.01 on card, €25 cash: cash part 1969 → 1970 (rounding +1), change 530.
//     Shares 300 + 30; tax 2700 × 23/123 = 504.88 → 505; 270 × 13.5/113.5 = 32.11 → 32
const day = () => [
  sale([item(625, 2, 'std')], [cash(2000)]),
  sale([item(4599, 1, 'std')], [card(4599)]),
  sale([item(102, 1, 'std')], [cash(200)]),
  sale([item(3000, 1, 'std'), item(300, 1, 'red')], [card(1001), cash(2500)], {
    kind: 'percent',
    bp: 1000,
  }),
];
// Two carts abandoned: €8.99 (1 item) and €15.00 (2 items)
const voids = () => [abandoned(1, 899), abandoned(2, 1500)];

describe('countedTotal: counting the drawer', () => {
  it('adds up notes and coins by denomination', () => {
    // 2 × €50 + 1 × €20 + 3 × 20c = 10000 + 2000 + 60 = 12060
    expect(countedTotal({ '5000': 2, '2000': 1, '20': 3 })).toBe(12_060);
    expect(countedTotal({ '5000': 0, '1': 7 })).toBe(7);
    expect(countedTotal({})).toBe(0);
  });
});

describe('shiftReport', () => {
  it('X report mid-shift: sales, tax, tenders and the cash that should be in the drawer', () => {
    const r = shiftReport({ float: 10_000 }, day(), voids());
    expect(r).toEqual({
      saleCount: 4,
      itemCount: 6, // 2 + 1 + 1 + 2
      subtotal: 9251, // 1250 + 4599 + 102 + 3300
      discounts: 330,
      tax: 1650, // 234 + 860 + 19 + 505 + 32
      taxBands: [
        // 23%: bases 1016 + 3739 + 83 + 2195; tax 234 + 860 + 19 + 505
        { ratePpm: 230_000, base: 7033, tax: 1618 },
        // 13.5%: 270 − 32
        { ratePpm: 135_000, base: 238, tax: 32 },
      ],
      // totals 1250 + 4599 + 102 + 2970 = 8921, plus rounding −2 + 1 = 8920
      takings: 8920,
      rounding: -1,
      // cash kept: 1250 + 100 + (2500 − 530) = 3320; card 4599 + 1001 = 5600
      byTender: { cash: 3320, card: 5600 },
      voidCount: 2,
      voidValue: 2399,
      float: 10_000,
      expectedCash: 13_320, // float 10000 + 3320; abandoned carts take no cash
      countedCash: null,
      overShort: null,
      returnCount: 0,
      refunds: { cash: 0, card: 0, storeCredit: 0 },
      exchangeCredit: 0,
      storeCreditTaken: 0,
      netTakings: 8920,
      // One cashier all day: her row is the whole shift.
      byStaff: [
        {
          staffId: 'staff-1',
          name: 'Aoife',
          saleCount: 4,
          takings: 8920,
          cash: 3320,
          card: 5600,
          returnCount: 0,
          refunds: 0,
        },
      ],
    });
  });

  it('Z report: counted cash 5c short of what is expected', () => {
    // 2 × €50 + €20 + €10 + €2 + €1 + 10c + 5c = 10000 + 2000 + 1000 + 200 + 100 + 10 + 5 = 13315
    const counted = {
      '5000': 2,
      '2000': 1,
      '1000': 1,
      '200': 1,
      '100': 1,
      '50': 0,
      '10': 1,
      '5': 1,
    };
    const r = shiftReport({ float: 10_000, counted }, day(), voids());
    expect(r.countedCash).toBe(13_315);
    expect(r.overShort).toBe(-5); // 13315 − 13320
  });

  it('Z report: a drawer that is over, and one that is exact', () => {
    // 6 × €20 + 1 × €10 + 3 × €1 + 4 × 20c = 12000 + 1000 + 300 + 80 = 13380 → 60c over
    const over = shiftReport(
      { float: 10_000, counted: { '2000': 6, '1000': 1, '100': 3, '20': 4 } },
      day(),
      [],
    );
    expect(over.overShort).toBe(60);
    // 13320 = 6 × €20 + €10 + €2 + €1 + 20c
    const exact = shiftReport(
      { float: 10_000, counted: { '2000': 6, '1000': 1, '200': 1, '100': 1, '20': 1 } },
      day(),
      [],
    );
    expect(exact.overShort).toBe(0);
  });

  it('a shift with no sales expects just the float back', () => {
    const r = shiftReport({ float: 5000, counted: { '2000': 2, '1000': 1 } }, [], []);
    expect(r).toMatchObject({
      saleCount: 0,
      takings: 0,
      byTender: { cash: 0, card: 0 },
      taxBands: [],
      expectedCash: 5000,
      countedCash: 5000,
      overShort: 0,
    });
  });

  it('abandoned carts are counted but change no money totals', () => {
    const without = shiftReport({ float: 10_000 }, day(), []);
    const withVoids = shiftReport({ float: 10_000 }, day(), voids());
    expect({ ...withVoids, voidCount: 0, voidValue: 0 }).toEqual(without);
  });

  it('cash + card always equals takings, and the drawer expects float + cash (property)', () => {
    const saleArb = fc.record({
      prices: fc.array(
        fc.tuple(
          fc.integer({ min: 1, max: 20_000 }),
          fc.constantFrom('std' as const, 'red' as const),
        ),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      cardShare: fc.integer({ min: 0, max: 100 }),
      extraCash: fc.integer({ min: 0, max: 5_000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.array(saleArb, { maxLength: 6 }),
        (float, specs) => {
          const sales = specs.map(({ prices, cardShare, extraCash }) => {
            const lines = prices.map(([p, tax], i) => ({ ...item(p, 1, tax), lineId: `l${i}` }));
            const total = priceCart(lines, undefined, ctx).total;
            const onCard = Math.floor((total * cardShare) / 100);
            const tenders = onCard > 0 ? [card(onCard)] : [];
            const due = settle(total, tenders, CASH_ROUNDING);
            if (!due.ok) throw new Error(due.code);
            const inCash = due.value.remainingInCash + extraCash;
            if (inCash > 0) return sale(lines, [...tenders, cash(inCash)]);
            // nothing left in cash: either card covered it, or a cent or two that rounds to no cash
            return sale(lines, due.value.complete ? tenders : [card(total)]);
          });
          const r = shiftReport({ float }, sales, []);
          expect(r.byTender.cash + r.byTender.card).toBe(r.takings);
          expect(r.expectedCash).toBe(float + r.byTender.cash);
          expect(r.taxBands.reduce((s, b) => s + b.tax, 0)).toBe(r.tax);
          expect(r.takings).toBe(r.subtotal - r.discounts + r.rounding);
        },
      ),
      { numRuns: 50 },
    );
  });
});

/** A return of line 1 of `of`, refunded by `refunds` (the whole refund unless an exchange took part). */
function returned(
  of: Sale,
  refundTotal: number,
  refunds: SaleReturn['refunds'],
  exchangeSaleId?: string,
): SaleReturn {
  seq += 1;
  return {
    id: ulid(seq),
    deviceId: 'till-1',
    seq,
    returnNumber: `T1-R-${String(seq).padStart(6, '0')}`,
    saleId: of.id,
    saleReceiptNumber: of.receiptNumber,
    shiftId: 'shift-1',
    staffId: 'staff-1',
    createdAt: '2025-06-14T12:00:00.000Z',
    currency: 'EUR',
    lines: [
      {
        lineNo: 1,
        sku: of.lines[0]!.sku,
        qty: 1,
        reason: 'changed-mind',
        condition: 'resaleable',
        refund: refundTotal,
        method: 'original-tender',
      },
    ],
    refundTotal,
    refunds,
    ...(exchangeSaleId ? { exchangeSaleId } : {}),
  };
}

describe('shiftReport with returns', () => {
  it('cash refunded from the drawer lowers the cash expected in it; the over/short is against that', () => {
    const sales = day();
    const tote = returned(sales[0]!, 625, [{ kind: 'cash', amount: 625 }]);
    const r = shiftReport(
      { float: 10_000, counted: { '10000': 1, '2000': 1, '500': 1, '100': 2, '5': 39 } },
      sales,
      voids(),
      [tote],
    );
    expect(r.returnCount).toBe(1);
    expect(r.refunds).toEqual({ cash: 625, card: 0, storeCredit: 0 });
    // 10000 + 3320 − 625
    expect(r.expectedCash).toBe(12_695);
    expect(r.countedCash).toBe(12_895);
    expect(r.overShort).toBe(200);
    // What sales took is unchanged; the net is after the refund.
    expect(r.byTender).toEqual({ cash: 3320, card: 5600 });
    expect(r.takings).toBe(8920);
    expect(r.netTakings).toBe(8295);
  });

  it('card refunds and store-credit notes issued leave the drawer alone', () => {
    const sales = day();
    const print = returned(sales[1]!, 4599, [{ kind: 'card', amount: 4599, reference: 'RFND-1' }]);
    const tote = returned(sales[0]!, 625, [
      { kind: 'store-credit', amount: 625, code: 'CN1-AAAA' },
    ]);
    const r = shiftReport({ float: 10_000 }, sales, [], [print, tote]);
    expect(r.refunds).toEqual({ cash: 0, card: 4599, storeCredit: 625 });
    expect(r.expectedCash).toBe(13_320);
    expect(r.netTakings).toBe(8920 - 4599 - 625);
  });

  it('store credit and exchange credit spent on sales are neither cash nor card; an exchange nets out of takings', () => {
    const tee = sale([item(3000, 1, 'std')], [cash(3000)]);
    seq += 1;
    const swapped = returned(tee, 3000, [], ulid(seq + 1));
    const hoodie = sale(
      [item(5000, 1, 'std')],
      [
        { kind: 'exchange', amount: 3000, returnId: swapped.id },
        { kind: 'store-credit', amount: 1000, code: 'CN1-BBBB' },
        cash(1000),
      ],
    );
    const r = shiftReport({ float: 5000 }, [tee, hoodie], [], [swapped]);
    expect(r.byTender).toEqual({ cash: 4000, card: 0 });
    expect(r.exchangeCredit).toBe(3000);
    expect(r.storeCreditTaken).toBe(1000);
    expect(r.refunds).toEqual({ cash: 0, card: 0, storeCredit: 0 });
    expect(r.expectedCash).toBe(9000);
    // 3000 + 5000 taken, 3000 of goods came back: 5000 net.
    expect(r.takings).toBe(8000);
    expect(r.netTakings).toBe(5000);
  });

  it('the drawer always expects float + cash kept − cash refunded (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.array(
          fc.tuple(
            fc.constantFrom('cash' as const, 'card' as const, 'store-credit' as const),
            fc.integer({ min: 1, max: 9_999 }),
          ),
          { maxLength: 6 },
        ),
        (float, parts) => {
          const sales = day();
          const returns = parts.map(([kind, amount]) =>
            returned(sales[0]!, amount, [
              kind === 'cash'
                ? { kind, amount }
                : kind === 'card'
                  ? { kind, amount, reference: 'RFND-9' }
                  : { kind, amount, code: 'CN1-CCCC' },
            ]),
          );
          const r = shiftReport({ float }, sales, [], returns);
          const cashOut = parts.filter(([k]) => k === 'cash').reduce((n, [, a]) => n + a, 0);
          expect(r.expectedCash).toBe(float + r.byTender.cash - cashOut);
          expect(r.refunds!.cash + r.refunds!.card + r.refunds!.storeCredit).toBe(
            parts.reduce((n, [, a]) => n + a, 0),
          );
          expect(r.returnCount).toBe(parts.length);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("Z report: the count by denomination and each cashier's part", () => {
  const by = (staffId: string, staffName: string, s: Sale): Sale => ({ ...s, staffId, staffName });

  it('lists the notes and coins counted, largest first, without the ones left at zero', () => {
    const counted = { '5': 1, '5000': 2, '50': 0, '2000': 1, '10': 3 };
    const r = shiftReport({ float: 10_000, counted }, [], []);
    expect(r.countedByDenomination).toEqual([
      { denomination: 5000, count: 2, value: 10_000 },
      { denomination: 2000, count: 1, value: 2000 },
      { denomination: 10, count: 3, value: 30 },
      { denomination: 5, count: 1, value: 5 },
    ]);
    // The breakdown adds up to the counted cash the over/short is worked from.
    expect(r.countedByDenomination!.reduce((n, d) => n + d.value, 0)).toBe(r.countedCash);
    // An X report (nothing counted yet) has no breakdown.
    expect(shiftReport({ float: 10_000 }, [], []).countedByDenomination).toBeUndefined();
  });

  it('splits sales, takings, cash/card and refunds per staff member; the parts add up to the shift', () => {
    const [s1, s2, s3, s4] = day();
    const sales = [
      by('aoife', 'Aoife', s1!),
      by('cian', 'Cian', s2!),
      by('aoife', 'Aoife', s3!),
      by('cian', 'Cian', s4!),
    ];
    // Niamh sold nothing but refunded €6.25 in cash; Aoife refunded €1.02 to a credit note.
    const returns = [
      { ...returned(s1!, 625, [{ kind: 'cash', amount: 625 }]), staffId: 'niamh' },
      {
        ...returned(s3!, 102, [
          { kind: 'store-credit', amount: 102, code: 'CR-1' },
        ] as SaleReturn['refunds']),
        staffId: 'aoife',
      },
    ];
    const r = shiftReport({ float: 10_000 }, sales, [], returns, { niamh: 'Niamh' });
    expect(r.byStaff).toEqual([
      // S2 4599 card + S4 2970 (1001 card, 1969 cash kept after rounding +1)
      {
        staffId: 'cian',
        name: 'Cian',
        saleCount: 2,
        takings: 7570,
        cash: 1970,
        card: 5600,
        returnCount: 0,
        refunds: 0,
      },
      // S1 1250 cash + S3 100 cash (rounded down from 102)
      {
        staffId: 'aoife',
        name: 'Aoife',
        saleCount: 2,
        takings: 1350,
        cash: 1350,
        card: 0,
        returnCount: 1,
        refunds: 102,
      },
      {
        staffId: 'niamh',
        name: 'Niamh',
        saleCount: 0,
        takings: 0,
        cash: 0,
        card: 0,
        returnCount: 1,
        refunds: 625,
      },
    ]);
    const total = (f: (x: NonNullable<typeof r.byStaff>[number]) => number) =>
      r.byStaff!.reduce((n, x) => n + f(x), 0);
    expect(total((x) => x.takings)).toBe(r.takings);
    expect(total((x) => x.cash)).toBe(r.byTender.cash);
    expect(total((x) => x.card)).toBe(r.byTender.card);
    expect(total((x) => x.saleCount)).toBe(r.saleCount);
  });
});
