import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CartLine, type Discount, priceCart } from './cart';
import { mulDivRound } from './money';
import { type Sale, saleSchema } from './sale';
import { auditSale } from './sale-audit';
import { settle, type Tender } from './tender';

// Irish VAT 23% and 13.5%, zero-rated, and NYC sales tax 8.875%.
const RATES: Record<string, number> = { std: 230_000, red: 135_000, zero: 0, nyc: 88_750 };
const INCREMENTS = [0, 1, 2, 5, 10, 50, 100];

type Payment = 'exact' | 'note' | 'coins' | 'card' | 'split';

interface TillCart {
  lines: CartLine[];
  orderDiscount?: Discount;
  pricesIncludeTax: boolean;
  cashRounding: number;
  payment: Payment;
  /** Share of the total paid by card in a split, in per mille. */
  cardShare: number;
}

/** A sale as the till commits it: priced by priceCart, paid until settle says complete (recordSale). */
function tillSale(c: TillCart): Sale {
  const cart = priceCart(c.lines, c.orderDiscount, {
    pricesIncludeTax: c.pricesIncludeTax,
    taxRatesPpm: RATES,
  });
  const card =
    c.payment === 'card'
      ? cart.total
      : c.payment === 'split'
        ? Math.floor((cart.total * c.cardShare) / 1000)
        : 0;
  const tenders: Tender[] = card > 0 ? [{ kind: 'card', amount: card, reference: 'AUTH-1' }] : [];
  const afterCard = cart.total - card;
  const probe = settle(cart.total, tenders, c.cashRounding);
  if (!probe.ok) throw new Error(probe.message);
  if (!probe.value.complete) {
    const due = probe.value.remainingInCash;
    // Nothing due in cash after rounding still needs a coin handed over (PayScreen refuses 0).
    const cash =
      c.payment === 'coins' || due === 0
        ? afterCard
        : c.payment === 'note'
          ? (Math.floor(due / 500) + 1) * 500
          : due;
    // A large amount handed over as two notes, as a cashier adds them one by one.
    if (cash > 1000)
      tenders.push({ kind: 'cash', amount: 1000 }, { kind: 'cash', amount: cash - 1000 });
    else if (cash > 0) tenders.push({ kind: 'cash', amount: cash });
  }
  const settled = settle(cart.total, tenders, c.cashRounding);
  if (!settled.ok || !settled.value.complete) throw new Error('the generated payment is short');
  return saleSchema.parse({
    id: '01JD0000000000000000000000',
    receiptNumber: 'A-000001',
    deviceId: 'dev-1',
    seq: 1,
    shiftId: 'shift-1',
    staffId: 'staff-1',
    staffName: 'Aoife',
    createdAt: '2026-11-25T10:00:00.000Z',
    currency: 'EUR',
    pricesIncludeTax: c.pricesIncludeTax,
    lines: cart.lines,
    orderDiscount: c.orderDiscount,
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: settled.value.rounding,
    tenders,
    change: settled.value.change,
  });
}

/** Discounts the till lets through: percentages up to 100%, amounts up to what they apply to (per mille of it). */
const discountArb = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 0, max: 10_000 }).map((bp) => ({ kind: 'percent' as const, bp })),
  fc.integer({ min: 0, max: 1000 }).map((perMille) => ({ kind: 'amount' as const, perMille })),
);
type DiscountSpec =
  | { kind: 'percent'; bp: number }
  | { kind: 'amount'; perMille: number }
  | undefined;

const resolve = (d: DiscountSpec, appliesTo: number): Discount | undefined =>
  d?.kind === 'amount'
    ? { kind: 'amount', amount: Math.floor((appliesTo * d.perMille) / 1000) }
    : d;

const lineArb = fc.record({
  unitPrice: fc.integer({ min: 0, max: 60_000 }),
  qty: fc.integer({ min: 1, max: 12 }),
  taxClassId: fc.constantFrom(...Object.keys(RATES)),
  discount: discountArb,
  promoPerMille: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
});

