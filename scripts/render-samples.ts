// Writes sample label and receipt images for review (`npx tsx scripts/render-samples.ts`): same input, same bytes.
import { realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bitmapToPng } from '../electron/printing/barcode-image';
import { renderLabel } from '../electron/printing/raster';
import { receiptPng } from '../electron/printing/receipt-raster';
import { type LabelDocument, labelDocument } from '../shared/label';
import { type ReceiptDocument, receiptDocument } from '../shared/receipt';
import { demoSale, loadDemoCatalog } from './print';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The first drop item in catalog order: a long name, a drop and an EAN-13 exercise the whole layout. */
export function sampleLabel(): LabelDocument {
  const catalog = loadDemoCatalog();
  const product = catalog.products.find((p) => p.drop);
  if (!product) throw new Error('the demo catalog has no drop product');
  return labelDocument(product, catalog.store, {
    size: { widthMm: 50, heightMm: 30 },
    dpi: 203,
    badge: 'Early-bird',
  });
}

/** The demo sale of test/fixtures/receipt-80mm.txt (fixed time and id), on 80 mm paper. */
export function sampleReceipt(): ReceiptDocument {
  const catalog = loadDemoCatalog();
  const sale = demoSale(catalog, {
    at: new Date('2026-11-25T14:05:00Z'),
    id: '01KAXQ3M5R7T9V1W3X5Y7Z9A1B',
  });
  // The demo store's own returns and shipping promises, as every receipt prints them.
  return receiptDocument(sale, catalog.store, { width: 48 });
}

function main(): void {
  const label = sampleLabel();
  const labelFile = `${root}test/fixtures/label-50x30.png`;
  writeFileSync(labelFile, bitmapToPng(renderLabel(label)));
  console.log(
    `${labelFile}: ${label.sku}, ${label.widthDots}×${label.heightDots} dots at ${label.dpi} dpi`,
  );

  const receipt = sampleReceipt();
  const receiptFile = `${root}test/fixtures/receipt-80mm.png`;
  writeFileSync(receiptFile, receiptPng(receipt));
  console.log(`${receiptFile}: receipt ${receipt.receiptNumber}, ${receipt.width} columns`);
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) main();
