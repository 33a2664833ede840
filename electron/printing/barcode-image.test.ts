// Barcode images read back with a real decoder (ZXing in WebAssembly), not by trusting our own input.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import {
  type Bitmap,
  barcodeBitmap,
  barcodePng,
  bitmapToPng,
  createBitmap,
  fillRect,
  isBlack,
} from './barcode-image';

const SALE_ID = '01J9ZQ3V4WQ6X8Y2K5M7N0P1R3';

beforeAll(async () => {
  // The package's default fetches the .wasm from a CDN; tests load the copy shipped in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});

async function decode(png: Uint8Array, formats: 'UPC-A'[] = []) {
  const results = await readBarcodes(png, { tryHarder: true, maxNumberOfSymbols: 4, formats });
  return results.filter((r) => r.isValid).map((r) => ({ format: r.format, text: r.text }));
}

/** Lengths of the alternating white/black runs across one row. */
function runs(bitmap: Bitmap, y: number): number[] {
  const out: number[] = [];
  let colour = isBlack(bitmap, 0, y);
  let length = 0;
  for (let x = 0; x < bitmap.width; x++) {
    if (isBlack(bitmap, x, y) === colour) length++;
    else {
      out.push(length);
      colour = !colour;
      length = 1;
    }
  }
  out.push(length);
  return out;
}

describe('receipt codes for a sale id (used where a printer has no native QR)', () => {
  it.each([1, 2, 3, 4])('a QR code at %i dots per module reads back as the sale id', async (k) => {
    const found = await decode(barcodePng({ symbology: 'qr', data: SALE_ID, moduleDots: k }));
    expect(found).toEqual([{ format: 'QRCode', text: SALE_ID }]);
  });

  it('a Code 128 of the sale id reads back as the sale id', async () => {
    const png = barcodePng({ symbology: 'code128', data: SALE_ID, moduleDots: 1, heightDots: 60 });
    expect(await decode(png)).toEqual([{ format: 'Code128', text: SALE_ID }]);
  });
});

describe('retail codes', () => {
  it('an EAN-13 reads back as the same 13 digits', async () => {
    const png = barcodePng({ symbology: 'ean13', data: '2042724142879', moduleDots: 2 });
    expect(await decode(png)).toEqual([{ format: 'EAN13', text: '2042724142879' }]);
  });

  it('a UPC-A reads back as the same 12 digits', async () => {
    // UPC-A is EAN-13 with a leading 0 in the same bars; the reader reports it as that GTIN-13.
    const png = barcodePng({ symbology: 'upca', data: '036000291452', moduleDots: 2 });
    expect(await decode(png, ['UPC-A'])).toEqual([{ format: 'UPCA', text: '0036000291452' }]);
  });

  it('refuses a code whose check digit is wrong instead of printing a bad barcode', () => {
    expect(() =>
      barcodeBitmap({ symbology: 'ean13', data: '2042724142878', moduleDots: 2 }),
    ).toThrow(/check digit/i);
  });
});

describe('dots on paper', () => {
  it('every bar and space is a whole number of modules wide', () => {
    for (const k of [1, 2, 3]) {
      const bitmap = barcodeBitmap({ symbology: 'code128', data: 'HOD-PUF-BLK-S', moduleDots: k });
      const inner = runs(bitmap, Math.floor(bitmap.height / 2)).slice(1, -1);
      expect(inner.length).toBeGreaterThan(20);
      expect(inner.every((run) => run % k === 0)).toBe(true);
    }
  });

  it('leaves a white quiet zone round the symbol (10 modules for Code 128, 4 for QR)', () => {
    const linear = barcodeBitmap({ symbology: 'code128', data: 'SKU-1', moduleDots: 2 });
    const middle = Math.floor(linear.height / 2);
    expect(runs(linear, middle)[0]).toBe(20);
    expect(runs(linear, middle).at(-1)).toBe(20);
    const qr = barcodeBitmap({ symbology: 'qr', data: SALE_ID, moduleDots: 3 });
    for (let x = 0; x < qr.width; x++) expect(isBlack(qr, x, 11)).toBe(false);
    expect(isBlack(qr, 12, 12)).toBe(true);
  });

  it('a PNG is black dots on an opaque white background', () => {
    const png = PNG.sync.read(
      barcodePng({ symbology: 'ean13', data: '2042724142879', moduleDots: 1 }),
    );
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) {
      colours.add(png.data[i]!);
      expect(png.data[i + 3]).toBe(255);
    }
    expect([...colours].sort()).toEqual([0, 255]);
    expect(png.data[0]).toBe(255);
  });

  it('packs rows most significant bit first with 1 for black, clipping at the edges', () => {
    const bitmap = createBitmap(12, 2);
    fillRect(bitmap, 1, 0, 3, 1);
    fillRect(bitmap, 10, 1, 5, 5);
    expect([...bitmap.data]).toEqual([0b0111_0000, 0, 0, 0b0011_0000]);
    expect(PNG.sync.read(bitmapToPng(bitmap)).width).toBe(12);
  });
});
