import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickCashAmounts, type Settlement, settle, type Tender } from './tender';

const cash = (amount: number): Tender => ({ kind: 'cash', amount });
const card = (amount: number, reference = 'AUTH-123456'): Tender => ({
  kind: 'card',
  amount,
  reference,
});

/** Settle, expecting the tenders to be acceptable. */
function paid(total: number, tenders: Tender[], cashRounding = 1): Settlement {
  const r = settle(total, tenders, cashRounding);
  if (!r.ok) throw new Error(`expected ok, got ${r.code}`);
  return r.value;
}

describe('settle: cash', () => {
  it('gives change from a €20 note for €12.50', () => {
    // 2000 − 1250 = 750 change; the drawer keeps 1250
    expect(paid(1250, [cash(2000)])).toEqual({
      total: 1250,
      card: 0,
      credit: 0,
      cashGiven: 2000,
      cashKept: 1250,
      rounding: 0,
      remaining: 0,
      remainingInCash: 0,
      change: 750,
      complete: true,
    });
  });

  it('completes with no change for the exact amount, and adds up several notes', () => {
    expect(paid(1250, [cash(1250)])).toMatchObject({ complete: true, change: 0, cashKept: 1250 });
    // €10 + €5 for €12.50 → €2.50 change
    expect(paid(1250, [cash(1000), cash(500)])).toMatchObject({
      cashGiven: 1500,
      change: 250,
      complete: true,
    });
  });

  it('leaves the rest to pay when the cash is short', () => {
    // €5 towards €10: €5 still to pay, nothing back
    const s = paid(1000, [cash(500)]);
    expect(s).toMatchObject({
      remaining: 500,
      remainingInCash: 500,
      change: 0,
      cashKept: 500,
      complete: false,
    });
  });

  it('shows the whole amount due before anything is paid', () => {
    expect(paid(1000, [])).toMatchObject({
      remaining: 1000,
      remainingInCash: 1000,
      complete: false,
    });
  });
});

describe('settle: card', () => {
  it('completes on a card payment for the total, with the terminal reference', () => {
    expect(paid(4599, [card(4599)])).toMatchObject({
      card: 4599,
      cashKept: 0,
      change: 0,
      rounding: 0,
      complete: true,
    });
  });

  it('refuses a card payment over the total (no change on a card)', () => {
    const r = settle(1000, [card(1001)], 1);
    expect(r).toMatchObject({ ok: false, code: 'card-over-total' });
    // two cards that together go over are refused too
    expect(settle(1000, [card(600), card(500)], 1)).toMatchObject({
      ok: false,
      code: 'card-over-total',
    });
  });

  it('refuses a card without a terminal reference, and zero, negative or fractional payments', () => {
    for (const t of [
      card(1000, ''),
      card(1000, '   '),
      card(1000, 'x'.repeat(41)),
      cash(0),
      cash(-500),
      cash(12.5),
    ]) {
      expect(settle(1000, [t], 1), JSON.stringify(t)).toMatchObject({
        ok: false,
        code: 'tender-invalid',
      });
    }
  });
});

describe('settle: split payments', () => {
  it('takes part by card and gives change on the cash part', () => {
    // €45.99: €30.00 on card leaves €15.99; a €20 note → €4.01 change
    expect(paid(4599, [card(3000), cash(2000)])).toMatchObject({
      card: 3000,
      cashGiven: 2000,
      cashKept: 1599,
      change: 401,
      rounding: 0,
      remaining: 0,
      complete: true,
    });
  });

  it('shows what is left after a card payment', () => {
    expect(paid(4599, [card(3000)])).toMatchObject({
      remaining: 1599,
      remainingInCash: 1599,
      complete: false,
    });
  });
});

