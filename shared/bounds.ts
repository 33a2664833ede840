// Bounds every fact from a till keeps: safe text, money and quantity ranges, and a fact's size and nesting, checked without recursion.
import { z } from 'zod';

/** |amount| of any money field in a fact, in minor units (10^11: a billion in a 2-decimal currency). */
export const MAX_AMOUNT = 100_000_000_000;
/** Units on one line of a fact. */
export const MAX_UNITS = 100_000;
/** Serialized UTF-8 bytes of one fact's envelope (well under the push body limit, so each fact gets its own verdict). */
export const MAX_FACT_BYTES = 256 * 1024;
/** Objects and arrays inside one another in one fact. Real facts nest four deep. */
export const MAX_FACT_DEPTH = 32;
/** Ids, SKUs, receipt numbers, references. */
export const MAX_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 200;
export const MAX_NOTE_LENGTH = 1_000;
/** Lines, tenders and bands in one sale. */
export const MAX_SALE_LINES = 500;

/**
 * Index of the first character text must not hold, or -1: C0/C1 control characters
 * (NUL among them; PostgreSQL refuses NUL in text) and UTF-16 halves that pair with
 * nothing (a database would store U+FFFD instead, so the fact would change on the way in).
 * `allowLineBreaks` lets notes keep \n and \t.
 */
export function unsafeCharIndex(text: string, allowLineBreaks = false): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (allowLineBreaks && (c === 0x0a || c === 0x09)) continue;
      return i;
    }
    if (c >= 0x7f && c <= 0x9f) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** Text of at most `max` characters with no control characters or broken characters. */
export function textSchema(max: number, opts: { allowLineBreaks?: boolean } = {}) {
  return z
    .string()
    .max(max)
    .refine(
      (s) => unsafeCharIndex(s, opts.allowLineBreaks) < 0,
      'Text may not contain control characters or broken (unpaired) characters',
    );
}

/** A non-empty id, SKU, receipt number or reference. */
export const idTextSchema = textSchema(MAX_ID_LENGTH).min(1);

/** Replace what text must not hold and cut it to `max`, for messages the ledger builds from what it was sent. */
export function safeText(text: string, max = 500): string {
  let out = '';
  for (let i = 0; i < text.length && out.length < max; i++) {
    const bad = unsafeCharIndex(text.slice(i, i + 2));
    if (bad === 0) {
      out += '\uFFFD';
    } else {
      const c = text.charCodeAt(i);
      out += text[i];
      // A valid pair: keep both halves together.
      if (c >= 0xd800 && c <= 0xdbff) {
        out += text[i + 1];
        i += 1;
      }
    }
  }
  return out;
}

export type ShapeCheck = { ok: true } | { ok: false; reason: string };

/** Most UTF-8 bytes JSON.stringify can write for one UTF-16 unit of a string ("\u001f" is six). */
const MAX_BYTES_PER_UNIT = 6;
/** Longest JSON a finite double can be ("-1.7976931348623157e+308"). */
const MAX_NUMBER_BYTES = 24;

/**
 * Check a parsed JSON value's nesting depth and keys with an explicit stack (no recursion,
 * so any depth is safe to look at), then its serialized size. Only a value that passes may
 * go to JSON.stringify, zod or a hash, which all recurse. The walk adds up the most bytes each
 * node can take when serialized; only a value whose bound passes the cap is serialized and
 * measured exactly (a till's sale is a few kilobytes against a 256 KiB cap, so it never is).
 */
export function checkFactShape(
  value: unknown,
  limits: { maxDepth?: number; maxBytes?: number } = {},
): ShapeCheck {
  const maxDepth = limits.maxDepth ?? MAX_FACT_DEPTH;
  const maxBytes = limits.maxBytes ?? MAX_FACT_BYTES;
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let nodes = 0;
  let atMost = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    nodes += 1;
    // Every node costs at least one byte when serialized: a cheap early exit for huge flat arrays.
    if (nodes > maxBytes) return { ok: false, reason: `the fact is larger than ${maxBytes} bytes` };
    if (typeof v === 'string') {
      atMost += 2 + MAX_BYTES_PER_UNIT * v.length;
      continue;
    }
    if (v === null || typeof v !== 'object') {
      atMost += MAX_NUMBER_BYTES;
      continue;
    }
    if (depth >= maxDepth)
      return { ok: false, reason: `the fact nests deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      // Brackets and a comma after each item.
      atMost += 2 + v.length;
      for (const item of v) stack.push({ v: item, depth: depth + 1 });
      continue;
    }
    atMost += 2;
    for (const key of Object.keys(v)) {
      // JSON.parse makes "__proto__" an own key; copied by assignment it would replace a prototype.
      if (key === '__proto__')
        return { ok: false, reason: 'the fact has a key named "__proto__", which is not allowed' };
      // The quoted key, its colon and a comma.
      atMost += 4 + MAX_BYTES_PER_UNIT * key.length;
      stack.push({ v: (v as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  if (atMost <= maxBytes) return { ok: true };
  const bytes = new TextEncoder().encode(JSON.stringify(value) ?? 'null').length;
  if (bytes > maxBytes)
    return { ok: false, reason: `the fact is ${bytes} bytes, more than ${maxBytes}` };
  return { ok: true };
}
