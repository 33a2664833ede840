// The one typed contract between the POS renderer and its host (Electron main, or the browser fallback).
import { z } from 'zod';
import type { HubSearchResult } from './hub-discovery';
import {
  type LabelPrintRequest,
  labelPrintRequestSchema,
  type PrinterConfig,
  type PrinterConfigInput,
  type PrinterDiscovery,
  type PrintJob,
  printerConfigSchema,
  type ReceiptPrintRequest,
  receiptPrintRequestSchema,
} from './printing';
import { type ReportPrintRequest, reportPrintRequestSchema } from './report-print';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Renderer → host calls, named `area-verb`. Every call returns a promise. */
export type PosBridge = {
  'app-info': () => Promise<AppInfo>;
  'window-set-fullscreen': (on: boolean) => Promise<boolean>;
  /** Secrets (the device token, the promo signing key) kept encrypted by the OS keychain; null when none is stored. */
  'secret-get': (name: SecretName) => Promise<string | null>;
  /** Refused where the OS offers no keychain, or only its plain-text fallback. */
  'secret-set': (name: SecretName, value: string | null) => Promise<void>;
  /** Where secrets go on this computer, for Settings to say. */
  'secret-store-info': () => Promise<SecretStoreInfo>;
  /** The ledger this till is enrolled with (null: none): the only address the window may connect to. */
  'ledger-set': (url: string | null) => Promise<void>;
  /** Stall hubs advertising on this network (mDNS), looked for a few seconds. */
  'hubs-find': () => Promise<HubSearchResult>;
  /** Printers set up on this till. */
  'printers-list': () => Promise<PrinterConfig[]>;
  'printers-save': (printer: PrinterConfigInput) => Promise<PrinterConfig[]>;
  'printers-remove': (printerId: string) => Promise<PrinterConfig[]>;
  /** Printers this computer can see (device files, serial ports, CUPS queues, Windows printers), each with an address. */
  'printers-discover': () => Promise<PrinterDiscovery>;
  /** Prints a test page now; the job comes back done or failed with the reason. */
  'printers-test': (printerId: string) => Promise<PrintJob>;
  /** Queues a receipt (the sale is already committed) and tries it at once; failed jobs stay queued. */
  'print-receipt': (request: ReceiptPrintRequest) => Promise<PrintJob>;
  'print-labels': (request: LabelPrintRequest) => Promise<PrintJob>;
  /** Queues a report (the end-of-day Z report) for a receipt printer. */
  'print-report': (request: ReportPrintRequest) => Promise<PrintJob>;
  /** Recent jobs, newest first, failed ones included until printed or cancelled. */
  'print-jobs': () => Promise<PrintJob[]>;
  /** Try a job again, optionally on another printer. */
  'print-retry': (jobId: string, printerId?: string) => Promise<PrintJob>;
  'print-cancel': (jobId: string) => Promise<PrintJob[]>;
};

export const secretNameSchema = z.enum(['device-token', 'promo-signing-key']);
export type SecretName = z.infer<typeof secretNameSchema>;

export const secretStoreInfoSchema = z.object({
  /** True when secrets are encrypted by an OS keychain (not its plain-text fallback). */
  encrypted: z.boolean(),
  /** What holds them, in words: "the OS keychain (gnome_libsecret)", "no keychain (basic_text)". */
  store: z.string(),
});
export type SecretStoreInfo = z.infer<typeof secretStoreInfoSchema>;

/** Host → renderer events and their payloads. */
export type PosEvents = {
  'window-fullscreen-changed': boolean;
  'print-job-changed': PrintJob;
};

/** Argument schemas for every bridge call: the host validates each call against these. */
export const bridgeArgs = {
  'app-info': z.tuple([]),
  'window-set-fullscreen': z.tuple([z.boolean()]),
  'secret-get': z.tuple([secretNameSchema]),
  'secret-set': z.tuple([secretNameSchema, z.string().min(1).max(4096).nullable()]),
  'secret-store-info': z.tuple([]),
  'ledger-set': z.tuple([
    z
      .url({ protocol: /^https?$/, error: 'A ledger address is http://HOST:PORT or https://HOST' })
      .max(2048)
      .nullable(),
  ]),
  'hubs-find': z.tuple([]),
  'printers-list': z.tuple([]),
  'printers-save': z.tuple([printerConfigSchema]),
  'printers-remove': z.tuple([z.string().min(1)]),
  'printers-discover': z.tuple([]),
  'printers-test': z.tuple([z.string().min(1)]),
  'print-receipt': z.tuple([receiptPrintRequestSchema]),
  'print-labels': z.tuple([labelPrintRequestSchema]),
  'print-report': z.tuple([reportPrintRequestSchema]),
  'print-jobs': z.tuple([]),
  'print-retry': z.tuple([z.string().min(1), z.string().min(1).optional()]),
  'print-cancel': z.tuple([z.string().min(1)]),
} satisfies { [K in keyof PosBridge]: z.ZodType<Parameters<PosBridge[K]>> };

export type BridgeChannel = keyof PosBridge;

/** What the preload exposes as `window.pos`. */
export type PosApi = PosBridge & {
  on<E extends keyof PosEvents>(event: E, listener: (payload: PosEvents[E]) => void): () => void;
};
