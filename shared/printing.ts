// The printing contract between the till and whatever drives its printers (Electron main, or the device host in browser mode).
import { z } from 'zod';
import { productSchema, storeSettingsSchema } from './catalog';
import { receiptPromoSchema } from './receipt-promo';
import { returnReceiptPrintSchema } from './return-receipt';
import { saleReturnedSchema } from './returns/return-fact';
import { saleSchema } from './sale';

export const printerKindSchema = z.enum(['receipt', 'label']);
export const printerLanguageSchema = z.enum(['escpos', 'star', 'tspl', 'zpl']);

/** tcp://HOST:9100, file:/dev/usb/lp0 (or COM3), serial:/dev/ttyUSB0?baud=9600 (or serial:COM3), cups:QUEUE, win:PRINTER NAME (Windows spooler), dir:/folder (virtual printer). */
export const printerAddressSchema = z
  .string()
  .trim()
  .regex(
    /^(tcp:\/\/[^\s/:]+(:\d{1,5})?|file:.+|serial:[^\s?]+(\?baud=\d{3,7})?|cups:[\w.-]+|win:[^\r\n]+|dir:.+)$/,
    'Use tcp://HOST:9100, file:/dev/usb/lp0, serial:/dev/ttyUSB0?baud=9600, cups:NAME, win:PRINTER NAME or dir:/folder',
  );

export const printerConfigSchema = z
  .object({
    id: z.string().min(1).max(40),
    name: z.string().trim().min(1).max(60),
    kind: printerKindSchema,
    language: printerLanguageSchema,
    address: printerAddressSchema,
    /** Receipt printers: paper width. */
    paperWidthMm: z.union([z.literal(58), z.literal(80)]).default(80),
    /** Label printers: label size and resolution. */
    labelSize: z
      .object({ widthMm: z.number().min(20).max(120), heightMm: z.number().min(10).max(200) })
      .default({ widthMm: 50, heightMm: 30 }),
    dpi: z.union([z.literal(203), z.literal(300)]).default(203),
    /** TSPL/ZPL label printers: the widest label the printer takes (e.g. 54 for a 2-inch, 104 for a 4-inch head); unset: not checked. */
    maxWidthMm: z.number().min(20).max(220).optional(),
    /** ESC/POS receipt printers: false for those without a QR command, which get the QR as an image. */
    nativeQr: z.boolean().default(true),
    /** The default printer of its kind. */
    isDefault: z.boolean().default(false),
  })
  .refine((p) => (p.kind === 'receipt' ? p.language === 'escpos' || p.language === 'star' : true), {
    message: 'A receipt printer speaks ESC/POS (Epson) or Star',
    path: ['language'],
  });
export type PrinterConfig = z.infer<typeof printerConfigSchema>;
export type PrinterConfigInput = z.input<typeof printerConfigSchema>;

export const printErrorSchema = z.object({
  /** e.g. printer-unreachable, printer-timeout, paper-out, cover-open, no-printer, bad-printer-address. */
  code: z.string(),
  message: z.string(),
});

export const printJobSchema = z.object({
  id: z.string(),
  kind: z.enum(['receipt', 'labels', 'report', 'test']),
  printerId: z.string(),
  printerName: z.string(),
  createdAt: z.iso.datetime(),
  /**
   * `sent`: the printer took the whole job but never confirmed it (no status answer, never
   * closed the connection): it may well have printed, so a person checks before printing again.
   */
  status: z.enum(['queued', 'printing', 'sent', 'done', 'failed']),
  attempts: z.number().int().min(0),
  lastError: printErrorSchema.nullable(),
  /** What a person sees in the queue: "Receipt T1-000042", "30 labels (3 products)". */
  summary: z.string(),
  saleId: z.string().nullable(),
});
export type PrintJob = z.infer<typeof printJobSchema>;

export const receiptPrintRequestSchema = z.object({
  sale: saleSchema,
  store: storeSettingsSchema,
  /** Omit for the default receipt printer. */
  printerId: z.string().optional(),
  /** Open the cash drawer (cash sales). */
  openDrawer: z.boolean().default(true),
  /** The promo code the sale redeemed and next-visit codes given with it (printed as QR). */
  promo: receiptPromoSchema.optional(),
  /** The sale's returns the till knows of: a reprint shows each returned line under the lines. */
  returns: z.array(saleReturnedSchema).max(100).optional(),
  /** Print this return's receipt instead (`sale` is the sale the goods came from). */
  returnReceipt: returnReceiptPrintSchema.optional(),
});
export type ReceiptPrintRequest = z.input<typeof receiptPrintRequestSchema>;

export const labelPrintRequestSchema = z.object({
  items: z
    .array(
      z.object({
        /** priceText replaces the price line, e.g. "10% off" on a promo code card. */
        product: productSchema.extend({ priceText: z.string().trim().min(1).max(24).optional() }),
        copies: z.number().int().min(1).max(500),
      }),
    )
    .min(1)
    .max(500),
  store: storeSettingsSchema,
  printerId: z.string().optional(),
  badge: z.string().max(20).optional(),
});
export type LabelPrintRequest = z.input<typeof labelPrintRequestSchema>;

/** Paper width → the width the head prints on it: 48 mm (384 dots) on 58 mm rolls, 72 mm (576 dots) on 80 mm. */
export const ESCPOS_PRINT_WIDTH_MM: Record<PrinterConfig['paperWidthMm'], number> = {
  58: 48,
  80: 72,
};

export type LabelFit =
  | { ok: true }
  | { ok: false; code: 'label-too-wide'; message: string; limitMm: number };

/**
 * Whether a label printer's label size fits what its head prints: the paper's print width
 * on an ESC/POS printer, the configured widest label on TSPL/ZPL. A label that does not
 * fit would come out clipped or as garbage, so it is refused before anything is sent.
 */
export function labelFit(
  printer: Pick<PrinterConfig, 'name' | 'language' | 'paperWidthMm' | 'maxWidthMm'> & {
    labelSize: { widthMm: number };
  },
): LabelFit {
  const width = printer.labelSize.widthMm;
  const escpos = printer.language === 'escpos';
  const limit = escpos ? ESCPOS_PRINT_WIDTH_MM[printer.paperWidthMm] : printer.maxWidthMm;
  if (limit === undefined || width <= limit) return { ok: true };
  const why = escpos
    ? `prints at most ${limit} mm wide on ${printer.paperWidthMm} mm paper`
    : `takes labels up to ${limit} mm wide`;
  return {
    ok: false,
    code: 'label-too-wide',
    limitMm: limit,
    message: `A ${width} mm label does not fit “${printer.name}”: it ${why}. Choose a narrower label size or another printer.`,
  };
}

/** A printer found on this computer, with an address ready to use. */
export const printerCandidateSchema = z.object({
  address: printerAddressSchema,
  /** What a person recognises: "USB printer lp0", "CUPS queue Zebra_ZD220", "Serial port COM3 (Prolific)". */
  label: z.string(),
  via: z.enum(['usb', 'serial', 'cups', 'windows']),
});
export type PrinterCandidate = z.infer<typeof printerCandidateSchema>;

export const printerDiscoverySchema = z.object({
  candidates: z.array(printerCandidateSchema),
  /** Places that could not be searched, in plain words ("Serial ports: …"). */
  problems: z.array(z.string()),
});
export type PrinterDiscovery = z.infer<typeof printerDiscoverySchema>;
