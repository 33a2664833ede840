import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from './cart';
import { type StoreSettings, storeSettingsSchema } from './catalog';
import { printedLength, type ReceiptWidth, receiptDocument, receiptText } from './receipt';
import { type Sale, saleSchema } from './sale';
import { settle } from './tender';

const RETURNS = 'Returns: 14 days with receipt. Drop items: exchange only, 7 days.';
const SHIPPING = 'Shipping: we post nothing; what you buy leaves the stall with you.';

const store: StoreSettings = {
  storeId: 'northside',
  name: 'Northside Pop-Up',
  currency: 'EUR',
  locale: 'en-IE',
  timeZone: 'Europe/Dublin',
  pricesIncludeTax: true,
  cashRounding: 5,
  cashQuickAmounts: [500],
  denominations: [1000, 500, 100, 5, 1],
  address: ['Stall 12, Smithfield Square'],
  receiptFooter: 'Thanks for shopping local!',
  returnsPromise: RETURNS,
  shippingPromise: SHIPPING,
};

/** A card sale of one tee, priced and settled with the shared rules. */
function sale(): Sale {
  const cart = priceCart(
    [{ lineId: 'L0', sku: 'TEE', name: 'Logo Tee', unitPrice: 2995, qty: 1, taxClassId: 'std' }],
    undefined,
    { pricesIncludeTax: true, taxRatesPpm: { std: 230_000 } },
  );
  const tenders = [{ kind: 'card' as const, amount: cart.total, reference: 'AUTH42' }];
  const settled = settle(cart.total, tenders, 5);
  if (!settled.ok) throw new Error(settled.message);
  return saleSchema.parse({
    id: '01JD5Z6X2Q8G7V4N3M2K1H0F9E',
    receiptNumber: 'T1-000042',
    deviceId: 'till-1',
    seq: 42,
    shiftId: 'shift-1',
    staffId: 'staff-aoife',
    staffName: 'Aoife',
    createdAt: '2026-11-25T10:00:00.000Z',
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: cart.lines,
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: settled.value.rounding,
    tenders,
    change: settled.value.change,
  });
}

const paper = (s: StoreSettings, width: ReceiptWidth, opts = {}) =>
  receiptText(receiptDocument(sale(), s, { width, ...opts }));
/** The receipt's words with the line breaks of the paper taken out. */
const words = (lines: string[]) => lines.join(' ').replace(/\s+/g, ' ');

describe("the store's promises on the receipt", () => {
  it.each([32, 48] as const)(
    'prints the returns then the shipping promise above the returns QR at %i columns',
    (width) => {
      const lines = paper(store, width);
      for (const l of lines) expect(printedLength(l)).toBeLessThanOrEqual(width);
      const text = words(lines);
      const returnsAt = text.indexOf(RETURNS);
      const shippingAt = text.indexOf(SHIPPING);
      const qrAt = text.indexOf('[QR: 01JD5Z6X2Q8G7V4N3M2K1H0F9E]');
      expect(returnsAt).toBeGreaterThan(text.indexOf('VAT rate'));
      expect(shippingAt).toBeGreaterThan(returnsAt);
      expect(qrAt).toBeGreaterThan(shippingAt);
      expect(text.indexOf('Show this code for returns')).toBeGreaterThan(qrAt);
    },
  );

  it('wraps a long promise at word boundaries within the paper, centred, losing no word', () => {
    const long =
      'Returns: bring any item back within 14 days with this receipt for a refund to the way ' +
      'you paid. Drop items and anything bought at an early-bird price: exchange only, within ' +
      '7 days. Damaged items are checked at the stall before anything is refunded.';
    for (const width of [32, 48] as const) {
      const lines = paper({ ...store, returnsPromise: long }, width);
      const first = lines.findIndex((l) => l.trim().startsWith('Returns: bring'));
      // The promise runs to the blank line that parts it from the shipping promise.
      const end = lines.indexOf('', first);
      const mine = lines.slice(first, end);
      expect(mine.length).toBeGreaterThan(2);
      for (const l of mine) {
        expect(printedLength(l)).toBeLessThanOrEqual(width);
        // Centred: the free columns before a line and after it differ by at most one.
        const lead = l.length - l.trimStart().length;
        expect(Math.abs(width - printedLength(l) - lead)).toBeLessThanOrEqual(1);
      }
      expect(mine.map((l) => l.trim()).join(' ')).toBe(long);
    }
  });

  it('keeps the line breaks a manager typed', () => {
    const lines = paper(
      { ...store, returnsPromise: 'Returns: 14 days with receipt.\nDrop items: exchange only.' },
      48,
    ).map((l) => l.trim());
    const at = lines.indexOf('Returns: 14 days with receipt.');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('Drop items: exchange only.');
  });

  it('keeps accents and the euro sign', () => {
    const text = words(
      paper({ ...store, shippingPromise: 'Livraison offerte dès 50 € · Rückgabe in 14 Tagen' }, 32),
    );
    expect(text).toContain('Livraison offerte dès 50 € · Rückgabe in 14 Tagen');
  });

  it('prints nothing for an empty, blank or missing promise: the paper is as before', () => {
    const { returnsPromise: _r, shippingPromise: _s, ...old } = store;
    const before = paper(old, 48);
    expect(words(before)).not.toContain('Returns:');
    expect(paper({ ...store, returnsPromise: '', shippingPromise: ' \n\t ' }, 48)).toEqual(before);
    const onlyShipping = paper({ ...store, returnsPromise: '' }, 48);
    expect(words(onlyShipping)).toContain(SHIPPING);
    expect(words(onlyShipping)).not.toContain(RETURNS);
    expect(onlyShipping.length).toBe(before.length + 2);
  });

  it('prints the texts a print job gives instead of the store’s, and none for an empty one', () => {
    const text = words(paper(store, 48, { returnsText: 'Returns: 30 days.', shippingText: '' }));
    expect(text).toContain('Returns: 30 days.');
    expect(text).not.toContain(RETURNS);
    expect(text).not.toContain(SHIPPING);
  });

  it('fits any promise the settings accept into every width (property)', () => {
    const promise = fc
      .string({ unit: 'grapheme', maxLength: 300 })
      .filter((s) => storeSettingsSchema.shape.returnsPromise.safeParse(s).success);
    fc.assert(
      fc.property(
        fc.constantFrom(32, 42, 48) as fc.Arbitrary<ReceiptWidth>,
        promise,
        promise,
        (w, r, s) => {
          const lines = paper({ ...store, returnsPromise: r, shippingPromise: s }, w);
          for (const l of lines) expect(printedLength(l)).toBeLessThanOrEqual(w);
        },
      ),
    );
  });
});

describe('promise settings', () => {
  it('accept old stores without them, and refuse control characters and text over 300 characters', () => {
    const { returnsPromise: _r, shippingPromise: _s, ...old } = store;
    expect(storeSettingsSchema.parse(old).returnsPromise).toBeUndefined();
    const bad = (returnsPromise: unknown) =>
      storeSettingsSchema.safeParse({ ...store, returnsPromise }).success;
    expect(bad('Returns\u0000 14 days')).toBe(false);
    expect(bad('x'.repeat(301))).toBe(false);
    expect(bad(14)).toBe(false);
    expect(bad('x'.repeat(300))).toBe(true);
    expect(bad('Returns:\n14 days')).toBe(true);
  });
});
