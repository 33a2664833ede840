import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  assertMinor,
  formatMoney,
  fractionDigits,
  mulDivRound,
  parseMoney,
  roundToIncrement,
} from './money';

describe('mulDivRound: the one rounding rule (half away from zero)', () => {
  it('rounds exact halves away from zero, not to even', () => {
    // 5 × 1/2 = 2.5 → 3;  15/10 = 1.5 → 2;  25/10 = 2.5 → 3 (banker's rounding would give 2)
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(mulDivRound(15, 1, 10)).toBe(2);
    expect(mulDivRound(25, 1, 10)).toBe(3);
  });

  it('rounds negative halves away from zero too', () => {
    // −5/2 = −2.5 → −3; −25/10 = −2.5 → −3; the sign may come from any of the three arguments
    expect(mulDivRound(-5, 1, 2)).toBe(-3);
    expect(mulDivRound(-25, 1, 10)).toBe(-3);
    expect(mulDivRound(5, -1, 2)).toBe(-3);
    expect(mulDivRound(5, 1, -2)).toBe(-3);
    expect(mulDivRound(-5, -1, 2)).toBe(3);
  });

  it('rounds every x.5 away from zero (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (k) => {
        // (2k+1)/2 = k + 0.5 → k+1;  −(2k+1)/2 → −(k+1)
        expect(mulDivRound(2 * k + 1, 1, 2)).toBe(k + 1);
        expect(mulDivRound(-(2 * k + 1), 1, 2)).toBe(-(k + 1));
      }),
    );
  });

  it('rounds just below and just above a half to the nearest unit', () => {
    // 1049/100 = 10.49 → 10;  1051/100 = 10.51 → 11;  −1049/100 → −10
    expect(mulDivRound(1049, 1, 100)).toBe(10);
    expect(mulDivRound(1051, 1, 100)).toBe(11);
    expect(mulDivRound(-1049, 1, 100)).toBe(-10);
  });

  it('works out a real tax amount: 23% VAT inside €14.97', () => {
    // 1497 × 230000 / 1230000 = 1497 × 23/123 = 279.93 → 280
    expect(mulDivRound(1497, 230_000, 1_230_000)).toBe(280);
  });

  it('stays exact where a float product would lose digits', () => {
    // MAX_SAFE × 3 overflows 2^53 as a float; BigInt keeps it exact: (MAX × 3) / 3 = MAX
    expect(mulDivRound(Number.MAX_SAFE_INTEGER, 3, 3)).toBe(Number.MAX_SAFE_INTEGER);
    // 9007199254740991 × 7 / 10 = 6305039478318693.7 → 6305039478318694
    expect(mulDivRound(Number.MAX_SAFE_INTEGER, 7, 10)).toBe(6_305_039_478_318_694);
  });

  it('refuses division by zero and fractional amounts', () => {
    expect(() => mulDivRound(100, 1, 0)).toThrow(RangeError);
    expect(() => mulDivRound(1.5, 1, 2)).toThrow();
  });

  it('is never more than half a unit from the exact quotient (property)', () => {
    fc.assert(
      fc.property(
        // |v × num| ≤ 1e15 keeps the result a safe integer
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 2e6 }),
        (v, num, den) => {
          const r = mulDivRound(v, num, den);
          // |r·den − v·num| ≤ den/2, checked exactly in BigInt
          const diff = BigInt(r) * BigInt(den) - BigInt(v) * BigInt(num);
          const abs2 = (diff < 0n ? -diff : diff) * 2n;
          expect(abs2 <= BigInt(den)).toBe(true);
          // an exact half goes away from zero
          if (abs2 === BigInt(den)) {
            // away from zero: r·den lies beyond v·num, on the side of its sign
            expect(diff > 0n).toBe(v * num > 0);
          }
          // symmetric: −x rounds to −round(x)
          expect(mulDivRound(-v, num, den)).toBe(-r || 0);
        },
      ),
    );
  });
});

