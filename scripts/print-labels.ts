// `npm run print -- labels …`: price labels for demo-catalog products, N copies each or as many as a shipment brought, straight to a label printer.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { labelBatchJob } from '../electron/printing/labels';
import { sendToPrinter } from '../electron/printing/transports';
import type { Catalog, Product } from '../shared/catalog';
import { deliveryLabelItems, parseDeliveryNote } from '../shared/delivery-note';
import type { LabelDpi } from '../shared/label';
import { labelFit } from '../shared/printing';
import { CliError, loadDemoCatalog, timeoutMs } from './print-cli';

export const LABELS_USAGE = `  labels  --sku SKU [--sku SKU…] [--copies N] | --shipment FILE.csv  --printer ADDRESS
          [--language tspl|zpl|escpos] [--size 50x30] [--dpi 203|300] [--width 58|80 (escpos paper)]
          [--badge TEXT] [--timeout MS]`;

function parseLabelArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        sku: { type: 'string', multiple: true },
        shipment: { type: 'string' },
        copies: { type: 'string' },
        printer: { type: 'string' },
        language: { type: 'string' },
        size: { type: 'string' },
        dpi: { type: 'string' },
        width: { type: 'string' },
        badge: { type: 'string' },
        timeout: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** "50x30" (mm) → { widthMm, heightMm }. */
function labelSize(text: string) {
  const m = /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)$/i.exec(text);
  if (!m) throw new CliError(`--size is WIDTHxHEIGHT in mm (e.g. 50x30), not "${text}"`, 2);
  return { widthMm: Number(m[1]), heightMm: Number(m[2]) };
}

/** The active product a code on a delivery note stands for: a barcode (UPC-A in either form), then a SKU. */
function findByCode(catalog: Catalog, code: string): Product | undefined {
  const forms = /^\d{12}$/.test(code)
    ? [code, `0${code}`]
    : /^0\d{12}$/.test(code)
      ? [code, code.slice(1)]
      : [code];
  const active = catalog.products.filter((p) => p.active);
  return (
    active.find((p) => p.barcodes.some((b) => forms.includes(b))) ??
    active.find((p) => p.sku === code.toUpperCase())
  );
}

/** Each product on the delivery note, as many copies as arrived; one line naming every unknown code. */
function shipmentBatch(file: string, catalog: Catalog) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the delivery note ${file}: ${(error as Error).message}`, 2);
  }
  const note = parseDeliveryNote(text);
  if (!note.ok) throw new CliError(`${file}: ${note.message}`, 2);
  const items = deliveryLabelItems(
    note.lines,
    note.lines.map((l) => findByCode(catalog, l.code)),
  );
  if (!items.ok) throw new CliError(`${file}: ${items.message}`, 2);
  return items.items;
}

export async function labels(args: string[]): Promise<string> {
  const v = parseLabelArgs(args);
  if (v.shipment !== undefined && (v.sku?.length || v.copies !== undefined)) {
    throw new CliError('Use --shipment or --sku/--copies, not both', 2);
  }
  if (!v.sku?.length && v.shipment === undefined) {
    throw new CliError('labels needs --sku SKU (one or more) or --shipment FILE.csv', 2);
  }
  if (!v.printer) throw new CliError('labels needs --printer (e.g. tcp://192.168.1.60:9100)', 2);
  const language = v.language ?? 'tspl';
  if (language !== 'tspl' && language !== 'zpl' && language !== 'escpos') {
    throw new CliError(`--language must be tspl, zpl or escpos, not "${language}"`, 2);
  }
  const copies = v.copies === undefined ? 1 : Number(v.copies);
  if (!Number.isSafeInteger(copies) || copies < 1 || copies > 500) {
    throw new CliError(`--copies must be a whole number from 1 to 500, not "${v.copies}"`, 2);
  }
  const dpi = Number(v.dpi ?? 203);
  if (dpi !== 203 && dpi !== 300) throw new CliError(`--dpi must be 203 or 300, not "${v.dpi}"`, 2);
  const size = labelSize(v.size ?? '50x30');
  // Labels on an ESC/POS receipt printer: refuse one wider than its paper before sending anything.
  const paperWidthMm = Number(v.width ?? 80);
  if (paperWidthMm !== 58 && paperWidthMm !== 80) {
    throw new CliError(`--width must be 58 or 80, not "${v.width}"`, 2);
  }
  const fit = labelFit({
    name: v.printer,
    language,
    paperWidthMm: paperWidthMm as 58 | 80,
    labelSize: size,
  });
  if (!fit.ok) throw new CliError(fit.message, 2);
  const timeout = timeoutMs(v.timeout);

  const catalog = loadDemoCatalog();
  const batch =
    v.shipment !== undefined
      ? shipmentBatch(v.shipment, catalog)
      : (v.sku ?? []).map((sku) => {
          const product = catalog.products.find((p) => p.sku === sku);
          if (!product) throw new CliError(`No product with SKU "${sku}" in the demo catalog`, 2);
          return { product, copies };
        });
  let bytes: Buffer;
  try {
    bytes = labelBatchJob(batch, catalog.store, {
      size,
      dpi: dpi as LabelDpi,
      language,
      ...(v.badge ? { badge: v.badge } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message, 2);
    throw error;
  }
  const result = await sendToPrinter(v.printer, bytes, {
    connectTimeoutMs: timeout,
    // ESC/POS label printers say whether they have paper, as receipt printers do; TSPL/ZPL are not asked.
    statusCheck: language === 'escpos',
  });
  if (!result.ok) throw new CliError(result.message, 1);
  const count = batch.reduce((n, item) => n + item.copies, 0);
  const what = `${count} ${count === 1 ? 'label' : 'labels'} (${batch.length} ${batch.length === 1 ? 'product' : 'products'}, ${size.widthMm}x${size.heightMm} mm, ${language}, ${bytes.length} bytes)`;
  return result.unconfirmed
    ? `Sent ${what} to ${v.printer}, not confirmed: it took the job but did not say it printed (check before printing again)`
    : `Printed ${what} on ${v.printer}`;
}
