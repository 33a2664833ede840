// The printing contract between the till and whatever drives its printers (Electron main, or the device host in browser mode).
import { z } from 'zod';
import { productSchema, storeSettingsSchema } from './catalog';
import { saleSchema } from './sale';

export const printerKindSchema = z.enum(['receipt', 'label']);
export const printerLanguageSchema = z.enum(['escpos', 'star', 'tspl', 'zpl']);

/** tcp://HOST:9100, file:/dev/usb/lp0 (or COM3), serial:/dev/ttyUSB0?baud=9600 (or serial:COM3), cups:QUEUE, dir:/folder (virtual printer). */
export const printerAddressSchema = z
  .string()
  .trim()
  .regex(
    /^(tcp:\/\/[^\s/:]+(:\d{1,5})?|file:.+|serial:[^\s?]+(\?baud=\d{3,7})?|cups:[\w.-]+|dir:.+)$/,
    'Use tcp://HOST:9100, file:/dev/usb/lp0, serial:/dev/ttyUSB0?baud=9600, cups:NAME or dir:/folder',
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
  kind: z.enum(['receipt', 'labels', 'test']),
  printerId: z.string(),
  printerName: z.string(),
  createdAt: z.iso.datetime(),
  status: z.enum(['queued', 'printing', 'done', 'failed']),
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
});
export type ReceiptPrintRequest = z.input<typeof receiptPrintRequestSchema>;

export const labelPrintRequestSchema = z.object({
  items: z
    .array(z.object({ product: productSchema, copies: z.number().int().min(1).max(500) }))
    .min(1)
    .max(500),
  store: storeSettingsSchema,
  printerId: z.string().optional(),
  badge: z.string().max(20).optional(),
});
export type LabelPrintRequest = z.input<typeof labelPrintRequestSchema>;