describe('assertMinor', () => {
  it('accepts whole minor units and refuses fractions, NaN and unsafe sizes', () => {
    expect(assertMinor(1250)).toBe(1250);
    expect(assertMinor(-3)).toBe(-3);
    expect(() => assertMinor(12.5)).toThrow(RangeError);
    expect(() => assertMinor(Number.NaN)).toThrow(RangeError);
    expect(() => assertMinor(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});

describe('allocate: splitting an amount without losing a cent', () => {
  it('splits €1.00 three ways as 34 + 33 + 33 (the extra cent to the first)', () => {
    // 100/3 = 33.33 each; one cent left over, ties go to the earliest part
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it('splits a negative amount the same way, mirrored', () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('gives the leftover cent to the largest fractional share', () => {
    // €1.00 over weights 1000 and 500: exact 66.67 and 33.33 → 66 + 33 = 99, the cent goes to 66.67
    expect(allocate(100, [1000, 500])).toEqual([67, 33]);
    // 10 over weights 3 and 7: exact shares 3 and 7, nothing left over
    expect(allocate(10, [3, 7])).toEqual([3, 7]);
    // 10 over 1,1,4 → exact 1.67, 1.67, 6.67 → 1+1+6 = 8, two cents to the first two (ties, earliest first)
    expect(allocate(10, [1, 1, 4])).toEqual([2, 2, 6]);
  });

  it('gives nothing to a zero weight, and splits evenly when every weight is zero', () => {
    expect(allocate(10, [0, 1])).toEqual([0, 10]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
  });

  it('allocates zero over nothing, but refuses money over no parts or bad weights', () => {
    expect(allocate(0, [])).toEqual([]);
    expect(() => allocate(5, [])).toThrow(RangeError);
    expect(() => allocate(5, [1, -1])).toThrow(RangeError);
    expect(() => allocate(5, [0.5, 1])).toThrow(RangeError);
    expect(() => allocate(0.5, [1])).toThrow(RangeError);
  });

  it('parts always sum to the whole (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        },
      ),
    );
  });

  it('each part is within one unit of its exact proportional share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e5 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const sum = weights.reduce((s, w) => s + w, 0);
          const ws = sum === 0 ? weights.map(() => 1) : weights;
          const wsum = BigInt(sum === 0 ? weights.length : sum);
          allocate(total, weights).forEach((p, i) => {
            // |p − total·w/W| < 1  ⇔  |p·W − total·w| < W
            const diff = BigInt(p) * wsum - BigInt(total) * BigInt(ws[i]!);
            expect((diff < 0n ? -diff : diff) < wsum).toBe(true);
            // a part never has the opposite sign of the total
            expect(p * Math.sign(total)).toBeGreaterThanOrEqual(0);
          });
        },
      ),
    );
  });

  it('equal weights give parts that differ by at most 1 from the exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1000 }),
        (total, n, w) => {
          const parts = allocate(total, Array(n).fill(w));
          for (const p of parts) expect(Math.abs(p * n - total)).toBeLessThan(n);
          expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('roundToIncrement: cash rounding', () => {
  it('rounds to the nearest 5 cents', () => {
    // 1.02 → 20.4 × 5c → 20 × 5c = 1.00;  1.03 → 20.6 → 21 × 5c = 1.05
    expect(roundToIncrement(102, 5)).toBe(100);
    expect(roundToIncrement(103, 5)).toBe(105);
    expect(roundToIncrement(100, 5)).toBe(100);
  });

  it('rounds an exact half away from zero (10 cent rounding)', () => {
    // 1.05 → 10.5 × 10c → 11 × 10c = 1.10;  1.04 → 1.00;  −1.05 → −1.10
    expect(roundToIncrement(105, 10)).toBe(110);
    expect(roundToIncrement(104, 10)).toBe(100);
    expect(roundToIncrement(-105, 10)).toBe(-110);
  });

  it('leaves amounts alone when there is no cash rounding (0 or 1)', () => {
    expect(roundToIncrement(103, 1)).toBe(103);
    expect(roundToIncrement(103, 0)).toBe(103);
  });

  it('lands on a multiple within half an increment (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom(2, 5, 10, 25, 50, 100),
        (v, inc) => {
          const r = roundToIncrement(v, inc);
          expect(r % inc === 0).toBe(true);
          expect(Math.abs(r - v) * 2).toBeLessThanOrEqual(inc);
        },
      ),
    );
  });
});

describe('fractionDigits and formatMoney: what the customer sees', () => {
  it('knows how many decimals a currency has', () => {
    expect(fractionDigits('EUR')).toBe(2);
    expect(fractionDigits('JPY')).toBe(0);
    expect(fractionDigits('KWD')).toBe(3);
  });

  it('shows minor units as a price in the shop locale', () => {
    expect(formatMoney(1250, 'EUR')).toBe('€12.50');
    expect(formatMoney(5, 'EUR')).toBe('€0.05');
    expect(formatMoney(-1250, 'EUR')).toBe('-€12.50');
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    // yen have no minor unit: 1200 minor = ¥1,200
    expect(formatMoney(1200, 'JPY', 'en-US')).toBe('¥1,200');
    // German style puts the sign after, with a (non-breaking) space
    expect(formatMoney(123450, 'EUR', 'de-DE')).toMatch(/^1\.234,50\s€$/);
  });
});

describe('parseMoney: what the cashier types', () => {
  it('reads whole amounts, one decimal, two decimals and a decimal comma', () => {
    expect(parseMoney('12', 'EUR')).toBe(1200);
    expect(parseMoney('12.5', 'EUR')).toBe(1250);
    expect(parseMoney('12.50', 'EUR')).toBe(1250);
    expect(parseMoney('12,50', 'EUR')).toBe(1250);
    expect(parseMoney(' 3.99 ', 'EUR')).toBe(399);
    expect(parseMoney('0.05', 'EUR')).toBe(5);
    expect(parseMoney('0', 'EUR')).toBe(0);
  });

  it('refuses what is not a plain non-negative amount', () => {
    for (const bad of [
      '',
      ' ',
      'abc',
      '-1',
      '12.345',
      '1,234.50',
      '1.2.3',
      '€12',
      '12 50',
      '1e3',
    ]) {
      expect(parseMoney(bad, 'EUR'), bad).toBeNull();
    }
  });

  it('refuses decimals for a currency without minor units', () => {
    expect(parseMoney('1200', 'JPY')).toBe(1200);
    expect(parseMoney('12.5', 'JPY')).toBeNull();
  });

  it('reads back every amount written as units.cents (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e14 - 1 }), (n) => {
        const text = `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
        expect(parseMoney(text, 'EUR')).toBe(n);
        expect(parseMoney(text.replace('.', ','), 'EUR')).toBe(n);
      }),
    );
  });
});
