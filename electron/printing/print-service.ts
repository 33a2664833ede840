// Owns the till's printer settings and its print queue: jobs are stored before they are tried, kept when they fail, retried, and survive a restart.
import path from 'node:path';
import { ulid } from 'ulid';
import { z } from 'zod';
import {
  type LabelPrintRequest,
  labelPrintRequestSchema,
  type PrinterConfig,
  type PrinterConfigInput,
  type PrintJob,
  printerConfigSchema,
  printJobSchema,
  type ReceiptPrintRequest,
  receiptPrintRequestSchema,
} from '../../shared/printing';
import { type ReportPrintRequest, reportPrintRequestSchema } from '../../shared/report-print';
import { readJsonFile, writeJsonFile } from './json-file';
import {
  encodeForPrinter,
  failureMessage,
  type PrintRequest,
  printerKindFor,
  summarize,
} from './print-pages';
import { printerAddressProblem } from './printer-address-policy';
import { type SendOptions, sendToPrinter } from './transports';

/** A failure the caller made (no such job or printer): thrown, with a stable code for the device host. */
export class PrintServiceError extends Error {
  constructor(
    readonly code: 'job-not-found' | 'printer-not-found' | 'job-busy' | 'bad-printer-address',
    message: string,
  ) {
    super(message);
  }
}

const requestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('receipt'), receipt: receiptPrintRequestSchema }),
  z.object({ kind: z.literal('labels'), labels: labelPrintRequestSchema }),
  z.object({ kind: z.literal('report'), report: reportPrintRequestSchema }),
  z.object({ kind: z.literal('test') }),
]);
const storedJobSchema = printJobSchema.extend({ request: requestSchema });
type StoredJob = PrintJob & { request: PrintRequest };

/**
 * Failures worth trying again unattended: the printer never took the job. A timeout or a
 * dropped connection mid-job may already have printed (see transports.ts), so a person decides.
 */
const RETRY_UNATTENDED = new Set(['printer-unreachable', 'paper-out', 'cover-open']);

export interface PrintServiceOptions {
  /** Folder for printers.json and jobs.json (Electron: userData/printing; browser mode: ./data/printing); virtual printers (dir:) only inside it. */
  dataDir: string;
  /** Where printer device files live (default /dev); tests give a folder of their own. */
  devicesDir?: string;
  /** Transport timeouts; tests shorten them. */
  send?: SendOptions;
  /** How often failed jobs are tried again in the background; 0 turns it off. */
  retryEveryMs?: number;
  /** Done jobs kept for reprinting, newest first. */
  keepDone?: number;
  now?: () => Date;
  /** The receipt logo PNG (default assets/receipt-logo.png under the working folder); printed when it exists. */
  receiptLogoFile?: string;
}

export class PrintService {
  private printers: PrinterConfig[] = [];
  private queue: StoredJob[] = [];
  private readonly listeners = new Set<(job: PrintJob) => void>();
  /** One attempt at a time per printer address: a raw port takes one connection. */
  private readonly lanes = new Map<string, Promise<unknown>>();
  /** Attempts not finished yet, by job id: a second retry joins the first instead of printing twice. */
  private readonly pending = new Map<string, Promise<StoredJob>>();
  private writes: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;

