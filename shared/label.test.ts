// Label layout: the right code, price and name on every common size, inside the label, in whole dots.
import { describe, expect, it } from 'vitest';
import catalogJson from '../assets/demo-catalog.json';
import type { Product } from './catalog';
import { catalogSchema } from './catalog';
import {
  LABEL_CELL,
  type LabelDocument,
  type LabelOptions,
  labelBarcodeData,
  labelDocument,
  quietModules,
  textWidth,
  wrapText,
} from './label';

const catalog = catalogSchema.parse(catalogJson);
const store = catalog.store;
const puffer = catalog.products.find((p) => p.sku === 'HOD-PUF-BLK-S')!;
const withUpc = catalog.products.find((p) => p.barcodes.some((b) => b.length === 12))!;
const plain: Product = { ...puffer, sku: 'MUG-01', name: 'Mug', barcodes: [], drop: undefined };
const opts = (
  widthMm: number,
  heightMm: number,
  more: Partial<LabelOptions> = {},
): LabelOptions => ({
  size: { widthMm, heightMm },
  dpi: 203,
  ...more,
});
const SIZES = [
  [50, 30],
  [40, 30],
  [58, 40],
  [100, 50],
] as const;

function textBottom(label: LabelDocument): number {
  return Math.max(
    ...label.texts.map((t) => t.y + LABEL_CELL.capHeight * t.scale),
    ...label.boxes.map((b) => b.y + b.height),
  );
}

describe('which barcode a label carries', () => {
  it("uses the product's EAN-13", () => {
    expect(labelBarcodeData(puffer)).toEqual({ symbology: 'ean13', data: puffer.barcodes[0] });
  });

  it('uses a UPC-A when that is what the product has first', () => {
    const upc = withUpc.barcodes.find((b) => b.length === 12)!;
    expect(labelBarcodeData({ sku: 'X', barcodes: [upc] })).toEqual({
      symbology: 'upca',
      data: upc,
    });
  });

  it('prints a UPC-A as the equivalent EAN-13 when EAN-13 is asked for, and back', () => {
    expect(labelBarcodeData({ sku: 'X', barcodes: ['036000291452'] }, 'ean13')).toEqual({
      symbology: 'ean13',
      data: '0036000291452',
    });
    expect(labelBarcodeData({ sku: 'X', barcodes: ['0036000291452'] }, 'upca')).toEqual({
      symbology: 'upca',
      data: '036000291452',
    });
  });

  it('falls back to a Code 128 of the SKU when there is no usable EAN/UPC', () => {
    expect(labelBarcodeData(plain)).toEqual({ symbology: 'code128', data: 'MUG-01' });
    // A wrong check digit would scan as a different product: never print it.
    expect(labelBarcodeData({ sku: 'MUG-01', barcodes: ['2042724142878'] }).symbology).toBe(
      'code128',
    );
    // UPC-A asked for but the product only has a 2… EAN-13: keep its real code.
    expect(labelBarcodeData(puffer, 'upca')).toEqual({
      symbology: 'ean13',
      data: puffer.barcodes[0],
    });
  });

  it('encodes the SKU as QR when asked, or when Code 128 cannot carry its characters', () => {
    expect(labelBarcodeData(puffer, 'qr')).toEqual({ symbology: 'qr', data: 'HOD-PUF-BLK-S' });
    expect(labelBarcodeData({ sku: 'TÉE-1', barcodes: [] })).toEqual({
      symbology: 'qr',
      data: 'TÉE-1',
    });
  });
});

