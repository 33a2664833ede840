// Label jobs as printers receive them: the barcode on every label decodes to the product's code with a real reader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import catalogJson from '../../assets/demo-catalog.json';
import { gtinCheckDigit } from '../../shared/barcode';
import { catalogSchema, type Product } from '../../shared/catalog';
import { type LabelDocument, type LabelOptions, labelDocument } from '../../shared/label';
import { type Bitmap, bitmapToPng, createBitmap } from './barcode-image';
import {
  encodeEscposLabels,
  encodeLabels,
  encodeTspl,
  encodeZpl,
  type LabelJobItem,
  labelBatchJob,
} from './labels';
import { escposRaster, renderLabel } from './raster';

const catalog = catalogSchema.parse(catalogJson);
const store = catalog.store;
const puffer = catalog.products.find((p) => p.sku === 'HOD-PUF-BLK-S')!;
const upcProduct = catalog.products.find((p) => p.barcodes[0]?.length === 12) ?? {
  ...puffer,
  sku: 'UPC-1',
  barcodes: ['036000291452'],
};
const mug: Product = { ...puffer, sku: 'MUG-01', name: 'Mug', barcodes: [], drop: undefined };
const size50x30: LabelOptions = { size: { widthMm: 50, heightMm: 30 }, dpi: 203 };
const label = (product: Product, options: Partial<LabelOptions> = {}) =>
  labelDocument(product, store, { ...size50x30, ...options });