const cartArb: fc.Arbitrary<TillCart> = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
    orderDiscount: discountArb,
    pricesIncludeTax: fc.boolean(),
    cashRounding: fc.constantFrom(...INCREMENTS),
    payment: fc.constantFrom<Payment>('exact', 'note', 'coins', 'card', 'split'),
    cardShare: fc.integer({ min: 1, max: 999 }),
  })
  .map((spec) => {
    const lines: CartLine[] = spec.lines.map((l, i) => {
      const gross = l.unitPrice * l.qty;
      const discount = resolve(l.discount, gross);
      const own =
        discount?.kind === 'percent'
          ? mulDivRound(gross, discount.bp, 10_000)
          : (discount?.amount ?? 0);
      // A promo code takes money off what the line's own discount left (shared/promo.ts).
      const promo = l.promoPerMille ? Math.floor(((gross - own) * l.promoPerMille) / 1000) : 0;
      return {
        lineId: `L${i}`,
        sku: `SKU-${i}`,
        name: `Item ${i}`,
        unitPrice: l.unitPrice,
        qty: l.qty,
        taxClassId: l.taxClassId,
        ...(discount ? { discount } : {}),
        ...(promo > 0 ? { promoDiscount: promo } : {}),
      };
    });
    const discountable = priceCart(lines, undefined, {
      pricesIncludeTax: true,
      taxRatesPpm: RATES,
    }).lines.reduce((n, l) => n + l.net, 0);
    const { orderDiscount: orderSpec, lines: _specs, ...rest } = spec;
    const orderDiscount = resolve(orderSpec, discountable);
    return { ...rest, lines, ...(orderDiscount ? { orderDiscount } : {}) };
  });

const rules = (cashRounding: number) => ({ cashRounding });

describe('auditSale: sales the till makes add up', () => {
  it('passes every sale the till prices and settles from a random cart', () => {
    fc.assert(
      fc.property(cartArb, (c) => {
        expect(auditSale(tillSale(c), rules(c.cashRounding))).toEqual({ ok: true });
      }),
      { numRuns: 400 },
    );
  });

  it('passes a sale rung up offline under a cash rounding the store has changed since', () => {
    fc.assert(
      fc.property(cartArb, fc.constantFrom(...INCREMENTS), (c, ledgerNow) => {
        expect(auditSale(tillSale(c), rules(ledgerNow))).toEqual({ ok: true });
      }),
      { numRuns: 200 },
    );
  });

  it('re-works tax at the rate recorded on each line, whatever the store charges now', () => {
    // Priced at 23% by a till that was offline; the ledger may have moved the class to 21% since.
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'TEE', name: 'Tee', unitPrice: 2500, qty: 2, taxClassId: 'std' },
      ],
      pricesIncludeTax: true,
      cashRounding: 5,
      payment: 'note',
      cardShare: 0,
    });
    expect(sale.lines[0]).toMatchObject({ ratePpm: 230_000, tax: 935 });
    expect(auditSale(sale, rules(5))).toEqual({ ok: true });
    // The same tax claimed at 21% does not add up: 5000 × 21/121 is 868.
    const lines = sale.lines.map((l) => ({ ...l, ratePpm: 210_000 }));
    expect(auditSale({ ...sale, lines }, rules(5))).toEqual({
      ok: false,
      field: 'lines[0].tax',
      reason: 'lines[0].tax is 935 but its tax at the recorded rate comes to 868',
    });
  });
});

describe('auditSale: tax class ids are data, not object keys', () => {
  it('prices lines of a class called "__proto__" or "constructor" like any other, and still catches a wrong tax', () => {
    const rates = Object.fromEntries([
      ['__proto__', 230_000],
      ['constructor', 135_000],
    ]);
    const lines: CartLine[] = [
      { lineId: 'L0', sku: 'A', name: 'A', unitPrice: 1000, qty: 1, taxClassId: '__proto__' },
      { lineId: 'L1', sku: 'B', name: 'B', unitPrice: 800, qty: 2, taxClassId: 'constructor' },
    ];
    const cart = priceCart(lines, undefined, { pricesIncludeTax: true, taxRatesPpm: rates });
    const tenders: Tender[] = [{ kind: 'card', amount: cart.total, reference: 'AUTH-1' }];
    const sale: Sale = {
      ...tillSale({
        lines: [{ lineId: 'L0', sku: 'A', name: 'A', unitPrice: 1, qty: 1, taxClassId: 'zero' }],
        pricesIncludeTax: true,
        cashRounding: 1,
        payment: 'card',
        cardShare: 0,
      }),
      lines: cart.lines,
      subtotal: cart.subtotal,
      discountTotal: cart.discountTotal,
      tax: cart.tax,
      taxBands: cart.taxBands,
      total: cart.total,
      rounding: 0,
      tenders,
      change: 0,
    };
    expect(cart.tax).toBe(187 + 190);
    expect(auditSale(sale, rules(1))).toEqual({ ok: true });
    const wrong = sale.lines.map((l, i) => (i === 0 ? { ...l, tax: 0 } : l));
    expect(auditSale({ ...sale, lines: wrong }, rules(1))).toMatchObject({
      ok: false,
      field: 'lines[0].tax',
    });
  });
});

