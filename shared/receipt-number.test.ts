import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReceiptNumber, parseReceiptNumber, RECEIPT_DIGITS } from './receipt-number';

describe('formatReceiptNumber', () => {
  it('prints the till prefix and a six-digit counter', () => {
    expect(RECEIPT_DIGITS).toBe(6);
    expect(formatReceiptNumber('T1', 123)).toBe('T1-000123');
    expect(formatReceiptNumber('T1', 1)).toBe('T1-000001');
    expect(formatReceiptNumber('STALL2', 999_999)).toBe('STALL2-999999');
  });

  it('keeps counting past a million instead of wrapping or cutting digits', () => {
    expect(formatReceiptNumber('T1', 1_000_000)).toBe('T1-1000000');
  });

  it('refuses counter 0, negative and fractional counters', () => {
    expect(() => formatReceiptNumber('T1', 0)).toThrow(RangeError);
    expect(() => formatReceiptNumber('T1', -1)).toThrow(RangeError);
    expect(() => formatReceiptNumber('T1', 1.5)).toThrow(RangeError);
    expect(() => formatReceiptNumber('T1', Number.NaN)).toThrow(RangeError);
  });

  it('refuses prefixes a receipt could not carry or a cashier could not read back', () => {
    for (const bad of ['', 't1', '1T', 'T-1', 'T 1', 'ABCDEFGHI']) {
      expect(() => formatReceiptNumber(bad, 1), bad).toThrow(RangeError);
    }
    expect(formatReceiptNumber('ABCDEFGH', 1)).toBe('ABCDEFGH-000001');
  });
});

describe('parseReceiptNumber: looking up a receipt for a return', () => {
  it('reads a printed number back', () => {
    expect(parseReceiptNumber('T1-000123')).toEqual({ devicePrefix: 'T1', n: 123 });
    expect(parseReceiptNumber('T1-1000000')).toEqual({ devicePrefix: 'T1', n: 1_000_000 });
  });

  it('forgives lower case and surrounding spaces as typed by a cashier', () => {
    expect(parseReceiptNumber('  t1-000123 ')).toEqual({ devicePrefix: 'T1', n: 123 });
  });

  it('refuses counter 0 and anything that is not a receipt number', () => {
    for (const bad of [
      'T1-000000',
      'T1-0',
      'T1000123',
      'T1-',
      '-000123',
      'T1-12a',
      '1T-000123',
      'T1--1',
      '',
    ]) {
      expect(parseReceiptNumber(bad), bad).toBeNull();
    }
  });

  it('round-trips every number it prints (property)', () => {
    const prefix = fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}$/);
    fc.assert(
      fc.property(prefix, fc.integer({ min: 1, max: 999_999_999_999 }), (p, n) => {
        expect(parseReceiptNumber(formatReceiptNumber(p, n))).toEqual({ devicePrefix: p, n });
      }),
    );
  });
});
