// Owns turning a queued print request into bytes for one configured printer, and the plain words for why a job failed.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Product, StoreSettings } from '../../shared/catalog';
import {
  labelFit,
  type labelPrintRequestSchema,
  type PrinterConfig,
  type receiptPrintRequestSchema,
} from '../../shared/printing';
import {
  type ReceiptDocument,
  type ReceiptWidth,
  receiptDocument,
  wrap,
} from '../../shared/receipt';
import { reportDocument, type reportPrintRequestSchema } from '../../shared/report-print';
import { returnReceipt } from '../../shared/return-receipt';
import type { Bitmap } from './barcode-image';
import { encodeReceipt, PRINTABLE_DOTS } from './escpos';
import { labelBatchJob } from './labels';
import { logoFromPng } from './receipt-raster';
import { parsePrinterUrl } from './transports';

type ReceiptPrintRequest = z.output<typeof receiptPrintRequestSchema>;
type LabelPrintRequest = z.output<typeof labelPrintRequestSchema>;
type ReportPrintRequest = z.output<typeof reportPrintRequestSchema>;

/** What a job asks for, stored with it so it can be printed again on any printer. */
export type PrintRequest =
  | { kind: 'receipt'; receipt: ReceiptPrintRequest }
  | { kind: 'labels'; labels: LabelPrintRequest }
  | { kind: 'report'; report: ReportPrintRequest }
  | { kind: 'test' };

export type Encoded = { ok: true; bytes: Buffer } | { ok: false; code: string; message: string };

const COLUMNS: Record<PrinterConfig['paperWidthMm'], ReceiptWidth> = { 58: 32, 80: 48 };

/** The store's optional receipt logo: assets/receipt-logo.png in the folder the app runs from. */
export const RECEIPT_LOGO_FILE = path.resolve('assets', 'receipt-logo.png');

/** Logo files read so far (null: there is none), and their bitmaps per paper width. */
const logoFiles = new Map<string, Buffer | null>();
const logoBitmaps = new Map<string, Bitmap | null>();

/**
 * The logo for a receipt of `width` columns, or undefined when there is no usable logo file.
 * Read once per file (adding a logo takes a restart). A PNG that will not decode is logged
 * and skipped: a broken logo must not keep a receipt from printing.
 */
export function receiptLogo(file: string, width: ReceiptWidth): Bitmap | undefined {
  const key = `${file}@${width}`;
  if (!logoBitmaps.has(key)) {
    if (!logoFiles.has(file)) {
      let png: Buffer | null = null;
      try {
        png = readFileSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          console.error(`Receipt logo ${file} cannot be read; printing without it`, error);
        }
      }
      logoFiles.set(file, png);
    }
    const png = logoFiles.get(file);
    let bitmap: Bitmap | null = null;
    if (png) {
      try {
        bitmap = logoFromPng(png, PRINTABLE_DOTS[width]);
      } catch (error) {
        console.error(
          `Receipt logo ${file} is not a PNG PopTill can read; printing without it`,
          error,
        );
      }
    }
    logoBitmaps.set(key, bitmap);
  }
  return logoBitmaps.get(key) ?? undefined;
}

export type EncodeSettings = {
  /** A PNG printed above the store name on ESC/POS receipts, when the file exists. */
  logoFile?: string;
};

/** "Receipt T1-000042", "30 labels (3 products)", "Test page". */
export function summarize(request: PrintRequest): string {
  if (request.kind === 'receipt') {
    const ret = request.receipt.returnReceipt?.return;
    return ret
      ? `Return receipt ${ret.returnNumber}`
      : `Receipt ${request.receipt.sale.receiptNumber}`;
  }
  if (request.kind === 'test') return 'Test page';
  if (request.kind === 'report') return request.report.title;
  const { items } = request.labels;
  const count = items.reduce((sum, item) => sum + item.copies, 0);
  const products = items.length === 1 ? '1 product' : `${items.length} products`;
  return `${count} ${count === 1 ? 'label' : 'labels'} (${products})`;
}

/** The printer kind a request needs. */
export function printerKindFor(request: PrintRequest): PrinterConfig['kind'] | null {
  if (request.kind === 'receipt' || request.kind === 'report') return 'receipt';
  if (request.kind === 'labels') return 'label';
  return null;
}

