// Receipts as images: a QR sent as raster (for printers without native QR), the store logo, and the receipt PNG all scan and show where a customer sees them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { sampleReceipt } from '../../scripts/render-samples';
import { type ReceiptDocument, receiptDocument } from '../../shared/receipt';
import type { Sale } from '../../shared/sale';
import {
  FakePrinter,
  type PaperItem,
  type ParsedJob,
  parseJob,
} from '../../test/fixtures/fake-printer';
import { demo, makeSale } from '../../test/ledger/fixtures';
import { type Bitmap, bitmapToPng, createBitmap, fillRect, isBlack } from './barcode-image';
import { type EncodeOptions, encodeReceipt } from './escpos';
import { logoFromPng, receiptPng, renderReceipt } from './receipt-raster';
import { sendToPrinter } from './transports';

const sale = () =>
  makeSale('till-1', 'T1', 7, [{ sku: 'HAT-CAP5-BLK', qty: 1 }], { tender: 'cash' })
    .payload as Sale;

/** A 300-row logo (taller than one raster slice): a frame with a bar across the middle. */
function tallLogo(): Bitmap {
  const logo = createBitmap(200, 300);
  fillRect(logo, 0, 0, 200, 8);
  fillRect(logo, 0, 292, 200, 8);
  fillRect(logo, 0, 0, 8, 300);
  fillRect(logo, 192, 0, 8, 300);
  fillRect(logo, 0, 146, 200, 8);
  return logo;
}

