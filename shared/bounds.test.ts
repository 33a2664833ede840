// Bounds on facts: what text may hold, how deep and big a fact may be, and exact sums back from a database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFactShape,
  MAX_FACT_BYTES,
  MAX_FACT_DEPTH,
  safeText,
  textSchema,
  unsafeCharIndex,
} from './bounds';
import { exactMinor } from './money';

describe('text bounds', () => {
  it('refuses NUL, control characters and unpaired halves, and keeps accents, emoji and (in notes) line breaks', () => {
    const name = textSchema(50);
    const note = textSchema(50, { allowLineBreaks: true });
    expect(name.safeParse('Crème brûlée 🍮').success).toBe(true);
    for (const bad of [
      'a\u0000b',
      'tab\there',
      '\u001b[31m',
      'x\u0085',
      'half \ud83c',
      '\udf6e alone',
    ])
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(note.safeParse('line one\nline two\tend').success).toBe(true);
    expect(note.safeParse('line\u0000').success).toBe(false);
    expect(name.safeParse('x'.repeat(51)).success).toBe(false);
  });

  it('makes any string safe to store and show: no unsafe character survives, safe text is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const out = safeText(s, 1_000);
        expect(unsafeCharIndex(out)).toBe(-1);
        if (unsafeCharIndex(s) < 0) expect(out).toBe(s);
      }),
    );
  });
});

describe('fact shape', () => {
  it('measures a fact nested 200,000 deep without overflowing the stack, and refuses it', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const check = checkFactShape(deep);
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/deeper than/) });
    let ok: unknown = 1;
    for (let i = 0; i < MAX_FACT_DEPTH - 1; i++) ok = [ok];
    expect(checkFactShape(ok).ok).toBe(true);
  });

  it('refuses a "__proto__" key at any depth and a fact over the byte cap', () => {
    const poisoned = JSON.parse('{"lines":[{"sku":"A","__proto__":{"admin":true}}]}');
    expect(checkFactShape(poisoned)).toEqual({
      ok: false,
      reason: expect.stringMatching(/__proto__/),
    });
    expect(checkFactShape({ note: 'é'.repeat(MAX_FACT_BYTES / 2) }).ok).toBe(false);
    expect(checkFactShape({ note: 'e'.repeat(1_000) })).toEqual({ ok: true });
  });

  it('takes a fact exactly at the byte cap and refuses one a byte over, escapes and UTF-8 counted', () => {
    // {"n":"…"} is 8 bytes around the text; a control character is 6 as \u0001, "é" 2.
    const at = { n: `${'\u0001'.repeat(12)}${'é'.repeat(10)}` };
    expect(new TextEncoder().encode(JSON.stringify(at)).length).toBe(100);
    expect(checkFactShape(at, { maxBytes: 100 })).toEqual({ ok: true });
    expect(checkFactShape(at, { maxBytes: 99 })).toEqual({
      ok: false,
      reason: 'the fact is 100 bytes, more than 99',
    });
  });

  it('gives the verdict of serializing and measuring, for any JSON and any cap', () => {
    // "__proto__" keys are refused whatever the size.
    const poisoned = (v: unknown): boolean =>
      v !== null &&
      typeof v === 'object' &&
      Object.entries(v).some(([k, x]) => k === '__proto__' || poisoned(x));
    const exact = (v: unknown, max: number) =>
      !poisoned(v) && new TextEncoder().encode(JSON.stringify(v)).length <= max;
    fc.assert(
      fc.property(
        fc.json({ maxDepth: 6, stringUnit: 'binary' }),
        fc.integer({ min: 1, max: 3_000 }),
        (text, max) => {
          const value = JSON.parse(text);
          const check = checkFactShape(value, { maxBytes: max, maxDepth: 64 });
          expect(check.ok, `${text} within ${max}`).toBe(exact(value, max));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('exact sums from a database', () => {
  it('reads numeric strings and numbers exactly, and refuses what a number cannot hold', () => {
    expect(exactMinor('150000000000000')).toBe(150_000_000_000_000);
    expect(exactMinor(-42)).toBe(-42);
    expect(exactMinor(null)).toBe(0);
    expect(exactMinor(9007199254740991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => exactMinor('9007199254740993')).toThrow(/exact range/);
    expect(() => exactMinor('12.5')).toThrow(/whole number/);
    expect(() => exactMinor(2 ** 60)).toThrow(/exact range/);
  });
});