export function encodeForPrinter(
  request: PrintRequest,
  printer: PrinterConfig,
  now: Date,
  settings: EncodeSettings = {},
): Encoded {
  const wanted = printerKindFor(request);
  if (wanted && wanted !== printer.kind) {
    return {
      ok: false,
      code: 'wrong-printer-kind',
      message: `"${printer.name}" is a ${printer.kind} printer: choose a ${wanted} printer.`,
    };
  }
  if (printer.kind === 'receipt') {
    const width = COLUMNS[printer.paperWidthMm];
    const doc =
      request.kind === 'receipt'
        ? receiptFor(request.receipt, width)
        : request.kind === 'report'
          ? reportDocument(request.report, width)
          : testReceipt(printer, width, now);
    if (printer.language === 'star') {
      // Star Line Mode has its own QR command and no raster images in our encoder: no logo, native QR.
      return { ok: true, bytes: encodeReceipt(doc, { language: 'star' }) };
    }
    const logo = receiptLogo(settings.logoFile ?? RECEIPT_LOGO_FILE, doc.width);
    return {
      ok: true,
      bytes: encodeReceipt(doc, {
        language: 'escpos',
        nativeQr: printer.nativeQr,
        ...(logo ? { logo } : {}),
      }),
    };
  }
  if (printer.language === 'star') {
    return {
      ok: false,
      code: 'unsupported-language',
      message: `"${printer.name}" is set to Star, which PopTill cannot print labels in: use TSPL, ZPL or ESC/POS.`,
    };
  }
  // Refused before anything is sent: a label wider than the head comes out clipped or as garbage.
  const fit = labelFit(printer);
  if (!fit.ok) return { ok: false, code: fit.code, message: fit.message };
  if (request.kind === 'receipt' || request.kind === 'report') {
    return { ok: false, code: 'wrong-printer-kind', message: 'Receipts go to a receipt printer.' };
  }
  const { items, store, badge } =
    request.kind === 'labels' ? request.labels : testLabel(printer, now);
  const bytes = labelBatchJob(items, store, {
    size: printer.labelSize,
    dpi: printer.dpi,
    language: printer.language,
    ...(badge ? { badge } : {}),
  });
  return { ok: true, bytes };
}

function receiptFor(request: ReceiptPrintRequest, width: ReceiptWidth): ReceiptDocument {
  const { sale, store, returnReceipt: ret } = request;
  const doc = ret
    ? returnReceipt(ret.return, sale, store, { ...ret, width })
    : receiptDocument(sale, store, {
        width,
        ...request.promo,
        ...(request.returns ? { returns: request.returns } : {}),
      });
  if (request.openDrawer) return doc;
  return { ...doc, blocks: doc.blocks.filter((b) => b.kind !== 'drawer-kick') };
}

function testReceipt(printer: PrinterConfig, width: ReceiptWidth, now: Date): ReceiptDocument {
  const text = (line: string, bold = false) => ({
    kind: 'text' as const,
    lines: wrap(line, width),
    align: 'center' as const,
    bold,
    size: 'normal' as const,
  });
  return {
    width,
    saleId: 'test',
    receiptNumber: 'TEST',
    blocks: [
      text('PopTill test page', true),
      text(printer.name),
      text(printer.address),
      text(now.toISOString().slice(0, 16).replace('T', ' ')),
      { kind: 'feed', lines: 1 },
      text('If you can read this, receipts will print here. Ä Ö Ü é ñ €'),
      { kind: 'cut' },
    ],
  };
}

function testLabel(printer: PrinterConfig, now: Date) {
  const product: Product = {
    sku: `TEST-${now.toISOString().slice(0, 10)}`,
    name: `${printer.name} test label`,
    price: 0,
    taxClassId: 'none',
    category: 'Test',
    barcodes: [],
    active: true,
  };
  const store: Pick<StoreSettings, 'currency' | 'locale'> = { currency: 'EUR', locale: 'en-IE' };
  return { items: [{ product, copies: 1 }], store, badge: 'Test' };
}

/** "192.168.1.50:9100" for a network printer, the device, queue or folder otherwise. */
function whereIs(printer: PrinterConfig): string {
  const address = parsePrinterUrl(printer.address);
  if (!('kind' in address)) return printer.address;
  switch (address.kind) {
    case 'tcp':
      return `${address.host}:${address.port}`;
    case 'cups':
      return `print queue ${address.queue}`;
    case 'win':
      return `Windows printer “${address.printer}”`;
    default:
      return address.path;
  }
}

/**
 * Plain words for a failed job: "Receipt printer at 192.168.1.50:9100 is not answering —
 * the sale is saved. Retry, print later or choose another printer."
 */
export function failureMessage(
  request: PrintRequest,
  printer: PrinterConfig,
  code: string,
  detail: string,
): string {
  const who = `${printer.kind === 'receipt' ? 'Receipt' : 'Label'} printer at ${whereIs(printer)}`;
  const what: Record<string, string> = {
    'printer-unreachable': 'is not answering',
    'printer-timeout':
      'took the job but did not finish it (it may have printed part or all of it: check before retrying)',
    'paper-out': 'is out of paper',
    'cover-open': 'has its cover open',
    'bad-printer-address': `has an address PopTill cannot use (${printer.address})`,
    'unsupported-transport': `cannot be reached from this computer (${detail})`,
  };
  const problem = what[code] ?? `reported a problem (${detail})`;
  const kept =
    request.kind === 'receipt'
      ? ` — the ${request.receipt.returnReceipt ? 'return' : 'sale'} is saved. Retry, print later or choose another printer.`
      : request.kind === 'labels'
        ? ' — the labels stay in the queue. Retry, print later or choose another printer.'
        : '.';
  return `${who} ${problem}${kept}`;
}
