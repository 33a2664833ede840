import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  applyOverride,
  DEFAULT_RETURN_POLICY,
  judgeReturnLine,
  lineRule,
  type ReturnLineQuery,
  type ReturnPolicy,
  type ReturnRefusal,
  receiptNote,
  returnPolicySchema,
} from './policy';
import { REFUND_METHODS, RETURN_REASONS } from './return-fact';
import { type LineSpec, saleArb, tillSale } from './till-sales.fixture';

const DROP = { dropId: 'riso-friday', step: -1, tier: 'everyone', fastFulfilment: false };
const SOLD = '2026-11-25T10:00:00.000Z';

function query(line: LineSpec, over: Partial<ReturnLineQuery> = {}): ReturnLineQuery {
  return {
    sale: tillSale({ lines: [line], createdAt: SOLD }),
    lineNo: 1,
    member: false,
    now: SOLD,
    timeZone: 'Europe/Dublin',
    reason: 'changed-mind',
    condition: 'resaleable',
    policy: DEFAULT_RETURN_POLICY,
    ...over,
  };
}

const tee: LineSpec = { sku: 'TEE', unitPrice: 2500, qty: 2 };

function refused(q: ReturnLineQuery): ReturnRefusal {
  const v = judgeReturnLine(q);
  if (v.ok) throw new Error(`expected a refusal, got ${JSON.stringify(v)}`);
  return v;
}

describe('policy config', () => {
  it('the default is a valid policy a store could save', () => {
    expect(returnPolicySchema.parse(DEFAULT_RETURN_POLICY)).toEqual(DEFAULT_RETURN_POLICY);
  });

  it('refuses a policy with a negative window or an unknown method', () => {
    const bad = { ...DEFAULT_RETURN_POLICY, drop: { days: -1, methods: ['cash-back'] } };
    const r = returnPolicySchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['drop.days', 'drop.methods.0']);
  });
});

describe('judgeReturnLine: windows in the store’s calendar days', () => {
  it('takes a standard line back until midnight of day 14 and refuses it on day 15, saying why', () => {
    const last = judgeReturnLine(query(tee, { now: '2026-12-09T23:59:59.999Z' }));
    expect(last).toEqual({
      ok: true,
      tier: 'standard',
      methods: ['original-tender', 'exchange'],
      windowEnds: '2026-12-10T00:00:00.000Z',
      basis: 'policy',
    });
    expect(refused(query(tee, { now: '2026-12-10T00:00:00.000Z' }))).toMatchObject({
      code: 'window-passed',
      message:
        'Items can only be refunded to the original payment or exchanged, within 14 days: this sale was 15 days ago.',
    });
  });

  it('counts days on the store’s wall clock: a late-evening sale in New York is a day older than in UTC', () => {
    // 03:00 UTC on 25 November is 22:00 on 24 November in New York.
    const q = query(tee, { now: '2026-12-09T12:00:00.000Z' });
    const sale = { ...q.sale, createdAt: '2026-11-25T03:00:00.000Z' };
    expect(judgeReturnLine({ ...q, sale, timeZone: 'UTC' }).ok).toBe(true);
    const ny = refused({ ...q, sale, timeZone: 'America/New_York' });
    expect(ny.message).toMatch(/this sale was 15 days ago/);
    expect(ny.overridable?.windowEnds).toBe('2026-12-09T05:00:00.000Z');
  });

  it('refuses an unknown time zone or a time that is not one, with words', () => {
    expect(refused(query(tee, { timeZone: 'Mars/Olympus' }))).toMatchObject({
      code: 'unknown-time-zone',
      message: 'Mars/Olympus is not a time zone this till knows.',
    });
    expect(refused(query(tee, { now: 'yesterday' })).code).toBe('not-a-time');
    expect(refused(query(tee, { lineNo: 2 }))).toMatchObject({
      code: 'no-such-line',
      message: 'Sale T1-000001 has no line 2.',
    });
  });
});