/** Numeric fields a tampering till could change, each with the field the audit must name. */
function tamperTargets(sale: Sale): { path: (string | number)[]; names: string[] }[] {
  const out: { path: (string | number)[]; names: string[] }[] = [];
  for (const [i] of sale.lines.entries()) {
    for (const f of ['gross', 'lineDiscount', 'orderDiscountShare', 'net', 'tax', 'total']) {
      out.push({ path: ['lines', i, f], names: [`lines[${i}].${f}`] });
    }
  }
  for (const f of ['subtotal', 'discountTotal', 'tax', 'total'])
    out.push({ path: [f], names: [f] });
  for (const [j] of sale.taxBands.entries()) {
    for (const f of ['base', 'tax'])
      out.push({ path: ['taxBands', j, f], names: [`taxBands[${j}].${f}`] });
  }
  // Tenders, rounding and change are one equation (tendered − change = total + rounding):
  // the audit names the one of them that does not fit, which may not be the one changed.
  const payment = ['tenders', 'rounding', 'change'];
  for (const [k] of sale.tenders.entries())
    out.push({ path: ['tenders', k, 'amount'], names: payment });
  out.push({ path: ['rounding'], names: payment });
  out.push({ path: ['change'], names: payment });
  return out;
}

function withChange(sale: Sale, path: (string | number)[], delta: number): Sale {
  const copy = structuredClone(sale) as unknown as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  at[last] = (at[last] as number) + delta;
  return copy as unknown as Sale;
}

