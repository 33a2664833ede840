import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Sale, saleSchema } from './sale';
import { plainSale } from './sale-fast-path';

const line = (n: number, extra: object = {}) => ({
  lineId: `L${n}`,
  sku: `SKU-${n}`,
  name: 'Tee — Logo, black M',
  unitPrice: 2500,
  qty: 2,
  taxClassId: 'std',
  gross: 5000,
  lineDiscount: 0,
  orderDiscountShare: 0,
  net: 5000,
  ratePpm: 230_000,
  tax: 935,
  total: 5000,
  ...extra,
});

const sale = (extra: object = {}): Sale => ({
  id: '01JD0000000000000000000000',
  receiptNumber: 'A-000001',
  deviceId: 'dev-1',
  seq: 1,
  shiftId: 'shift-1',
  staffId: 'staff-1',
  staffName: 'Aoife',
  createdAt: '2026-11-25T10:00:00.000Z',
  currency: 'EUR',
  pricesIncludeTax: true,
  lines: [line(1)],
  subtotal: 5000,
  discountTotal: 0,
  tax: 935,
  taxBands: [{ taxClassId: 'std', ratePpm: 230_000, base: 4065, tax: 935 }],
  total: 5000,
  rounding: 0,
  tenders: [{ kind: 'cash', amount: 5000 }],
  change: 0,
  ...extra,
});

/** Sales a till writes, with every optional part somewhere. */
const BASES: Sale[] = [
  sale(),
  sale({
    memberId: 'M-1',
    approvedBy: 'mgr-1',
    orderDiscount: { kind: 'percent', bp: 1000 },
    lines: [
      line(1, { discount: { kind: 'amount', amount: 100 }, promoDiscount: 50 }),
      line(2, { drop: { dropId: 'drop-1', step: 0, tier: 'members', fastFulfilment: false } }),
    ],
    tenders: [
      { kind: 'card', amount: 3000, reference: 'AUTH-1' },
      { kind: 'store-credit', amount: 1000, code: 'CN-1' },
      { kind: 'exchange', amount: 500, returnId: '01JD0000000000000000000001' },
      { kind: 'card', amount: 500 },
    ],
  }),
  sale({ tenders: [], taxBands: [], total: 0, lines: [line(1, { drop: undefined })] }),
];

const DELETE = Symbol('delete');
const KEYS = [
  ...new Set(BASES.flatMap((b) => [...Object.keys(b), ...Object.keys(b.lines[0]!)])),
  'kind',
  'amount',
  'bp',
  'reference',
  'code',
  'returnId',
  'dropId',
  'step',
  'tier',
  'fastFulfilment',
  'extra',
  '__proto__',
  'constructor',
  '0',
];
const text = fc.oneof(
  fc.constantFrom(
    '',
    'a',
    'ab',
    'abc',
    ' x',
    'x ',
    ' ',
    'a\u0000b',
    'é',
    'x\ud800',
    'line\nbreak',
    'x'.repeat(40),
    'x'.repeat(41),
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(200),
    'x'.repeat(201),
    '01JD0000000000000000000000',
    '01jd0000000000000000000000',
    'EUR',
    'eur',
    'EURO',
    '2026-11-25T10:00:00Z',
    '2026-11-25T10:00:00.123456Z',
    '2026-13-25T10:00:00Z',
    '2026-11-25T10:00:00+01:00',
    '2026-02-30T10:00:00Z',
    'cash',
    'card',
    'store-credit',
    'exchange',
    'percent',
    'amount',
    'toString',
  ),
  fc.string({ unit: 'binary', maxLength: 70 }),
);
const number = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    2,
    3,
    999,
    1_000,
    1_001,
    9_999,
    10_000,
    10_001,
    100_000,
    1_000_000,
    1_000_001,
    1e11,
    1e11 + 1,
    -1e11,
    -1e11 - 1,
    2 ** 53 - 1,
    2 ** 53,
    0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
  fc.integer(),
  fc.double(),
);
const value = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(DELETE),
  fc.constantFrom(
    {},
    [],
    [{}],
    { kind: 'cash', amount: 1 },
    { kind: 'card', amount: 1, reference: ' A ' },
  ),
);

/** Every object and array in a value, so a mutation can land anywhere. */
function containers(v: unknown, out: (object | unknown[])[] = []): (object | unknown[])[] {
  if (v && typeof v === 'object') {
    out.push(v);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

const mutated = fc
  .tuple(
    fc.nat({ max: BASES.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...KEYS), value), { maxLength: 4 }),
  )
  .map(([base, edits]) => {
    // As the ledger gets a sale: text a till wrote, parsed again (so a "__proto__" key is an own key).
    const s: unknown = JSON.parse(JSON.stringify(BASES[base]));
    for (const [at, key, v] of edits) {
      const all = containers(s);
      const target = all[at % all.length] as Record<string, unknown>;
      const k = Array.isArray(target) && /^\d+$/.test(key) ? Number(key) : key;
      // A fresh copy each time: a shared object put into a sale could end up inside itself.
      const fresh: unknown = v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
      if (v === DELETE) delete target[k as string];
      else
        Object.defineProperty(target, k, {
          value: fresh,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return s;
  });

describe('the fast check of a pushed sale', () => {
  it('takes the sales a till writes, unchanged, as zod does', () => {
    for (const base of BASES) {
      const parsed = JSON.parse(JSON.stringify(base));
      expect(plainSale(parsed)).toBe(parsed);
      expect(saleSchema.parse(parsed)).toStrictEqual(parsed);
    }
  });

  it('counts a short text in characters as zod does: " 𐀀" is 3 UTF-16 units but 2 characters', () => {
    // Found by the property below (seed -358795022): a 3-unit receipt number zod calls too short.
    for (const receiptNumber of [' \u{10000}', '\u{1F600}\u{1F600}']) {
      const s = JSON.parse(JSON.stringify(sale({ receiptNumber })));
      expect(saleSchema.safeParse(s).success).toBe(false);
      expect(plainSale(s)).toBeFalsy();
    }
    const ok = JSON.parse(JSON.stringify(sale({ receiptNumber: 'A\u{1F600}1' })));
    expect(saleSchema.safeParse(ok).success).toBe(true);
    expect(plainSale(ok)).toBe(ok);
  });

  it('never takes a sale zod refuses or would change (zod decides everything else)', () => {
    let taken = 0;
    fc.assert(
      fc.property(mutated, (s) => {
        const fast = plainSale(s);
        if (!fast) return;
        taken += 1;
        const zod = saleSchema.safeParse(s);
        expect(zod.success).toBe(true);
        expect(zod.data).toStrictEqual(fast);
      }),
      { numRuns: 20_000 },
    );
    // The property is about the sales it takes: make sure there were many.
    expect(taken).toBeGreaterThan(1_000);
  });
});