beforeAll(async () => {
  // The package's default fetches the .wasm from a CDN; tests load the copy shipped in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});

/** What a scanner reads off the image: the texts of every valid symbol found. */
async function scan(bitmap: Bitmap): Promise<string[]> {
  // No tryHarder: a quick pass, as a hand scanner gets.
  const results = await readBarcodes(bitmapToPng(bitmap), {
    tryHarder: false,
    maxNumberOfSymbols: 4,
  });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** The reader reports a UPC-A as its GTIN-13 (a leading 0); SKUs come back as they are. */
function expected(doc: LabelDocument): string {
  const { symbology, data } = doc.barcode;
  return symbology === 'upca' ? `0${data}` : data;
}

/** Paint a printer's bitmap (rows, MSB first) back into a Bitmap. */
function bitmapFrom(bytesPerRow: number, rows: number, data: Uint8Array): Bitmap {
  const bitmap = createBitmap(bytesPerRow * 8, rows);
  bitmap.data.set(data);
  return bitmap;
}

/** Parse an ESC/POS label job: the raster slices in order, skipping init, feeds and cut. */
function escposSlices(
  bytes: Uint8Array,
): { bytesPerRow: number; rows: number; yH: number; data: Uint8Array }[] {
  const slices = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0x1b && bytes[i + 1] === 0x40) i += 2;
    else if (bytes[i] === 0x1b && bytes[i + 1] === 0x4a) i += 3;
    else if (bytes[i] === 0x1d && bytes[i + 1] === 0x56) i += 4;
    else if (bytes[i] === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30) {
      const bytesPerRow = bytes[i + 4]! + 256 * bytes[i + 5]!;
      const rows = bytes[i + 6]!;
      const yH = bytes[i + 7]!;
      const length = bytesPerRow * (rows + 256 * yH);
      slices.push({ bytesPerRow, rows, yH, data: bytes.subarray(i + 8, i + 8 + length) });
      i += 8 + length;
    } else throw new Error(`unexpected byte 0x${bytes[i]?.toString(16)} at ${i}`);
  }
  return slices;
}

function stack(slices: ReturnType<typeof escposSlices>): Bitmap {
  const rows = slices.reduce((n, s) => n + s.rows, 0);
  const data = new Uint8Array(slices.reduce((n, s) => n + s.data.length, 0));
  let at = 0;
  for (const s of slices) {
    data.set(s.data, at);
    at += s.data.length;
  }
  return bitmapFrom(slices[0]!.bytesPerRow, rows, data);
}

const text = (bytes: Buffer) => bytes.toString('latin1');

describe('a rendered label scans as its product', () => {
  const products = [
    ['EAN-13', puffer, {}],
    ['UPC-A', upcProduct, {}],
    ['Code 128 of the SKU', mug, {}],
    ['QR of the SKU', puffer, { symbology: 'qr' }],
  ] as const;
  const sizes = [
    [50, 30],
    [40, 30],
    [58, 40],
    [100, 50],
  ] as const;

  it.each(products)('%s on every template at 203 and 300 dpi', async (_, product, more) => {
    for (const [widthMm, heightMm] of sizes) {
      for (const dpi of [203, 300] as const) {
        const doc = labelDocument(product, store, { size: { widthMm, heightMm }, dpi, ...more });
        expect(await scan(renderLabel(doc)), `${widthMm}×${heightMm} @ ${dpi}`).toEqual([
          expected(doc),
        ]);
      }
    }
  });

  it("the committed sample is today's rendering of the first demo drop item (re-run scripts/render-samples.ts after layout changes)", async () => {
    const sample = readFileSync(new URL('../../test/fixtures/label-50x30.png', import.meta.url));
    const drop = catalog.products.find((p) => p.drop)!;
    const doc = label(drop, { badge: 'Early-bird' });
    expect(bitmapToPng(renderLabel(doc)).equals(sample)).toBe(true);
    const results = await readBarcodes(new Uint8Array(sample));
    expect(results.map((r) => r.text)).toEqual([drop.barcodes[0]]);
  });
});

describe('ESC/POS raster', () => {
  it('sends no slice taller than 255 rows, and the slices stack back into a label that scans', async () => {
    const doc = labelDocument(puffer, store, { size: { widthMm: 100, heightMm: 50 }, dpi: 300 });
    expect(doc.heightDots).toBeGreaterThan(2 * 255);
    const slices = escposSlices(encodeEscposLabels([{ label: doc, copies: 1 }]));
    expect(slices.map((s) => s.rows)).toEqual([255, 255, doc.heightDots - 510]);
    expect(slices.every((s) => s.yH === 0)).toBe(true);
    const whole = stack(slices);
    expect(whole.data).toEqual(renderLabel(doc).data);
    expect(await scan(whole)).toEqual([puffer.barcodes[0]]);
  });

  it('slices any bitmap at the limit given, never above 255', () => {
    const bitmap = createBitmap(16, 600);
    expect(escposSlices(escposRaster(bitmap, 100)).map((s) => s.rows)).toEqual([
      100, 100, 100, 100, 100, 100,
    ]);
    expect(() => escposRaster(bitmap, 256)).toThrow(RangeError);
  });

  it('prints each copy with a feed across the gap, and cuts at the end when asked', () => {
    const doc = label(puffer);
    const job = encodeEscposLabels([{ label: doc, copies: 3 }], { cut: true });
    expect([...job.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect(escposSlices(job)).toHaveLength(3);
    expect([...job.subarray(-4)]).toEqual([0x1d, 0x56, 0x42, 0]);
    expect(job.includes(Buffer.from([0x1b, 0x4a, 16]))).toBe(true);
  });
});

describe('TSPL', () => {
  const job = encodeTspl([
    { label: label(puffer, { badge: 'Early-bird' }), copies: 3 },
    { label: label(mug), copies: 2 },
  ]);
  const lines = text(job).split('\r\n');

  it('sets up the label size once, then draws and prints each design with its copies', () => {
    expect(lines.filter((l) => l.startsWith('SIZE'))).toEqual(['SIZE 50 mm,30 mm']);
    expect(lines).toContain('GAP 2 mm,0 mm');
    expect(lines).toContain('CODEPAGE 1252');
    expect(lines.filter((l) => l === 'CLS')).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('PRINT'))).toEqual(['PRINT 1,3', 'PRINT 1,2']);
  });

  it("carries the product's code in the BARCODE command (the printer adds the check digit)", () => {
    const [ean, code128] = lines.filter((l) => l.startsWith('BARCODE'));
    const body = /"EAN13",.*,"(\d{12})"$/.exec(ean!)![1]!;
    expect(body + gtinCheckDigit(body)).toBe(puffer.barcodes[0]);
    expect(code128).toMatch(/"128",.*,"MUG-01"$/);
  });

  it('prints the price with € in the Windows-1252 code page, and the badge white on black', () => {
    expect(job.includes(Buffer.from('"\x80120.00"', 'latin1'))).toBe(true);
    expect(
      lines.some((l) => l.startsWith('TEXT') && l.endsWith('"Northside Puffer Vest (Limited)"')),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('REVERSE'))).toBe(true);
  });

  it('escapes a double quote in a name the TSPL way', () => {
    const quoted = encodeTspl([{ label: label({ ...mug, name: 'The "Big" Mug' }), copies: 1 }]);
    expect(text(quoted)).toContain('"The \\["]Big\\["] Mug"');
  });

  it('as a bitmap, the barcode scans as the product (TSPL prints a dot for each 0 bit)', async () => {
    const bitmapJob = encodeTspl([{ label: label(puffer), copies: 1 }], { barcodes: 'bitmap' });
    const at = bitmapJob.indexOf('BITMAP ');
    const head = /^BITMAP (\d+),(\d+),(\d+),(\d+),0,/.exec(text(bitmapJob.subarray(at)))!;
    const [bytesPerRow, rows] = [Number(head[3]), Number(head[4])];
    const start = at + head[0].length;
    const bits = bitmapJob.subarray(start, start + bytesPerRow * rows).map((b) => ~b & 0xff);
    const patch = bitmapFrom(bytesPerRow, rows, bits);
    // Decoders want a margin: put the patch on a white page like the label's.
    const page = createBitmap(patch.width + 64, patch.height + 64);
    for (let y = 0; y < rows; y++) {
      page.data.set(
        patch.data.subarray(y * bytesPerRow, (y + 1) * bytesPerRow),
        (y + 32) * page.bytesPerRow + 4,
      );
    }
    expect(await scan(page)).toEqual([puffer.barcodes[0]]);
  });
});