  private constructor(private readonly options: PrintServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Loads the folder's printers and jobs, then tries anything that was queued when the till stopped. */
  static async open(options: PrintServiceOptions): Promise<PrintService> {
    const service = new PrintService(options);
    service.printers = await readJsonFile(
      service.file('printers'),
      z.array(printerConfigSchema),
      [],
    );
    const jobs = await readJsonFile(service.file('jobs'), z.array(storedJobSchema), []);
    service.queue = jobs.map((job) =>
      // It was being sent when PopTill stopped: it may have printed, so a person decides.
      job.status === 'printing'
        ? {
            ...job,
            status: 'failed' as const,
            lastError: {
              code: 'interrupted',
              message: `PopTill stopped while "${job.summary}" was printing: check the printer, then retry if nothing came out.`,
            },
          }
        : job,
    );
    for (const job of service.queue.filter((j) => j.status === 'queued')) void service.attempt(job);
    const every = options.retryEveryMs ?? 30_000;
    if (every > 0) {
      service.timer = setInterval(() => service.retryUnattended(), every);
      service.timer.unref();
    }
    return service;
  }

  /** Stops background retries and waits for pending writes. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.lanes.values()]);
    await this.writes;
  }

  onJobChanged(listener: (job: PrintJob) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- printers ---

  listPrinters(): PrinterConfig[] {
    return this.printers.map((p) => ({ ...p }));
  }

  /** Adds or replaces a printer; the first of its kind, or one marked default, becomes the default. */
  async savePrinter(input: PrinterConfigInput): Promise<PrinterConfig[]> {
    const printer = printerConfigSchema.parse(input);
    const refused = this.addressProblem(printer.address);
    if (refused) throw new PrintServiceError('bad-printer-address', refused);
    const others = this.printers.filter((p) => p.id !== printer.id);
    const firstOfKind = !others.some((p) => p.kind === printer.kind);
    const saved = { ...printer, isDefault: printer.isDefault || firstOfKind };
    this.printers = [
      ...others.map((p) =>
        saved.isDefault && p.kind === saved.kind ? { ...p, isDefault: false } : p,
      ),
      saved,
    ];
    await this.persist();
    return this.listPrinters();
  }

  async removePrinter(printerId: string): Promise<PrinterConfig[]> {
    const removed = this.printerById(printerId);
    this.printers = this.printers.filter((p) => p.id !== printerId);
    const next = this.printers.find((p) => p.kind === removed.kind);
    if (removed.isDefault && next) next.isDefault = true;
    await this.persist();
    return this.listPrinters();
  }

  /** Prints a short test page now; comes back done or failed with the reason. */
  async testPrinter(printerId: string): Promise<PrintJob> {
    this.printerById(printerId);
    return this.submit({ kind: 'test' }, printerId);
  }

  // --- jobs ---

  async printReceipt(request: ReceiptPrintRequest): Promise<PrintJob> {
    const receipt = receiptPrintRequestSchema.parse(request);
    return this.submit({ kind: 'receipt', receipt }, receipt.printerId);
  }

  async printLabels(request: LabelPrintRequest): Promise<PrintJob> {
    const labels = labelPrintRequestSchema.parse(request);
    return this.submit({ kind: 'labels', labels }, labels.printerId);
  }

  /** A report (the Z report) on a receipt printer. */
  async printReport(request: ReportPrintRequest): Promise<PrintJob> {
    const report = reportPrintRequestSchema.parse(request);
    return this.submit({ kind: 'report', report }, report.printerId);
  }

  /** Newest first. */
  jobs(): PrintJob[] {
    return this.queue.map(publicJob);
  }

  /** Tries a job again now, on `printerId` when given; a job being sent right now is left alone. */
  async retry(jobId: string, printerId?: string): Promise<PrintJob> {
    const job = this.jobById(jobId);
    const running = this.pending.get(job.id);
    if (running) return publicJob(await running);
    if (printerId) {
      const printer = this.printerById(printerId);
      Object.assign(job, { printerId: printer.id, printerName: printer.name });
    }
    return publicJob(await this.attempt(job));
  }

  async cancel(jobId: string): Promise<PrintJob[]> {
    const job = this.jobById(jobId);
    if (job.status === 'printing') {
      throw new PrintServiceError('job-busy', `"${job.summary}" is printing right now.`);
    }
    this.queue = this.queue.filter((j) => j !== job);
    await this.persist();
    return this.jobs();
  }

  /** One pass of the background retry: failed jobs whose printer never took them. */
  async retryUnattended(): Promise<void> {
    const due = this.queue.filter(
      (j) => j.status === 'failed' && j.lastError && RETRY_UNATTENDED.has(j.lastError.code),
    );
    await Promise.all(due.map((job) => this.attempt(job)));
  }

  private async submit(request: PrintRequest, printerId: string | undefined): Promise<PrintJob> {
    const printer = this.pickPrinter(request, printerId);
    const job: StoredJob = {
      id: ulid(this.now().getTime()),
      kind: request.kind,
      printerId: printer?.id ?? '',
      printerName: printer?.name ?? '',
      createdAt: this.now().toISOString(),
      status: 'queued',
      attempts: 0,
      lastError: null,
      summary: summarize(request),
      saleId: request.kind === 'receipt' ? request.receipt.sale.id : null,
      request,
    };
    this.queue.unshift(job);
    // Stored before it is tried: a crash from here on still leaves the job to print.
    await this.changed(job);
    return publicJob(await this.attempt(job));
  }

  private pickPrinter(request: PrintRequest, printerId: string | undefined) {
    if (printerId) return this.printerById(printerId);
    const kind = printerKindFor(request);
    return this.printers.find((p) => p.kind === kind && p.isDefault);
  }

  /** Sends a job to its printer (or the default of its kind) and records how it went. */
  private attempt(job: StoredJob): Promise<StoredJob> {
    const running = this.pending.get(job.id);
    if (running) return running;
    const printer =
      this.printers.find((p) => p.id === job.printerId) ?? this.pickPrinter(job.request, undefined);
    const lane = printer?.address ?? '';
    const run = (this.lanes.get(lane) ?? Promise.resolve()).then(async () => {
      if (!printer) {
        const kind = printerKindFor(job.request) ?? 'receipt';
        const kept = job.kind === 'receipt' ? ' The sale is saved.' : '';
        return this.settle(job, {
          code: 'no-printer',
          message: `No ${kind} printer is set up: add one in Settings → Printers, then retry.${kept}`,
        });
      }
      Object.assign(job, { printerId: printer.id, printerName: printer.name, status: 'printing' });
      job.attempts += 1;
      await this.changed(job);
      const encoded = encodeForPrinter(
        job.request,
        printer,
        this.now(),
        this.options.receiptLogoFile ? { logoFile: this.options.receiptLogoFile } : {},
      );
      if (!encoded.ok) return this.settle(job, { code: encoded.code, message: encoded.message });
      const refused = this.addressProblem(printer.address);
      if (refused) return this.settle(job, { code: 'bad-printer-address', message: refused });
      const result = await sendToPrinter(printer.address, encoded.bytes, {
        ...this.options.send,
        // ESC/POS and Star printers can say they are out of paper; TSPL/ZPL ones are not asked.
        statusCheck: printer.language === 'escpos' || printer.language === 'star',
        statusDialect: printer.language === 'star' ? 'star' : 'escpos',
      });
      if (result.ok) return this.settle(job, null, result.unconfirmed ? 'sent' : 'done');
      const message = failureMessage(job.request, printer, result.code, result.message);
      return this.settle(job, { code: result.code, message });
    });
    const tail = run.catch(() => {});
    this.lanes.set(lane, tail);
    this.pending.set(job.id, run);
    void tail.then(() => {
      this.pending.delete(job.id);
      if (this.lanes.get(lane) === tail) this.lanes.delete(lane);
    });
    return run;
  }

  private async settle(
    job: StoredJob,
    error: PrintJob['lastError'],
    delivered: 'done' | 'sent' = 'done',
  ): Promise<StoredJob> {
    Object.assign(job, { status: error ? 'failed' : delivered, lastError: error });
    await this.changed(job);
    return job;
  }

  private async changed(job: StoredJob): Promise<void> {
    await this.persist();
    const snapshot = publicJob(job);
    for (const listener of this.listeners) listener(snapshot);
  }

  /** Writes both files, one write after another; done jobs beyond `keepDone` are dropped. */
  private persist(): Promise<void> {
    const keep = this.options.keepDone ?? 200;
    let done = 0;
    this.queue = this.queue.filter((j) => j.status !== 'done' || ++done <= keep);
    const printers = this.listPrinters();
    const jobs = this.queue.map((j) => ({ ...j }));
    const write = this.writes.then(async () => {
      await writeJsonFile(this.file('printers'), printers);
      await writeJsonFile(this.file('jobs'), jobs);
    });
    this.writes = write.catch((error) =>
      console.error('PopTill could not save the print queue', error),
    );
    return write;
  }

  private addressProblem(address: string): string | null {
    const { dataDir, devicesDir } = this.options;
    return printerAddressProblem(address, { dataDir, ...(devicesDir ? { devicesDir } : {}) });
  }

  private file(name: 'printers' | 'jobs'): string {
    return path.join(this.options.dataDir, `${name}.json`);
  }

  private printerById(printerId: string): PrinterConfig {
    const printer = this.printers.find((p) => p.id === printerId);
    if (!printer)
      throw new PrintServiceError('printer-not-found', `There is no printer "${printerId}".`);
    return printer;
  }

  private jobById(jobId: string): StoredJob {
    const job = this.queue.find((j) => j.id === jobId);
    if (!job) throw new PrintServiceError('job-not-found', `There is no print job "${jobId}".`);
    return job;
  }
}

/** The job as the bridge shows it: without the stored request (a whole sale). */
function publicJob({ request: _request, ...job }: StoredJob): PrintJob {
  return { ...job, lastError: job.lastError ? { ...job.lastError } : null };
}