describe('auditSale: a sale that does not add up is refused, naming the field', () => {
  it('fails any single tampered figure, naming it (or the payment figure that no longer fits)', () => {
    fc.assert(
      fc.property(
        cartArb,
        fc.nat(),
        fc.integer({ min: -5_000, max: 5_000 }).filter((d) => d !== 0),
        (c, pick, delta) => {
          const sale = tillSale(c);
          const targets = tamperTargets(sale);
          const target = targets[pick % targets.length]!;
          const audit = auditSale(withChange(sale, target.path, delta), rules(c.cashRounding));
          expect(audit.ok).toBe(false);
          if (!audit.ok) expect(target.names).toContain(audit.field);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('names the total and both values when a sale comes to 0 with no tenders against lines worth 10.00', () => {
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'MUG', name: 'Mug', unitPrice: 1000, qty: 1, taxClassId: 'std' },
      ],
      pricesIncludeTax: true,
      cashRounding: 5,
      payment: 'card',
      cardShare: 0,
    });
    const audit = auditSale({ ...sale, total: 0, tenders: [], change: 0 }, rules(5));
    expect(audit).toEqual({
      ok: false,
      field: 'total',
      reason: 'total is 0 but its lines come to 1000',
    });
  });

  it('names a negative line net with what the line really comes to', () => {
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'MUG', name: 'Mug', unitPrice: 1000, qty: 1, taxClassId: 'std' },
        { lineId: 'L1', sku: 'TEE', name: 'Tee', unitPrice: 2000, qty: 1, taxClassId: 'red' },
      ],
      pricesIncludeTax: true,
      cashRounding: 5,
      payment: 'card',
      cardShare: 0,
    });
    const lines = sale.lines.map((l, i) => (i === 1 ? { ...l, net: -500 } : l));
    const audit = auditSale({ ...sale, lines }, rules(5));
    expect(audit).toMatchObject({ ok: false, field: 'lines[1].net' });
    expect(!audit.ok && audit.reason).toBe(
      'lines[1].net is -500 but unit price, quantity and discounts come to 2000',
    );
  });

  it('refuses tenders short of the total, and change that is not tendered − due', () => {
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'MUG', name: 'Mug', unitPrice: 1250, qty: 1, taxClassId: 'std' },
      ],
      pricesIncludeTax: true,
      cashRounding: 5,
      payment: 'note',
      cardShare: 0,
    });
    // €12.50 paid with a €10 and a €5 note: €2.50 change.
    expect(sale.tenders).toEqual([
      { kind: 'cash', amount: 1000 },
      { kind: 'cash', amount: 500 },
    ]);
    expect(sale.change).toBe(250);
    const short = auditSale(
      { ...sale, tenders: [{ kind: 'cash', amount: 1000 }], change: 0 },
      rules(5),
    );
    expect(short).toMatchObject({ ok: false, field: 'tenders' });
    expect(!short.ok && short.reason).toContain('tenders come to 1000 but 1250 is due');
    const change = auditSale({ ...sale, change: 750 }, rules(5));
    expect(change).toEqual({
      ok: false,
      field: 'change',
      reason: 'change is 750 but tendered 1500 − due 1250 is 250',
    });
  });

  it('refuses a rounding no cash rounding increment the store could have had gives', () => {
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'MUG', name: 'Mug', unitPrice: 1280, qty: 1, taxClassId: 'std' },
      ],
      pricesIncludeTax: true,
      cashRounding: 0,
      payment: 'exact',
      cardShare: 0,
    });
    // Keeping 0.80 of the change as "rounding": 12.80 paid with a €20 note, 8.00 back.
    const audit = auditSale(
      { ...sale, tenders: [{ kind: 'cash', amount: 2000 }], rounding: -80, change: 800 },
      rules(5),
    );
    expect(audit).toMatchObject({ ok: false, field: 'rounding' });
    expect(!audit.ok && audit.reason).toContain('rounding is -80 but the total 1280');
    const card = auditSale(
      { ...sale, tenders: [{ kind: 'card', amount: 1300, reference: 'AUTH-9' }], change: 20 },
      rules(5),
    );
    expect(card).toEqual({
      ok: false,
      field: 'tenders',
      reason: 'tenders pay 1300 by card but the total is 1280',
    });
  });

  it('refuses two tax rates for one tax class, which no till prices with', () => {
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'MUG', name: 'Mug', unitPrice: 1000, qty: 1, taxClassId: 'std' },
        { lineId: 'L1', sku: 'TEE', name: 'Tee', unitPrice: 2000, qty: 1, taxClassId: 'std' },
      ],
      pricesIncludeTax: false,
      cashRounding: 1,
      payment: 'card',
      cardShare: 0,
    });
    const lines = sale.lines.map((l, i) =>
      i === 1 ? { ...l, ratePpm: 0, tax: 0, total: l.net } : l,
    );
    expect(auditSale({ ...sale, lines }, rules(1))).toEqual({
      ok: false,
      field: 'lines[1].ratePpm',
      reason: 'lines[1].ratePpm is 0 but lines[0] of tax class std has 230000',
    });
  });

  it('names a line whose discount is larger than the line, instead of throwing', () => {
    const sale = tillSale({
      lines: [
        { lineId: 'L0', sku: 'MUG', name: 'Mug', unitPrice: 1000, qty: 1, taxClassId: 'std' },
      ],
      pricesIncludeTax: true,
      cashRounding: 1,
      payment: 'card',
      cardShare: 0,
    });
    const lines = sale.lines.map((l) => ({
      ...l,
      discount: { kind: 'amount' as const, amount: 5000 },
    }));
    const audit = auditSale({ ...sale, lines }, rules(1));
    expect(audit).toMatchObject({ ok: false, field: 'lines[0]' });
    const order = auditSale({ ...sale, orderDiscount: { kind: 'amount', amount: 5000 } }, rules(1));
    expect(order).toMatchObject({ ok: false, field: 'orderDiscount' });
  });
});
