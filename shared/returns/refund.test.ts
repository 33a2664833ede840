import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountPaid, type Sale } from '../sale';
import { paidPerLine, refundFor } from './refund';
import {
  checkReturnQty,
  type PriorReturnLine,
  priorReturnLines,
  returnableQty,
} from './returnable';
import { saleArb, tillSale } from './till-sales.fixture';

const rid = (n: number) => `01JR${String(n).padStart(22, '0')}`;

/** Random sequences of partial returns: each step names a line and asks for some units. */
const stepsArb = fc.array(fc.record({ line: fc.nat(), qty: fc.integer({ min: 1, max: 15 }) }), {
  maxLength: 30,
});

/** Plays return requests against a sale as a till would: refused requests change nothing. */
function play(sale: Sale, steps: { line: number; qty: number }[]) {
  const prior: PriorReturnLine[] = [];
  let refunded = 0;
  steps.forEach((s, i) => {
    const lineNo = (s.line % sale.lines.length) + 1;
    const r = refundFor(sale, lineNo, s.qty, prior);
    if (!r.ok) {
      expect(r.message.length).toBeGreaterThan(10);
      return;
    }
    refunded += r.amount;
    prior.push({ returnId: rid(i), saleId: sale.id, lineNo, qty: s.qty });
  });
  return { prior, refunded };
}

describe('returnable quantities', () => {
  const sale = tillSale({
    lines: [
      { unitPrice: 2500, qty: 3 },
      { unitPrice: 900, qty: 1 },
    ],
  });

  it('counts a return seen in the outbox and again from the ledger once', () => {
    const own = priorReturnLines({
      id: rid(1),
      saleId: sale.id,
      lines: [
        {
          lineNo: 1,
          qty: 1,
          sku: 'SKU-1',
          reason: 'faulty',
          condition: 'damaged',
          refund: 2500,
          method: 'exchange',
        },
        {
          lineNo: 1,
          qty: 1,
          sku: 'SKU-1',
          reason: 'faulty',
          condition: 'resaleable',
          refund: 2500,
          method: 'exchange',
        },
      ],
    });
    expect(own).toEqual([{ returnId: rid(1), saleId: sale.id, lineNo: 1, qty: 2 }]);
    const fromLedger = [{ returnId: rid(1), saleId: sale.id, lineNo: 1, qty: 2 }];
    expect(returnableQty(sale, 1, [...own, ...fromLedger])).toBe(1);
    // Another till's return of the same line, learnt from pull, counts too; other sales do not.
    const other = { returnId: rid(2), saleId: sale.id, lineNo: 1, qty: 1 };
    const elsewhere = { returnId: rid(3), saleId: rid(9), lineNo: 1, qty: 3 };
    expect(returnableQty(sale, 1, [...own, ...fromLedger, other, elsewhere])).toBe(0);
    expect(checkReturnQty(sale, 1, 1, [...own, other])).toEqual({
      ok: false,
      code: 'more-than-sold',
      message: 'All 3 of Item 1 on T1-000001 have already been returned.',
    });
    expect(checkReturnQty(sale, 1, 2, own)).toMatchObject({
      message: 'Only 1 of Item 1 can come back: 3 sold, 2 already returned.',
    });
    expect(checkReturnQty(sale, 5, 1, [])).toMatchObject({ code: 'no-such-line' });
    expect(checkReturnQty(sale, 2, 0, [])).toMatchObject({ code: 'qty-invalid' });
  });

  it('never lets more units back than were sold, across any sequence of returns', () => {
    fc.assert(
      fc.property(saleArb, stepsArb, (sale, steps) => {
        const { prior } = play(sale, steps);
        sale.lines.forEach((l, i) => {
          const back = prior.filter((p) => p.lineNo === i + 1).reduce((n, p) => n + p.qty, 0);
          expect(back).toBeLessThanOrEqual(l.qty);
          expect(returnableQty(sale, i + 1, prior)).toBe(l.qty - back);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('refundFor', () => {
  it('pro-rates what was paid: discounts, order discount and cash rounding included', () => {
    // 3 × 3.33 with 10% off the order: 8.99 owed, paid 9.00 in cash at 0.05 rounding.
    const sale = tillSale({
      lines: [{ unitPrice: 333, qty: 3 }],
      orderDiscount: { kind: 'percent', bp: 1000 },
      cashRounding: 5,
    });
    expect(amountPaid(sale)).toBe(900);
    const one = refundFor(sale, 1, 1, []);
    expect(one).toEqual({ ok: true, amount: 300 });
    const all = [1, 2, 3].map((n) =>
      refundFor(sale, 1, 1, [{ returnId: rid(0), saleId: sale.id, lineNo: 1, qty: n - 1 }]),
    );
    expect(all.map((r) => (r.ok ? r.amount : -1)).reduce((a, b) => a + b, 0)).toBe(900);
    expect(refundFor(sale, 1, 4, [])).toMatchObject({ ok: false, code: 'more-than-sold' });
  });

  it('lines’ paid amounts add up to what the sale took', () => {
    fc.assert(
      fc.property(saleArb, (sale) => {
        const parts = paidPerLine(sale);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(amountPaid(sale));
        for (const p of parts) expect(p).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never refunds more than was paid, and a full return in any order and split refunds it exactly', () => {
    fc.assert(
      fc.property(saleArb, stepsArb, (sale, steps) => {
        const { prior, refunded } = play(sale, steps);
        expect(refunded).toBeLessThanOrEqual(amountPaid(sale));
        // Then the rest of every line comes back, last line first.
        let total = refunded;
        for (let lineNo = sale.lines.length; lineNo >= 1; lineNo--) {
          const left = returnableQty(sale, lineNo, prior);
          if (left === 0) continue;
          const r = refundFor(sale, lineNo, left, prior);
          if (!r.ok) throw new Error(r.message);
          expect(r.amount).toBeGreaterThanOrEqual(0);
          total += r.amount;
          prior.push({ returnId: rid(900 + lineNo), saleId: sale.id, lineNo, qty: left });
        }
        expect(total).toBe(amountPaid(sale));
      }),
      { numRuns: 300 },
    );
  });
});
