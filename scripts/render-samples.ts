// Writes sample label images for review (`npx tsx scripts/render-samples.ts`): same input, same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bitmapToPng } from '../electron/printing/barcode-image';
import { renderLabel } from '../electron/printing/raster';
import { catalogSchema } from '../shared/catalog';
import { labelDocument } from '../shared/label';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalog = catalogSchema.parse(
  JSON.parse(readFileSync(`${root}assets/demo-catalog.json`, 'utf8')),
);
// The first drop item in catalog order: a long name, a drop and an EAN-13 exercise the whole layout.
const product = catalog.products.find((p) => p.drop);
if (!product) throw new Error('the demo catalog has no drop product');

const label = labelDocument(product, catalog.store, {
  size: { widthMm: 50, heightMm: 30 },
  dpi: 203,
  badge: 'Early-bird',
});
const out = `${root}test/fixtures/label-50x30.png`;
writeFileSync(out, bitmapToPng(renderLabel(label)));
console.log(
  `${out}: ${product.sku}, ${label.widthDots}×${label.heightDots} dots at ${label.dpi} dpi`,
);
