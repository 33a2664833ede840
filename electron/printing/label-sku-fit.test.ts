// A 40×30 mm TSPL label keeps every word inside its edges: the SKU shrinks, wraps at its dashes, and type below the printer's smallest font goes as a bitmap.
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import catalogJson from '../../assets/demo-catalog.json';
import { catalogSchema, type Product } from '../../shared/catalog';
import { type LabelDpi, labelDocument, wrapCode } from '../../shared/label';
import { bitmapToPng } from './barcode-image';
import { encodeTspl, tsplFont } from './labels';
import { renderLabel } from './raster';

const catalog = catalogSchema.parse(catalogJson);
const puffer = catalog.products.find((p) => p.sku === 'HOD-PUF-BLK-S')!;

/** Built-in TSPL font cell widths in dots (TSC's manual), to measure TEXT as the printer draws it. */
const FONT_WIDTH: Record<LabelDpi, Record<string, number>> = {
  203: { '1': 8, '2': 12, '3': 16, '4': 24, '5': 32 },
  300: { '1': 12, '2': 16, '3': 24, '4': 32, '5': 48 },
};

type Drawn = { right: number; text?: string };

/** Every TEXT and BITMAP of a TSPL job with where its right edge falls, as the printer places it. */
function drawnItems(job: Buffer, dpi: LabelDpi): Drawn[] {
  const out: Drawn[] = [];
  const bytes = job.toString('latin1');
  for (const m of bytes.matchAll(/TEXT (\d+),(\d+),"(\d)",0,(\d+),\d+,"([^"]*)"\r\n/g)) {
    const [, x, , font, mult, text] = m;
    out.push({
      right: Number(x) + FONT_WIDTH[dpi][font!]! * Number(mult) * text!.length,
      text: text!,
    });
  }
  for (const m of bytes.matchAll(/BITMAP (\d+),(\d+),(\d+),(\d+),0,/g)) {
    const [, x, , bytesPerRow] = m;
    // The last byte's spare bits are blank (no dot): up to 7 dots of padding past the type.
    out.push({ right: Number(x) + Number(bytesPerRow) * 8 - 7 });
  }
  return out;
}

const size = { widthMm: 40, heightMm: 30 };
const skus: Product[] = [
  puffer,
  { ...puffer, sku: 'HOODIE-ZIP-FOREST-GREEN-XXL-LTD' },
  { ...puffer, sku: 'TEE-LOGO-BLK-XXL-2026-WINTER' },
];

describe('a 40×30 mm TSPL label', () => {
  for (const dpi of [203, 300] as const) {
    it(`keeps the SKU and every line inside the label at ${dpi} dpi`, () => {
      for (const product of skus) {
        const doc = labelDocument(product, catalog.store, { size, dpi, badge: 'Early-bird' });
        const items = drawnItems(encodeTspl([{ label: doc, copies: 1 }]), dpi);
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(item.right).toBeLessThanOrEqual(doc.widthDots);
        // The whole SKU is on the label, over as many lines as it took.
        const sku = doc.texts.filter((t) => t.role === 'sku').map((t) => t.text);
        expect(sku.join('')).toBe(product.sku);
        for (const t of doc.texts) {
          expect(t.x).toBeGreaterThanOrEqual(0);
          expect(t.x + (t.text.length * 6 - 1) * t.scale).toBeLessThanOrEqual(doc.widthDots);
        }
      }
    });
  }

  it('sends the 6×10-dot SKU line as a bitmap: no built-in font is that small', () => {
    expect(tsplFont(203, 1)).toBeNull();
    expect(tsplFont(203, 2)).toMatchObject({ font: '2', width: 12, height: 20 });
    const doc = labelDocument(skus[1]!, catalog.store, { size, dpi: 203 });
    const job = encodeTspl([{ label: doc, copies: 1 }]).toString('latin1');
    expect(job).not.toContain('"HOODIE-ZIP-"');
    expect(job.match(/\r\nBITMAP /g)?.length).toBe(3); // one per SKU line
    // The price and name still go as crisp printer text.
    expect(job).toMatch(/TEXT \d+,\d+,"\d",0,\d+,\d+,"Northside Puffer Vest"/);
    // For review: the label as the printer lays it out.
    mkdirSync('/tmp/paper-shots', { recursive: true });
    writeFileSync('/tmp/paper-shots/label-40x30-long-sku.png', bitmapToPng(renderLabel(doc)));
  });

  it('wraps a code after its dashes, hard-breaks a run with none, and marks a cut with "…"', () => {
    expect(wrapCode('HOODIE-ZIP-FOREST-GREEN-XXL-LTD', 13, 3)).toEqual([
      'HOODIE-ZIP-',
      'FOREST-GREEN-',
      'XXL-LTD',
    ]);
    expect(wrapCode('ABCDEFGHIJKLMNOP', 6, 3)).toEqual(['ABCDEF', 'GHIJKL', 'MNOP']);
    expect(wrapCode('AAAA-BBBB-CCCC-DDDD', 5, 2)).toEqual(['AAAA-', 'BBBB…']);
    expect(wrapCode('MUG-01', 13, 3)).toEqual(['MUG-01']);
  });
});