describe('judgeReturnLine: tiers', () => {
  it('drop items: exchange only within 7 days', () => {
    const q = query({ ...tee, drop: DROP }, { now: '2026-12-04T10:00:00.000Z' });
    expect(refused(q).message).toBe(
      'Drop items can only be exchanged, within 7 days: this sale was 9 days ago.',
    );
    expect(judgeReturnLine({ ...q, now: '2026-12-02T23:00:00.000Z' })).toMatchObject({
      ok: true,
      tier: 'drop',
      methods: ['exchange'],
    });
  });

  it('a line discounted 30% or more is strict; 29.99% is standard', () => {
    const at = (bp: number) =>
      lineRule({
        line: query({ sku: 'COAT', unitPrice: 10_000, qty: 1, discount: { kind: 'percent', bp } })
          .sale.lines[0]!,
        member: false,
        policy: DEFAULT_RETURN_POLICY,
      });
    expect(at(3000)).toMatchObject({
      tier: 'discounted',
      days: 7,
      methods: ['store-credit', 'exchange'],
    });
    expect(at(2999)).toMatchObject({ tier: 'standard', days: 14 });
    // A promo code's money off counts as line discount too.
    const promo = query({ ...tee, promoDiscount: 1500 }).sale.lines[0]!;
    expect(lineRule({ line: promo, member: false, policy: DEFAULT_RETURN_POLICY }).tier).toBe(
      'discounted',
    );
  });

  it('an early-bird ladder step is strict, the last step is not; the strictest rule of all tiers wins', () => {
    // A store whose drop items may be refunded within 14 days, but not early-bird ones.
    const policy: ReturnPolicy = {
      ...DEFAULT_RETURN_POLICY,
      drop: { days: 14, methods: ['original-tender', 'exchange'] },
    };
    const at = (step: number, ladderLength?: number) =>
      lineRule({
        line: query({ ...tee, drop: { ...DROP, step } }).sale.lines[0]!,
        member: false,
        policy,
        ...(ladderLength === undefined ? {} : { ladderLength }),
      });
    expect(at(0, 3)).toEqual({
      tier: 'drop',
      label: 'Drop items',
      days: 7,
      methods: ['exchange'],
    });
    expect(at(2, 3)).toMatchObject({
      tier: 'drop',
      days: 14,
      methods: ['original-tender', 'exchange'],
    });
    // A till that no longer knows the ladder errs strict.
    expect(at(2)).toMatchObject({ days: 7, methods: ['exchange'] });
  });

  it('members get 30 days on standard lines, a longer window but the same methods on drop lines, nothing on final sale', () => {
    const late = '2026-12-20T10:00:00.000Z';
    expect(judgeReturnLine(query(tee, { member: true, now: late }))).toMatchObject({
      ok: true,
      tier: 'member',
      methods: ['original-tender', 'store-credit', 'exchange'],
      windowEnds: '2026-12-26T00:00:00.000Z',
    });
    expect(
      judgeReturnLine(query({ ...tee, drop: DROP }, { member: true, now: late })),
    ).toMatchObject({
      ok: true,
      tier: 'drop',
      methods: ['exchange'],
    });
    const finalSale = { ...DEFAULT_RETURN_POLICY, finalSaleSkus: ['TEE'] };
    expect(refused(query(tee, { member: true, policy: finalSale }))).toMatchObject({
      code: 'final-sale',
      message:
        'Item 1 was sold as final sale: it cannot be returned or exchanged unless it is faulty.',
    });
  });

  it('says on the receipt when a line is under a stricter tier', () => {
    const rule = (line: LineSpec, policy = DEFAULT_RETURN_POLICY) =>
      receiptNote(lineRule({ line: query(line).sale.lines[0]!, member: false, policy }));
    expect(rule({ ...tee, drop: DROP })).toBe('Drop item: exchange only, 7 days');
    expect(rule({ ...tee, discount: { kind: 'percent', bp: 5000 } })).toBe(
      'Discounted item: store credit or exchange only, 7 days',
    );
    expect(rule(tee, { ...DEFAULT_RETURN_POLICY, finalSaleSkus: ['TEE'] })).toBe(
      'Final sale: no returns unless faulty',
    );
    expect(rule(tee)).toBeNull();
  });
});

