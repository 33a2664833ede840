// Seeded pseudo-random numbers for generators and tests: the same seed always gives the same sequence.
//
// A seeded PRNG is a solved problem and a trivial one: mulberry32 (a public-domain
// 32-bit generator) is a few lines, fast, and good enough for demo data and test
// fixtures, so a package would cost more than it saves. It is NOT for secrets:
// real PIN salts, keys and promo-code tags come from crypto.getRandomValues.

/** A repeatable source of random numbers. Each call advances the sequence. */
export type Rng = {
  /** A whole number in [0, 2^32). */
  uint32(): number;
  /** A number in [0, 1). */
  next(): number;
  /** A whole number in [min, max], both ends included (a range of at most 2^32 values). */
  int(min: number, max: number): number;
  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
};

const TWO_TO_32 = 4_294_967_296;

/** A mulberry32 generator started from `seed` (any number; only its low 32 bits count). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;

  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / TWO_TO_32;

  return {
    uint32,
    next,
    int(min, max) {
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
        throw new RangeError(`int(${min}, ${max}) needs whole numbers with min ≤ max`);
      }
      if (max - min + 1 > TWO_TO_32) throw new RangeError('int() range is wider than 2^32');
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance(p) {
      return next() < p;
    },
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = uint32() >>> 24;
      return out;
    },
  };
}

/** A 32-bit seed from text (FNV-1a), so seeds can be words like "demo" or "bench". */
export function seedFromText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