let printer: FakePrinter;
beforeAll(async () => {
  // The package's default fetches the .wasm from a CDN; tests load the copy shipped in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
beforeEach(() => printer.reset());

async function scanPng(png: Uint8Array): Promise<string[]> {
  const results = await readBarcodes(png, { tryHarder: false, maxNumberOfSymbols: 4 });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

type Image = Extract<PaperItem, { kind: 'image' }>;

function imageBitmap(image: Image): Bitmap {
  const bitmap = createBitmap(image.bytesPerRow * 8, image.rows);
  bitmap.data.set(image.data);
  return bitmap;
}

async function printOnFake(doc: ReceiptDocument, options: Partial<EncodeOptions>) {
  const bytes = encodeReceipt(doc, { language: 'escpos', ...options });
  const sent = await sendToPrinter(printer.url, bytes);
  expect(sent.ok).toBe(true);
  const [job] = await printer.waitForJobs(1);
  return parseJob(job!, 'escpos');
}

const images = (job: ParsedJob) => job.paper.filter((p): p is Image => p.kind === 'image');
const paperIndex = (job: ParsedJob, text: string) =>
  job.paper.findIndex((p) => p.kind === 'text' && p.text.includes(text));
const sliceRows = (job: ParsedJob) =>
  job.commands.flatMap((c) => (c.kind === 'raster' ? [c.rows] : []));

describe('a receipt for a printer without native QR', () => {
  it.each([32, 48] as const)(
    'at %i columns prints the returns QR as an image that scans as the sale id',
    async (width) => {
      const s = sale();
      const doc = receiptDocument(s, demo.store, { width });
      const job = await printOnFake(doc, { nativeQr: false });
      expect(job.paper.some((p) => p.kind === 'qr')).toBe(false);
      const [qr, ...others] = images(job);
      expect(others).toEqual([]);
      expect(qr!.bytesPerRow * 8).toBe(width === 32 ? 384 : 576);
      expect(await scanPng(bitmapToPng(imageBitmap(qr!)))).toEqual([s.id]);
      // Where a customer expects it: after the totals, above "Show this code for returns".
      const at = job.paper.indexOf(qr!);
      expect(at).toBeGreaterThan(paperIndex(job, 'Total'));
      expect(at).toBeLessThan(paperIndex(job, 'Show this code for returns'));
      expect(Math.max(...sliceRows(job))).toBeLessThanOrEqual(255);
    },
  );

  it('still uses the printer’s own QR command by default', async () => {
    const s = sale();
    const job = await printOnFake(receiptDocument(s, demo.store, { width: 48 }), {});
    expect(job.paper.filter((p) => p.kind === 'qr')).toEqual([
      { kind: 'qr', data: s.id, align: 'center' },
    ]);
    expect(images(job)).toEqual([]);
  });
});

describe('a store logo', () => {
  it('prints centred above the store name, in slices of at most 255 rows that stack back into the logo', async () => {
    const logo = tallLogo();
    const doc = receiptDocument(sale(), demo.store, { width: 48 });
    const job = await printOnFake(doc, { logo });
    expect(sliceRows(job)).toEqual([255, 45]);
    const [printed] = images(job);
    expect(job.paper.indexOf(printed!)).toBeLessThan(paperIndex(job, demo.store.name));
    // The drawer still opens first, while the logo prints.
    expect(job.commands.findIndex((c) => c.kind === 'drawer-kick')).toBeLessThan(
      job.commands.findIndex((c) => c.kind === 'raster'),
    );
    const bitmap = imageBitmap(printed!);
    expect(bitmap.height).toBe(300);
    const left = (576 - 200) / 2;
    for (const [x, y] of [
      [0, 0],
      [199, 299],
      [100, 150],
      [4, 100],
    ]) {
      expect(isBlack(bitmap, left + x!, y!), `logo dot ${x},${y}`).toBe(true);
    }
    expect(isBlack(bitmap, left - 1, 0)).toBe(false);
    expect(isBlack(bitmap, left + 200, 0)).toBe(false);
    expect(isBlack(bitmap, left + 100, 50)).toBe(false);
  });

  it('is refused on paper narrower than the logo, with the sizes in the message', () => {
    const doc = receiptDocument(sale(), demo.store, { width: 32 });
    expect(() => encodeReceipt(doc, { language: 'escpos', logo: createBitmap(400, 20) })).toThrow(
      /400 dots wide does not fit paper 384/,
    );
  });

  it('loads from a PNG: dark pixels print, transparent ones stay paper, wide ones shrink to the paper', () => {
    const png = new PNG({ width: 800, height: 100 });
    for (let i = 0; i < 800 * 100; i++) {
      const x = i % 800;
      const dark = x < 400;
      png.data.set(dark ? [20, 20, 20, 255] : [0, 0, 0, 0], i * 4);
    }
    const logo = logoFromPng(PNG.sync.write(png), 384);
    expect([logo.width, logo.height]).toEqual([384, 48]);
    expect(isBlack(logo, 10, 10)).toBe(true);
    expect(isBlack(logo, 300, 10)).toBe(false);
  });
});

describe('the receipt as an image', () => {
  it('draws the logo as rows of black dots above the store name', () => {
    const doc = receiptDocument(sale(), demo.store, { width: 48 });
    const withLogo = renderReceipt(doc, { logo: tallLogo() });
    const without = renderReceipt(doc);
    const inkRows = (b: Bitmap) =>
      Array.from({ length: b.height }, (_, y) => b.data.subarray(y * 72, y * 72 + 72)).map((row) =>
        row.some((byte) => byte !== 0),
      );
    const firstInk = (b: Bitmap) => inkRows(b).indexOf(true);
    // The store name moves down by the logo and its gap; the logo's rows are ink above it.
    expect(withLogo.height - without.height).toBeGreaterThanOrEqual(300);
    expect(inkRows(withLogo).slice(firstInk(withLogo), firstInk(withLogo) + 300)).toEqual(
      Array(300).fill(true),
    );
  });

  it('renders a PNG whose QR scans as the sale id', async () => {
    const s = sale();
    for (const width of [32, 42, 48] as const) {
      const png = receiptPng(receiptDocument(s, demo.store, { width }));
      expect(await scanPng(png), `${width} columns`).toEqual([s.id]);
    }
  });

  it("the committed 80 mm sample is today's rendering of the demo sale (re-run scripts/render-samples.ts after layout changes)", async () => {
    const committed = readFileSync(
      new URL('../../test/fixtures/receipt-80mm.png', import.meta.url),
    );
    const doc = sampleReceipt();
    expect(receiptPng(doc).equals(committed)).toBe(true);
    expect(await scanPng(new Uint8Array(committed))).toEqual([doc.saleId]);
    // Same sale as the text sample beside it.
    const text = readFileSync(
      new URL('../../test/fixtures/receipt-80mm.txt', import.meta.url),
      'utf8',
    );
    expect(text).toContain(`[QR: ${doc.saleId}]`);
  });
});