describe('judgeReturnLine: faulty and damaged goods', () => {
  const finalSale = { ...DEFAULT_RETURN_POLICY, finalSaleSkus: ['TEE'] };

  it('faulty goods are refundable within 30 days whatever the tier, final sale included', () => {
    const v = judgeReturnLine(
      query(tee, {
        policy: finalSale,
        reason: 'faulty',
        condition: 'damaged',
        now: '2026-12-25T09:00:00Z',
      }),
    );
    expect(v).toEqual({
      ok: true,
      tier: 'final-sale',
      methods: [...REFUND_METHODS],
      windowEnds: '2026-12-26T00:00:00.000Z',
      basis: 'faulty-goods',
    });
    expect(
      refused(query(tee, { policy: finalSale, reason: 'faulty', now: '2026-12-26T00:00:00Z' }))
        .message,
    ).toBe('Faulty items can be refunded within 30 days: this sale was 31 days ago.');
  });

  it('damaged goods come back only as faulty', () => {
    const q = query(tee, { condition: 'damaged', now: '2026-11-27T10:00:00Z' });
    expect(refused(q)).toMatchObject({ code: 'damaged' });
    expect(judgeReturnLine({ ...q, reason: 'faulty' }).ok).toBe(true);
  });
});

describe('applyOverride', () => {
  it('a manager lets a late drop item be exchanged, and the approval is recorded', () => {
    const r = refused(query({ ...tee, drop: DROP }, { now: '2026-12-04T10:00:00Z' }));
    expect(applyOverride(r, { approvedBy: 'mgr-1', reason: 'Regular customer, tags on' })).toEqual({
      ok: true,
      tier: 'drop',
      methods: ['exchange'],
      windowEnds: '2026-12-03T00:00:00.000Z',
      basis: 'override',
      override: { approvedBy: 'mgr-1', reason: 'Regular customer, tags on' },
    });
  });

  it('a final-sale item overridden may go back by the policy’s override methods', () => {
    const r = refused(query(tee, { policy: { ...DEFAULT_RETURN_POLICY, finalSaleSkus: ['TEE'] } }));
    const o = applyOverride(r, { approvedBy: 'mgr-1', reason: 'Wrong item bagged' });
    expect(o).toMatchObject({ ok: true, methods: ['store-credit', 'exchange'] });
  });

  it('refuses an override without a reason, and anything that is not a policy refusal', () => {
    const r = refused(query({ ...tee, drop: DROP }, { now: '2026-12-04T10:00:00Z' }));
    expect(applyOverride(r, { approvedBy: 'mgr-1', reason: 'ok' })).toEqual({
      ok: false,
      code: 'override-invalid',
      message: 'Say why the policy is overridden',
    });
    expect(applyOverride(r, { reason: 'Regular customer' })).toMatchObject({
      code: 'override-invalid',
      message: 'The approving manager is missing.',
    });
    const noLine = refused(query(tee, { lineNo: 3 }));
    expect(applyOverride(noLine, { approvedBy: 'mgr-1', reason: 'Please' })).toMatchObject({
      code: 'not-overridable',
    });
  });
});

