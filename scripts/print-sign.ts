// `npm run print -- sign …`: the stall's sign on a label printer (or as a PNG to look at): a QR of the store's public drop page, with the store's name.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bitmapToPng } from '../electron/printing/barcode-image';
import { labelBatchJob } from '../electron/printing/labels';
import { renderLabel } from '../electron/printing/raster';
import { sendToPrinter } from '../electron/printing/transports';
import type { Product } from '../shared/catalog';
import { type LabelDpi, labelDocument } from '../shared/label';
import { labelFit } from '../shared/printing';
import { CliError, loadDemoCatalog, timeoutMs } from './print-cli';

export const SIGN_USAGE = `  sign    --url https://drops.example.ie/s/STORE  --printer ADDRESS | --png FILE.png
          [--store NAME] [--language tspl|zpl|escpos] [--size 100x50] [--dpi 203|300] [--copies N]
          the stall's sign: a QR of the store's public drop page (the ledger serves it at /s/STORE)`;

function parseSignArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        url: { type: 'string' },
        store: { type: 'string' },
        printer: { type: 'string' },
        png: { type: 'string' },
        language: { type: 'string' },
        size: { type: 'string' },
        dpi: { type: 'string' },
        copies: { type: 'string' },
        timeout: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/**
 * The sign as a label "product": the label layout's header carries the store, its name lines
 * what the QR leads to, its big line "Scan me", and its code line the address, under which
 * the QR (of that address) is printed.
 */
function signProduct(url: string, store: string): Product & { priceText: string } {
  return {
    sku: url,
    name: 'Live drops: what is left, prices, times',
    price: 0,
    priceText: 'Scan me',
    taxClassId: 'none',
    category: 'sign',
    barcodes: [],
    active: true,
    drop: store,
  };
}

export async function sign(args: string[]): Promise<string> {
  const v = parseSignArgs(args);
  const url = v.url ?? '';
  if (!/^https?:\/\/[^\s/?#]+\/[^\s]*$/.test(url) || url.length > 200) {
    throw new CliError(
      'sign needs --url, the drop page address phones open (http(s)://host/s/STORE, at most 200 characters)',
      2,
    );
  }
  if (!v.printer === !v.png) throw new CliError('sign needs --printer ADDRESS or --png FILE', 2);
  const language = v.language ?? 'tspl';
  if (language !== 'tspl' && language !== 'zpl' && language !== 'escpos') {
    throw new CliError(`--language must be tspl, zpl or escpos, not "${language}"`, 2);
  }
  const m = /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)$/i.exec(v.size ?? '100x50');
  if (!m) throw new CliError(`--size is WIDTHxHEIGHT in mm (e.g. 100x50), not "${v.size}"`, 2);
  const size = { widthMm: Number(m[1]), heightMm: Number(m[2]) };
  const dpi = Number(v.dpi ?? 203);
  if (dpi !== 203 && dpi !== 300) throw new CliError(`--dpi must be 203 or 300, not "${v.dpi}"`, 2);
  const copies = v.copies === undefined ? 1 : Number(v.copies);
  if (!Number.isSafeInteger(copies) || copies < 1 || copies > 50) {
    throw new CliError(`--copies must be a whole number from 1 to 50, not "${v.copies}"`, 2);
  }
  const catalog = loadDemoCatalog();
  const storeName = (v.store ?? catalog.store.name).trim().slice(0, 80);
  const product = signProduct(url, storeName);
  const options = { size, dpi: dpi as LabelDpi, symbology: 'qr' as const };
  try {
    if (v.png) {
      writeFileSync(
        v.png,
        bitmapToPng(renderLabel(labelDocument(product, catalog.store, options))),
      );
      return `Wrote the sign for ${url} to ${v.png} (${size.widthMm}x${size.heightMm} mm at ${dpi} dpi)`;
    }
    const fit = labelFit({ name: v.printer!, language, paperWidthMm: 80, labelSize: size });
    if (!fit.ok) throw new CliError(fit.message, 2);
    const bytes = labelBatchJob([{ product, copies }], catalog.store, { ...options, language });
    const result = await sendToPrinter(v.printer!, bytes, {
      connectTimeoutMs: timeoutMs(v.timeout),
      statusCheck: language === 'escpos',
    });
    if (!result.ok) throw new CliError(result.message, 1);
    return `Printed ${copies} ${copies === 1 ? 'sign' : 'signs'} for ${url} on ${v.printer}`;
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message, 2);
    throw error;
  }
}
