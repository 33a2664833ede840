import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from './cart';
import {
  type Campaign,
  campaignSchema,
  type PromoInput,
  type PromoLine,
  promoDiscount,
} from './promo';

const campaign: Campaign = campaignSchema.parse({
  id: 'maya-live',
  name: 'Maya Creates',
  prefix: 'MAYA',
  offer: { kind: 'percent', bp: 1000 },
  scope: { kind: 'categories', categories: ['Hoodies'] },
  startsAt: '2026-11-01T00:00:00Z',
  endsAt: '2026-12-24T00:00:00Z',
  audience: { kind: 'anyone' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: 2,
  budget: 10_000,
  channel: 'live-stream',
  promoter: 'Maya Creates',
  promoterCost: 15_000,
  tillsMayIssue: true,
  status: 'active',
});

const hoodie: PromoLine = {
  lineId: 'h',
  sku: 'HOOD-M',
  unitPrice: 4500,
  qty: 1,
  category: 'Hoodies',
};
const tee: PromoLine = { lineId: 't', sku: 'TEE-M', unitPrice: 2000, qty: 2, category: 'Tees' };
const dropTee: PromoLine = {
  lineId: 'd',
  sku: 'DROP-TEE',
  unitPrice: 3500,
  qty: 1,
  category: 'Tees',
  drop: { dropId: 'winter', step: 0, tier: 'everyone', fastFulfilment: false },
};

function run(over: Partial<Campaign>, extra: Partial<PromoInput> = {}) {
  return promoDiscount({
    campaign: { ...campaign, ...over },
    lines: [hoodie, tee, dropTee],
    memberId: null,
    memberTiers: [],
    usage: { codeUses: 0, customerUses: 0, budgetUsed: 0 },
    now: new Date('2026-12-01T12:00:00Z'),
    ...extra,
  });
}

describe('promo offers', () => {
  it('take 10% off hoodies only, and say why', () => {
    expect(run({})).toEqual({
      ok: true,
      lineDiscounts: [{ lineId: 'h', amount: 450 }],
      total: 450,
      reason: '10% off Hoodies (creator code MAYA)',
    });
  });

  it('take a fixed amount off everything, spread over the lines by value', () => {
    const r = run({
      offer: { kind: 'amount', amount: 1000 },
      scope: { kind: 'all' },
      promoter: null,
    });
    expect(r).toMatchObject({ ok: true, total: 1000, reason: '€10.00 off everything' });
    // 4500 : 4000 : 3500 of 12000
    expect(r.ok && r.lineDiscounts).toEqual([
      { lineId: 'h', amount: 375 },
      { lineId: 't', amount: 333 },
      { lineId: 'd', amount: 292 },
    ]);
  });

  it('never take more than the lines cost', () => {
    const r = run({ offer: { kind: 'amount', amount: 99_999 }, budget: null });
    expect(r).toMatchObject({
      ok: true,
      total: 4500,
      lineDiscounts: [{ lineId: 'h', amount: 4500 }],
    });
  });

  it('sell one SKU at a fixed price', () => {
    const r = run({
      offer: { kind: 'fixed-price', sku: 'TEE-M', price: 1500 },
      scope: { kind: 'all' },
    });
    expect(r).toMatchObject({
      ok: true,
      total: 1000,
      lineDiscounts: [{ lineId: 't', amount: 1000 }],
    });
  });

  it('buy 2 get 1 free gives the cheapest unit of each group of 3', () => {
    const offer = { kind: 'buy-x-get-y' as const, buy: 2, get: 1 };
    // Units by price: 4500, 3500, 2000, 2000 → one group of 3, the 2000 tee free.
    expect(run({ offer, scope: { kind: 'all' } })).toMatchObject({
      ok: true,
      total: 2000,
      lineDiscounts: [{ lineId: 't', amount: 2000 }],
      reason: 'Buy 2, get 1 free on everything (creator code MAYA)',
    });
    expect(run({ offer, scope: { kind: 'categories', categories: ['Tees'] } })).toMatchObject({
      ok: true,
      total: 2000,
    });
    expect(run({ offer })).toMatchObject({ ok: false, code: 'not-enough-items' });
  });

  it('scope by SKU and by drop', () => {
    expect(run({ scope: { kind: 'skus', skus: ['TEE-M'] } })).toMatchObject({
      ok: true,
      total: 400,
    });
    expect(run({ scope: { kind: 'drop', dropId: 'winter' } })).toMatchObject({
      ok: true,
      lineDiscounts: [{ lineId: 'd', amount: 350 }],
    });
    expect(run({ scope: { kind: 'drop', dropId: 'summer' } })).toMatchObject({
      ok: false,
      code: 'not-in-scope',
      message: 'Nothing in the cart is in this offer (10% off the drop).',
    });
  });

  it('work on what the line costs after its own discount', () => {
    const r = run({}, { lines: [{ ...hoodie, discount: { kind: 'percent', bp: 2000 } }] });
    expect(r).toMatchObject({ ok: true, total: 360 });
  });

  it('keep members-only and tier offers for members', () => {
    expect(run({ audience: { kind: 'members' } })).toMatchObject({
      ok: false,
      code: 'members-only',
    });
    expect(run({ audience: { kind: 'members' } }, { memberId: 'M7K3MQ' })).toMatchObject({
      ok: true,
    });
    const tier = { audience: { kind: 'tier' as const, tier: 'subscribers' } };
    expect(run(tier, { memberId: 'M7K3MQ', memberTiers: ['members'] })).toMatchObject({
      ok: false,
      code: 'tier-only',
    });
    expect(run(tier, { memberId: 'M7K3MQ', memberTiers: ['subscribers'] })).toMatchObject({
      ok: true,
    });
  });

  it('refuse a used-up code, a customer at their limit and a spent budget', () => {
    const used = { codeUses: 1, customerUses: 0, budgetUsed: 0 };
    expect(run({}, { usage: used })).toMatchObject({
      ok: false,
      code: 'used-up',
      message: 'This code has already been used (it works once).',
    });
    const customer = { codeUses: 0, customerUses: 2, budgetUsed: 0 };
    expect(run({ maxUsesPerCode: null }, { usage: customer, memberId: 'M7K3MQ' })).toMatchObject({
      ok: false,
      code: 'customer-limit',
    });
    expect(run({}, { usage: { codeUses: 0, customerUses: 0, budgetUsed: 10_000 } })).toMatchObject({
      ok: false,
      code: 'budget-spent',
    });
  });

  it('cap the discount at what is left of the budget', () => {
    const r = run({}, { usage: { codeUses: 0, customerUses: 0, budgetUsed: 9_800 } });
    expect(r).toMatchObject({ ok: true, total: 200 });
    expect(r.ok && r.reason).toContain('capped');
  });

  it('refuse outside the window and when paused', () => {
    expect(run({}, { now: new Date('2026-12-24T00:00:00Z') })).toMatchObject({
      ok: false,
      code: 'expired',
    });
    expect(run({}, { now: new Date('2026-10-01T00:00:00Z') })).toMatchObject({
      ok: false,
      code: 'not-yet-valid',
    });
    expect(run({ status: 'paused' })).toMatchObject({ ok: false, code: 'paused' });
  });

  it('line discounts sum to the total and never exceed a line (property)', () => {
    const lineArb = fc.record({
      unitPrice: fc.integer({ min: 0, max: 50_000 }),
      qty: fc.integer({ min: 1, max: 20 }),
      category: fc.constantFrom('Hoodies', 'Tees'),
    });
    const offerArb = fc.oneof(
      fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 1, max: 10_000 }) }),
      fc.record({
        kind: fc.constant('amount' as const),
        amount: fc.integer({ min: 1, max: 200_000 }),
      }),
      fc.record({
        kind: fc.constant('buy-x-get-y' as const),
        buy: fc.integer({ min: 1, max: 4 }),
        get: fc.integer({ min: 1, max: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), offerArb, (raw, offer) => {
        const lines = raw.map((l, i) => ({ ...l, lineId: `l${i}`, sku: `S${i}` }));
        const r = run({ offer, scope: { kind: 'all' }, budget: null }, { lines });
        if (!r.ok) return;
        expect(r.lineDiscounts.reduce((s, d) => s + d.amount, 0)).toBe(r.total);
        for (const d of r.lineDiscounts) {
          const l = lines.find((x) => x.lineId === d.lineId)!;
          expect(d.amount).toBeGreaterThan(0);
          expect(d.amount).toBeLessThanOrEqual(l.unitPrice * l.qty);
        }
      }),
    );
  });

  it('prices like a line discount: tax is computed after the promo', () => {
    const r = run({});
    if (!r.ok) throw new Error(r.message);
    const lines = [
      { ...hoodie, name: 'Hoodie', taxClassId: 'std', promoDiscount: r.lineDiscounts[0]!.amount },
    ];
    const priced = priceCart(lines, undefined, {
      pricesIncludeTax: true,
      taxRatesPpm: { std: 230_000 },
    });
    // 4500 − 450 = 4050; VAT 4050 × 23/123 = 757.3 → 757
    expect(priced).toMatchObject({ total: 4050, lineDiscounts: 450, tax: 757 });
  });
});