describe('ZPL', () => {
  const job = text(
    encodeZpl([
      { label: label(puffer, { badge: 'Early-bird' }), copies: 3 },
      { label: label(mug), copies: 2 },
    ]),
  );

  it('wraps each design in ^XA…^XZ with its copies in ^PQ, in UTF-8', () => {
    expect(job.match(/\^XA/g)).toHaveLength(2);
    expect(job.match(/\^XZ/g)).toHaveLength(2);
    expect(job.match(/\^PQ\d+/g)).toEqual(['^PQ3', '^PQ2']);
    expect(job).toContain('^CI28');
    expect(job).toContain('^PW400');
    expect(Buffer.from(job, 'latin1').toString('utf8')).toContain('^FD€120.00^FS');
  });

  it("carries the product's code in ^BE / ^BC field data", () => {
    const body = /\^BEN,\d+,Y,N\^FH\^FD(\d{12})\^FS/.exec(job)![1]!;
    expect(body + gtinCheckDigit(body)).toBe(puffer.barcodes[0]);
    expect(job).toMatch(/\^BCN,\d+,Y,N,N,A\^FH\^FDMUG-01\^FS/);
  });

  it('encodes a QR code with ^BQ and escapes ZPL control characters in text', () => {
    const qr = text(
      encodeZpl([
        { label: label({ ...puffer, name: 'Caret ^ Tilde ~' }, { symbology: 'qr' }), copies: 1 },
      ]),
    );
    expect(qr).toMatch(/\^BQN,2,\d+\^FH\^FDMA,HOD-PUF-BLK-S\^FS/);
    expect(qr).toContain('^FDCaret _5e Tilde _7e^FS');
  });

  it('as ^GF graphics, the barcode scans as the product', async () => {
    const gf = text(encodeZpl([{ label: label(upcProduct), copies: 1 }], { barcodes: 'bitmap' }));
    const [, total, bytesPerRow, hex] = /\^GFA,(\d+),\d+,(\d+),([0-9A-F]+)\^FS/.exec(gf)!;
    expect(hex!.length).toBe(2 * Number(total));
    const patch = bitmapFrom(
      Number(bytesPerRow),
      Number(total) / Number(bytesPerRow),
      Buffer.from(hex!, 'hex'),
    );
    const page = createBitmap(patch.width + 64, patch.height + 64);
    for (let y = 0; y < patch.height; y++) {
      page.data.set(
        patch.data.subarray(y * patch.bytesPerRow, (y + 1) * patch.bytesPerRow),
        (y + 32) * page.bytesPerRow + 4,
      );
    }
    expect(await scan(page)).toEqual([expected(label(upcProduct))]);
  });
});

describe('batches', () => {
  const hundred = catalog.products.slice(0, 100).map((product) => ({ product, copies: 10 }));

  it('puts 100 products × 10 copies in one job for each language', () => {
    const options = { ...size50x30 };
    const tspl = text(labelBatchJob(hundred, store, { ...options, language: 'tspl' }));
    expect(tspl.match(/\r\nPRINT 1,10\r\n/g)).toHaveLength(100);
    const zpl = text(labelBatchJob(hundred, store, { ...options, language: 'zpl' }));
    expect(zpl.match(/\^PQ10\n\^XZ/g)).toHaveLength(100);
    const escpos = labelBatchJob(hundred.slice(0, 5), store, { ...options, language: 'escpos' });
    expect(escposSlices(escpos)).toHaveLength(50);
  });

  it('refuses zero or fractional copies rather than printing a surprise', () => {
    const items: LabelJobItem[] = [{ label: label(mug), copies: 0 }];
    for (const language of ['tspl', 'zpl', 'escpos'] as const) {
      expect(() => encodeLabels(items, language)).toThrow(/copies/);
      expect(() => encodeLabels([{ label: label(mug), copies: 1.5 }], language)).toThrow(/copies/);
    }
  });
});
