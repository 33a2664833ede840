import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountPaid } from '../sale';
import { planRefundTenders, type RefundPart } from './refund-tenders';
import type { RefundTender } from './return-fact';
import { saleArb, tillSale } from './till-sales.fixture';

/** What a till records once the cashier has the terminal's reference or the credit-note code. */
const recorded = (parts: RefundPart[], n: number): RefundTender[] =>
  parts.map((p) =>
    p.kind === 'card'
      ? { kind: 'card', amount: p.amount, reference: `RF-${n}` }
      : p.kind === 'cash'
        ? { kind: 'cash', amount: p.amount }
        : { kind: 'store-credit', amount: p.amount, code: `CN-${n}` },
  );

describe('planRefundTenders', () => {
  // 40.00 owed: 25.00 by card, 15.00 in cash (20.00 note, 5.00 change).
  const sale = tillSale({ lines: [{ unitPrice: 1000, qty: 4 }], cardPerMille: 625, note: true });

  it('refunds to the card first, then cash, and refuses more than is left, saying how much is', () => {
    expect(sale.tenders).toEqual([
      { kind: 'card', amount: 2500, reference: 'AUTH-1' },
      { kind: 'cash', amount: 2000 },
    ]);
    const first = planRefundTenders(sale, 3000, [], 'original-tender');
    expect(first).toEqual({
      ok: true,
      parts: [
        { kind: 'card', amount: 2500, originalReference: 'AUTH-1' },
        { kind: 'cash', amount: 500 },
      ],
    });
    const prior = first.ok ? recorded(first.parts, 1) : [];
    expect(planRefundTenders(sale, 1000, prior, 'original-tender')).toEqual({
      ok: true,
      parts: [{ kind: 'cash', amount: 1000 }],
    });
    expect(planRefundTenders(sale, 1001, prior, 'original-tender')).toEqual({
      ok: false,
      code: 'more-than-paid',
      message: 'Only €10.00 of this sale is left to refund: €40.00 paid, €30.00 already refunded.',
    });
  });

  it('refunds a card paid without a terminal reference to the card, naming none', () => {
    const noRef = {
      ...sale,
      tenders: sale.tenders.map((t) =>
        t.kind === 'card' ? { kind: 'card' as const, amount: t.amount } : t,
      ),
    };
    expect(planRefundTenders(noRef, 3000, [], 'original-tender')).toEqual({
      ok: true,
      parts: [
        { kind: 'card', amount: 2500 },
        { kind: 'cash', amount: 500 },
      ],
    });
  });

  it('store credit is one credit note, within what is left', () => {
    expect(planRefundTenders(sale, 4000, [], 'store-credit')).toEqual({
      ok: true,
      parts: [{ kind: 'store-credit', amount: 4000 }],
    });
    expect(planRefundTenders(sale, -1, [], 'store-credit')).toMatchObject({
      code: 'amount-invalid',
    });
  });

  it('over any sequence of refunds: parts add up, cards get back at most what they paid, and a full refund returns each tender exactly', () => {
    fc.assert(
      fc.property(
        saleArb,
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 8 }),
        (s, perMilles) => {
          const paid = amountPaid(s);
          const cardPaid = s.tenders.reduce((n, t) => (t.kind === 'card' ? n + t.amount : n), 0);
          const prior: RefundTender[] = [];
          let refunded = 0;
          perMilles.forEach((pm, i) => {
            const amount = Math.floor(((paid - refunded) * pm) / 1000);
            const plan = planRefundTenders(s, amount, prior, 'original-tender');
            if (!plan.ok) throw new Error(plan.message);
            expect(plan.parts.reduce((n, p) => n + p.amount, 0)).toBe(amount);
            prior.push(...recorded(plan.parts, i));
            refunded += amount;
          });
          const last = planRefundTenders(s, paid - refunded, prior, 'original-tender');
          if (!last.ok) throw new Error(last.message);
          prior.push(...recorded(last.parts, 99));
          const back = (k: RefundTender['kind']) =>
            prior.filter((r) => r.kind === k).reduce((n, r) => n + r.amount, 0);
          expect(back('card')).toBe(cardPaid);
          expect(back('cash')).toBe(paid - cardPaid);
          expect(back('store-credit')).toBe(0);
          expect(planRefundTenders(s, 1, prior, 'original-tender')).toMatchObject({
            ok: false,
            code: 'more-than-paid',
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