const ZONES = [
  'UTC',
  'Europe/Dublin',
  'America/New_York',
  'Pacific/Auckland',
  'Asia/Kolkata',
  'Pacific/Chatham',
];
const ruleArb = fc.record({
  days: fc.integer({ min: 0, max: 60 }),
  methods: fc.subarray([...REFUND_METHODS]),
});
const policyArb: fc.Arbitrary<ReturnPolicy> = fc.record({
  member: ruleArb,
  standard: ruleArb,
  discounted: ruleArb,
  drop: ruleArb,
  discountedFromBp: fc.integer({ min: 1, max: 10_000 }),
  finalSaleSkus: fc.subarray(['SKU-1', 'SKU-2', 'SKU-3']),
  statutoryFaultyDays: fc.integer({ min: 0, max: 60 }),
  overrideMethods: fc.subarray([...REFUND_METHODS], { minLength: 1 }),
});
const caseArb = fc.record({
  sale: saleArb,
  policy: policyArb,
  member: fc.boolean(),
  timeZone: fc.constantFrom(...ZONES),
  soldAt: fc.date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  }),
  lineIndex: fc.nat(),
  reason: fc.constantFrom(...RETURN_REASONS),
  condition: fc.constantFrom('resaleable' as const, 'damaged' as const),
  laterMs: fc.integer({ min: 0, max: 70 * 86_400_000 }),
});

describe('judgeReturnLine: properties over random sales, policies and time zones', () => {
  it('a line the policy allows is allowed until the last millisecond of its last calendar day, refused from midnight', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sale = { ...c.sale, createdAt: c.soldAt.toISOString() };
        const lineNo = (c.lineIndex % sale.lines.length) + 1;
        const base = { sale, lineNo, member: c.member, timeZone: c.timeZone, policy: c.policy };
        const q: ReturnLineQuery = {
          ...base,
          now: sale.createdAt,
          reason: 'wrong-size',
          condition: 'resaleable',
        };
        const rule = lineRule({ ...base, line: sale.lines[lineNo - 1]! });
        const first = judgeReturnLine(q);
        if (rule.methods.length === 0) {
          expect(first).toMatchObject({ ok: false, code: 'final-sale' });
          return;
        }
        if (!first.ok) throw new Error(first.message);
        expect(first.methods).toEqual(rule.methods);
        // windowEnds is midnight in the store, days + 1 calendar days after the sale's day.
        const end = Temporal.Instant.from(first.windowEnds).toZonedDateTimeISO(c.timeZone);
        const soldDay = Temporal.Instant.from(sale.createdAt)
          .toZonedDateTimeISO(c.timeZone)
          .toPlainDate();
        expect(soldDay.until(end.toPlainDate()).days).toBe(rule.days + 1);
        expect(end.toPlainTime().equals(Temporal.PlainTime.from('00:00'))).toBe(true);
        const justBefore = new Date(Date.parse(first.windowEnds) - 1).toISOString();
        expect(judgeReturnLine({ ...q, now: justBefore }).ok).toBe(true);
        expect(judgeReturnLine({ ...q, now: first.windowEnds })).toMatchObject({
          ok: false,
          code: 'window-passed',
        });
      }),
      { numRuns: 300 },
    );
  });

  it('every verdict either allows methods the tiers allow (or all, for faulty goods) or refuses with a plain message', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sale = { ...c.sale, createdAt: c.soldAt.toISOString() };
        const lineNo = (c.lineIndex % sale.lines.length) + 1;
        const now = new Date(c.soldAt.getTime() + c.laterMs).toISOString();
        const base = { sale, lineNo, member: c.member, timeZone: c.timeZone, policy: c.policy };
        const v = judgeReturnLine({ ...base, now, reason: c.reason, condition: c.condition });
        const rule = lineRule({ ...base, line: sale.lines[lineNo - 1]! });
        if (v.ok) {
          expect(Date.parse(now)).toBeLessThan(Date.parse(v.windowEnds));
          if (v.basis === 'policy') expect(rule.methods).toEqual(expect.arrayContaining(v.methods));
          else expect(c.reason).toBe('faulty');
          if (c.condition === 'damaged') expect(c.reason).toBe('faulty');
        } else {
          expect(v.message.length).toBeGreaterThan(20);
          expect(v.message).not.toMatch(/undefined|NaN|\[object/);
          expect(v.overridable?.methods.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
