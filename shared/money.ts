// Money: integer minor units with one rounding rule, proportional allocation and display.
import { z } from 'zod';
import { MAX_AMOUNT } from './bounds';

/** An amount in minor units (cents, pence). Always a safe integer. */
export type Minor = number;

export const minorSchema = z
  .number()
  .int('Amounts are whole minor units')
  .min(-Number.MAX_SAFE_INTEGER)
  .max(Number.MAX_SAFE_INTEGER);

/**
 * A money field of a fact (price, line, total, tender): |amount| ≤ 10^11 minor units, so
 * no sum a report makes over a day's facts can leave the safe range of either database.
 */
export const amountSchema = z
  .number()
  .int('Amounts are whole minor units')
  .min(-MAX_AMOUNT, 'Amounts are at most 10^11 minor units')
  .max(MAX_AMOUNT, 'Amounts are at most 10^11 minor units');

/**
 * A whole number read from a database sum, exactly: PostgreSQL's sum(bigint) is numeric and
 * arrives as a string, SQLite's as a number. Refuses what a JS number cannot hold exactly.
 */
export function exactMinor(value: unknown, what = 'sum'): Minor {
  if (value === null || value === undefined) return 0;
  const big =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isInteger(value)
        ? BigInt(value)
        : typeof value === 'string' && /^-?\d+$/.test(value)
          ? BigInt(value)
          : null;
  if (big === null) throw new RangeError(`${what} is not a whole number: ${String(value)}`);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`${what} is beyond the exact range of a report (${big})`);
  return Number(big);
}

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'Currency is a 3-letter ISO code');

export function assertMinor(value: number, what = 'amount'): Minor {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be a whole number of minor units, got ${value}`);
  }
  return value;
}

/**
 * The one rounding rule: value × num ÷ den, rounded half away from zero.
 * BigInt keeps large intermediate products exact.
 */
export function mulDivRound(value: Minor, num: number, den: number): Minor {
  if (den === 0) throw new RangeError('division by zero');
  const a = BigInt(value) * BigInt(num);
  const b = BigInt(den);
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA * 2n + absB) / (absB * 2n);
  return Number(negative ? -q : q);
}

/**
 * Split `total` into parts proportional to `weights`, so that the parts sum to
 * exactly `total`. Remainders go to the largest fractional shares first
 * (ties to the earlier part). All-zero weights split evenly.
 */
export function allocate(total: Minor, weights: readonly number[]): Minor[] {
  assertMinor(total, 'total');
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over no parts');
    return [];
  }
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new RangeError('weights must be non-negative integers');
  }
  const sum = weights.reduce((s, w) => s + w, 0);
  const ws = sum === 0 ? weights.map(() => 1) : weights;
  const wsum = BigInt(sum === 0 ? weights.length : sum);
  const sign = total < 0 ? -1n : 1n;
  const abs = BigInt(Math.abs(total));
  const parts = ws.map((w) => (abs * BigInt(w)) / wsum);
  const remainders = ws.map((w, i) => ({ i, r: (abs * BigInt(w)) % wsum }));
  let left = abs - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p * sign));
}

/** Round to the nearest multiple of `increment` (cash rounding, e.g. 5 → 0.05), halves away from zero. */
export function roundToIncrement(value: Minor, increment: Minor): Minor {
  if (increment <= 1) return value;
  return mulDivRound(value, 1, increment) * increment;
}

const fractionDigitsCache = new Map<string, number>();

/** Digits after the decimal point for a currency (EUR 2, JPY 0). */
export function fractionDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "€12.50" style display of a minor amount. Display only: never parse this back. */
export function formatMoney(value: Minor, currency: string, locale = 'en-IE'): string {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f.format(value / 10 ** fractionDigits(currency));
}

/**
 * Parse what a person typed ("12", "12.5", "12,50") into minor units.
 * Returns null for anything that is not a plain non-negative amount.
 */
export function parseMoney(text: string, currency: string): Minor | null {
  const digits = fractionDigits(currency);
  const t = text.trim().replace(',', '.');
  const re = digits === 0 ? /^\d{1,12}$/ : new RegExp(`^\\d{1,12}(\\.\\d{0,${digits}})?$`);
  if (!re.test(t)) return null;
  const [whole = '0', frac = ''] = t.split('.');
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}