describe('settle: cash rounding to 5 cents', () => {
  it('rounds €1.02 down to €1.00 in cash', () => {
    // 102 → nearest 5 = 100, rounding −2; €2 coin → €1.00 change
    expect(paid(102, [cash(200)], 5)).toMatchObject({
      cashKept: 100,
      rounding: -2,
      change: 100,
      complete: true,
    });
    // and exactly €1.00 is enough
    expect(paid(102, [cash(100)], 5)).toMatchObject({
      cashKept: 100,
      rounding: -2,
      change: 0,
      complete: true,
    });
  });

  it('rounds €1.03 up to €1.05 in cash', () => {
    // 103 → 105, rounding +2; €2 coin → €0.95 change
    expect(paid(103, [cash(200)], 5)).toMatchObject({
      cashKept: 105,
      rounding: 2,
      change: 95,
      complete: true,
    });
    // €1.00 is short: 3c to pay by card or 5c in cash
    expect(paid(103, [cash(100)], 5)).toMatchObject({
      remaining: 3,
      remainingInCash: 5,
      complete: false,
    });
  });

  it('offers the rounded cash amount before anything is paid', () => {
    expect(paid(102, [], 5)).toMatchObject({
      remaining: 102,
      remainingInCash: 100,
      rounding: 0,
      complete: false,
    });
  });

  it('never rounds a card payment', () => {
    expect(paid(103, [card(103)], 5)).toMatchObject({ card: 103, rounding: 0, complete: true });
    expect(paid(102, [card(102)], 5)).toMatchObject({ card: 102, rounding: 0, complete: true });
  });

  it('rounds only the cash part of a split payment', () => {
    // €10.03 with €5.00 on card: cash part 503 → 505 (+2); €10 note → €4.95 change; card stays 500
    expect(paid(1003, [card(500), cash(1000)], 5)).toMatchObject({
      card: 500,
      cashKept: 505,
      rounding: 2,
      change: 495,
      complete: true,
    });
    // €45.99 with €30.01 on card: cash part 1598 → 1600 (319.6 → 320 × 5c), €20 note → €4.00 change
    expect(paid(4599, [card(3001), cash(2000)], 5)).toMatchObject({
      cashKept: 1600,
      rounding: 2,
      change: 400,
    });
  });

  it('rounds to 10 cents with an exact half going up', () => {
    // €1.05 → €1.10 (10.5 → 11 × 10c), rounding +5
    expect(paid(105, [cash(200)], 10)).toMatchObject({ cashKept: 110, rounding: 5, change: 90 });
  });
});

describe('settle: the last few cents', () => {
  it('completes when a card leaves less than half a 5c coin: the cash part rounds to nothing', () => {
    // €10.02 due, €10.00 on card: 2c left rounds to 0 in cash, so the sale is paid, rounding −2c
    const s = paid(1002, [card(1000)], 5);
    expect(s).toMatchObject({ complete: true, rounding: -2, change: 0, cashKept: 0 });
  });

  it('accepts the exact amount counted out to the cent, with no rounding', () => {
    // €1.03 due: rounded cash would be €1.05, but €1.04 in coins covers it with 1c change
    const s = paid(103, [cash(104)], 5);
    expect(s).toMatchObject({ complete: true, rounding: 0, change: 1, cashKept: 103 });
  });

  it('treats a sale that came to nothing as paid without any tender', () => {
    expect(paid(0, [], 5).complete).toBe(true);
  });

  it('never completes a sale that is owed something without a tender', () => {
    // 2c would round to 0 in cash, but nobody has paid yet
    expect(paid(2, [], 5)).toMatchObject({ complete: false, remaining: 2 });
  });
});

describe('settle invariants (property)', () => {
  const tenderArb = fc.oneof(
    fc.integer({ min: 1, max: 300_000 }).map(cash),
    fc.integer({ min: 1, max: 150_000 }).map((a) => card(a)),
  );
  const increments = fc.constantFrom(0, 1, 5, 10, 50, 100);

  it('never gives negative change, keeps cash + card = total + rounding, rounds by at most half an increment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300_000 }),
        fc.array(tenderArb, { maxLength: 4 }),
        increments,
        (total, tenders, inc) => {
          const r = settle(total, tenders, inc);
          const cardSum = tenders.reduce((s, t) => (t.kind === 'card' ? s + t.amount : s), 0);
          const cashSum = tenders.reduce((s, t) => (t.kind === 'cash' ? s + t.amount : s), 0);
          if (cardSum > total) {
            expect(r).toMatchObject({ ok: false, code: 'card-over-total' });
            return;
          }
          if (!r.ok) throw new Error(r.code);
          const s = r.value;
          expect(s.card).toBe(cardSum);
          expect(s.cashGiven).toBe(cashSum);
          expect(s.change).toBeGreaterThanOrEqual(0);
          expect(s.remaining).toBeGreaterThanOrEqual(0);
          expect(s.remainingInCash).toBeGreaterThanOrEqual(0);
          expect(s.cashKept + s.change).toBe(s.cashGiven);
          expect(s.complete).toBe(s.remaining === 0);
          expect(Math.abs(s.rounding) * 2).toBeLessThanOrEqual(inc > 1 ? inc : 0);
          // The card part is never rounded: with no cash given, the only rounding is a few cents a
          // card left over that round to nothing in cash (settled with no coins handed over).
          if (cashSum === 0 && s.rounding !== 0) {
            expect(s.complete).toBe(true);
            expect(s.cashKept).toBe(0);
            expect(-s.rounding).toBe(total - cardSum);
          }
          if (s.complete) {
            expect(s.cashKept + s.card).toBe(s.total + s.rounding);
            expect(s.remainingInCash).toBe(0);
          } else {
            expect(s.change).toBe(0);
          }
        },
      ),
    );
  });

  it('paying what it says is left in cash completes the sale with no change', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300_000 }),
        fc.array(tenderArb, { maxLength: 3 }),
        increments,
        (total, tenders, inc) => {
          const r = settle(total, tenders, inc);
          if (!r.ok || r.value.complete || r.value.remainingInCash === 0) return;
          const after = paid(total, [...tenders, cash(r.value.remainingInCash)], inc);
          expect(after).toMatchObject({ complete: true, change: 0 });
        },
      ),
    );
  });

  it('with cash in whole increments, paying what is left by card completes the sale exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300_000 }),
        fc.array(fc.integer({ min: 1, max: 2_000 }), { maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 150_000 }), { maxLength: 2 }),
        fc.constantFrom(1, 5, 10, 50),
        (total, coins, cards, inc) => {
          const tenders = [...coins.map((n) => cash(n * inc)), ...cards.map((a) => card(a))];
          const r = settle(total, tenders, inc);
          if (!r.ok || r.value.complete) return;
          const after = paid(total, [...tenders, card(r.value.remaining)], inc);
          expect(after).toMatchObject({ complete: true, change: 0, rounding: 0 });
        },
      ),
    );
  });
});