describe('what the label says', () => {
  it('shows the price in the store currency and locale', () => {
    expect(labelDocument(puffer, store, opts(50, 30)).price).toBe('€120.00');
    expect(labelDocument(puffer, { currency: 'EUR', locale: 'de-DE' }, opts(50, 30)).price).toBe(
      '120,00 €',
    );
    expect(
      labelDocument({ ...puffer, price: 1500 }, { currency: 'JPY', locale: 'ja-JP' }, opts(50, 30))
        .price,
    ).toBe('￥1,500');
  });

  it('shows an offer instead of a price on a promo code card', () => {
    const card = labelDocument(
      {
        sku: 'MAYA-7K3M-Q9XT-0000-0001',
        name: '10% off everything',
        price: 0,
        barcodes: [],
        priceText: '10% OFF',
      },
      store,
      opts(50, 30),
    );
    expect(card.price).toBe('10% OFF');
    expect(card.texts.find((t) => t.role === 'price')?.text).toBe('10% OFF');
  });

  it('shows the drop name and a badge, the badge white on a black box', () => {
    const label = labelDocument(puffer, store, opts(50, 30, { badge: 'Early-bird' }));
    const drop = label.texts.find((t) => t.role === 'drop')!;
    const badge = label.texts.find((t) => t.role === 'badge')!;
    expect(drop.text).toBe('WINTER DROP 01');
    expect(badge).toMatchObject({ text: 'EARLY-BIRD', inverse: true });
    const [box] = label.boxes;
    expect(box!.x).toBeLessThan(badge.x);
    expect(box!.x + box!.width).toBeGreaterThan(badge.x + textWidth(badge.text, badge.scale));
    expect(drop.x + textWidth(drop.text, drop.scale)).toBeLessThan(box!.x);
  });

  it('has no header row for an everyday product', () => {
    const label = labelDocument(plain, store, opts(50, 30));
    expect(label.texts.map((t) => t.role)).toEqual(['name', 'price']);
    expect(label.boxes).toEqual([]);
  });

  it('shows the SKU beside the price, or under the bars when the barcode is the SKU', () => {
    const ean = labelDocument(puffer, store, opts(50, 30));
    expect(ean.texts.find((t) => t.role === 'sku')?.text).toBe('HOD-PUF-BLK-S');
    const code128 = labelDocument(puffer, store, opts(50, 30, { symbology: 'code128' }));
    expect(code128.texts.some((t) => t.role === 'sku')).toBe(false);
    expect(code128.barcode).toMatchObject({ data: 'HOD-PUF-BLK-S', textScale: 2 });
  });

  it('wraps a long name on whole words, breaking at the dash between product and variant', () => {
    expect(labelDocument(puffer, store, opts(50, 30)).name).toEqual([
      'Northside Puffer Vest (Limited)',
      'Black / S',
    ]);
    expect(labelDocument(puffer, store, opts(40, 30)).name).toEqual([
      'Northside Puffer Vest',
      '(Limited) – Black / S',
    ]);
  });

  it('cuts what does not fit with an ellipsis', () => {
    expect(wrapText('one two three four five six', 9, 2)).toEqual(['one two', 'three fo…']);
    expect(wrapText('Supercalifragilistic', 8, 2)).toEqual(['Supercal', 'ifragil…']);
    expect(wrapText('', 8, 2)).toEqual([]);
  });
});

describe('where it goes', () => {
  it('sizes the label in printer dots for 203 and 300 dpi', () => {
    expect(labelDocument(puffer, store, opts(50, 30))).toMatchObject({
      template: '50x30',
      widthDots: 400,
      heightDots: 240,
    });
    expect(labelDocument(puffer, store, opts(50, 30, { dpi: 300 }))).toMatchObject({
      widthDots: 591,
      heightDots: 354,
    });
    expect(labelDocument(puffer, store, opts(57, 32)).template).toBe('50x30');
  });

  it.each(SIZES)('every demo product fits a %i×%i mm label at both resolutions', (w, h) => {
    for (const dpi of [203, 300] as const) {
      for (const product of catalog.products) {
        const label = labelDocument(product, store, opts(w, h, { dpi, badge: 'Early-bird' }));
        const b = label.barcode;
        const k = b.moduleDots;
        for (const t of label.texts) {
          expect(t.x).toBeGreaterThanOrEqual(0);
          expect(t.x + textWidth(t.text, t.scale)).toBeLessThanOrEqual(label.widthDots);
        }
        // Text above the barcode, bars on whole dots, quiet zones and bars on the label.
        expect(textBottom(label)).toBeLessThan(b.y);
        expect(Number.isInteger(k) && k >= 1).toBe(true);
        expect(b.x - quietModules(b.symbology) * k).toBeGreaterThanOrEqual(0);
        expect(b.x + (b.modules + quietModules(b.symbology)) * k).toBeLessThanOrEqual(
          label.widthDots,
        );
        expect(b.y + b.height).toBeLessThan(label.heightDots);
        // Bars tall enough for a hand scanner: 6 mm.
        expect(b.height).toBeGreaterThanOrEqual(Math.round((6 * dpi) / 25.4));
      }
    }
  });

  it('prints EAN-13 modules as wide as the label allows, up to the template maximum', () => {
    expect(labelDocument(puffer, store, opts(50, 30)).barcode.moduleDots).toBe(2);
    expect(labelDocument(puffer, store, opts(58, 40)).barcode.moduleDots).toBe(3);
    expect(labelDocument(puffer, store, opts(58, 40, { dpi: 300 })).barcode.moduleDots).toBe(4);
  });

  it('moves a SKU too long for a Code 128 across the label into a QR code', () => {
    const longSku = { ...plain, sku: 'WINTER-DROP-01-NUMBERED-BEANIE-BOTTLE-GREEN-42' };
    const label = labelDocument(longSku, store, opts(40, 30));
    expect(label.barcode).toMatchObject({ symbology: 'qr', data: longSku.sku });
  });

  it('refuses label sizes no template can hold', () => {
    expect(() => labelDocument(puffer, store, opts(10, 10))).toThrow(RangeError);
  });

  it('is a pure function: same input, same document, input untouched', () => {
    const before = structuredClone(puffer);
    const a = labelDocument(puffer, store, opts(58, 40, { badge: 'Early-bird' }));
    const b = labelDocument(puffer, store, opts(58, 40, { badge: 'Early-bird' }));
    expect(a).toEqual(b);
    expect(puffer).toEqual(before);
  });
});