describe('settle: store credit and exchange credit', () => {
  const credit = (amount: number): Tender => ({ kind: 'store-credit', amount, code: 'CR-TEST' });
  const exchange = (amount: number): Tender => ({ kind: 'exchange', amount, returnId: 'R1' });

  it('pays part with a credit note and the rest in cash, rounding only the cash part', () => {
    // €12.52 due, €10 of credit, €2.52 in cash rounds to €2.50 at 5-cent rounding
    expect(paid(1252, [credit(1000), cash(500)], 5)).toMatchObject({
      credit: 1000,
      cashKept: 250,
      rounding: -2,
      change: 250,
      complete: true,
    });
  });

  it('never gives change on store credit: more credit than is due is refused', () => {
    const r = settle(1000, [credit(1200)], 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/store credit/);
  });

  it('counts exchange credit with card against what is due', () => {
    expect(paid(3000, [exchange(2000), card(1000)])).toMatchObject({
      card: 1000,
      credit: 2000,
      remaining: 0,
      complete: true,
    });
    expect(settle(3000, [exchange(2000), card(1500)], 1).ok).toBe(false);
  });
});

describe('quickCashAmounts: the notes a customer hands over', () => {
  const euroNotes = [500, 1000, 2000, 5000];
  it('offers €180, €200 and €250 for €176.50', () => {
    expect(quickCashAmounts(17650, euroNotes)).toEqual([18000, 20000, 25000]);
  });
  it('offers €10, €20 and €50 for €5.40', () => {
    expect(quickCashAmounts(540, euroNotes)).toEqual([1000, 2000, 5000]);
  });
  it('leaves an amount exactly due to "Exact": €20 due offers €50 and up, never €20', () => {
    expect(quickCashAmounts(2000, euroNotes)).toEqual([5000, 10000, 15000]);
  });
  it('offers nothing when nothing is due or no notes are known', () => {
    expect(quickCashAmounts(0, euroNotes)).toEqual([]);
    expect(quickCashAmounts(1250, [])).toEqual([]);
  });
  it('always offers amounts above what is due, distinct and rising, at most four', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        (due, notes) => {
          const got = quickCashAmounts(due, notes);
          expect(got.length).toBeGreaterThanOrEqual(3);
          expect(got.length).toBeLessThanOrEqual(4);
          for (let i = 0; i < got.length; i++) {
            expect(got[i]).toBeGreaterThan(i === 0 ? due : got[i - 1]!);
            expect(Number.isSafeInteger(got[i])).toBe(true);
          }
        },
      ),
    );
  });
});

describe('a card payment without a terminal reference', () => {
  it('pays like any card payment where the store does not ask for the reference', () => {
    expect(paid(1250, [{ kind: 'card', amount: 1250 }]).complete).toBe(true);
  });
  it('is never stored with an empty reference: absent or a real one', () => {
    expect(settle(1250, [card(1250, '  ')], 1).ok).toBe(false);
  });
});

describe('settle: a few cents a card leaves over', () => {
  it('rounds them away in cash (no coins handed over), and never rounds the card part', () => {
    // €0.02 due, €0.01 on card, 10-cent cash rounding: the last cent rounds to nothing.
    expect(paid(2, [card(1)], 10)).toMatchObject({
      card: 1,
      cashKept: 0,
      rounding: -1,
      complete: true,
    });
    // With nothing left after the card, nothing is rounded.
    expect(paid(1000, [card(1000)], 5)).toMatchObject({ rounding: 0, complete: true });
  });
});
