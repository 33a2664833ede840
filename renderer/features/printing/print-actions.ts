// Asking the host to print: each action returns the job, or a plain-words problem when the host cannot be reached.
import type { StoreSettings } from '../../../shared/catalog';
import type { PrinterConfigInput, PrinterDiscovery, PrintJob } from '../../../shared/printing';
import type { ReportPrintRequest } from '../../../shared/report-print';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import { pos } from '../../bridge';
import type { ProductRow } from '../../db/db';
import { posDb } from '../../db/instance';
import { salePromo } from '../receipt/sale-promo';
import { returnedSale, returnReceiptExtras, saleReturns } from '../receipt/sale-returns';
import { defaultPrinter, type HostProblem, hostProblem, usePrintQueue } from './print-queue';

export type PrintOutcome = { ok: true; job: PrintJob } | ({ ok: false } & HostProblem);

async function track(call: () => Promise<PrintJob>): Promise<PrintOutcome> {
  try {
    const job = await call();
    usePrintQueue.getState().upsertJob(job);
    return { ok: true, job };
  } catch (e) {
    return { ok: false, ...hostProblem(e) };
  }
}

/**
 * Print a committed sale's receipt. The sale is already saved: whatever the printer does,
 * this never throws, and a failed job stays in the queue for Retry.
 */
export async function printReceipt(
  sale: Sale,
  store: StoreSettings,
  options: { printerId?: string; reprint?: boolean } = {},
): Promise<PrintOutcome> {
  const tookCash = sale.tenders.some((t) => t.kind === 'cash');
  const { setReceiptPrint } = usePrintQueue.getState();
  setReceiptPrint(sale.id, { state: 'sending' });
  // Codes redeemed or given with the sale print too (a next-visit code as its QR), and what came back since.
  const [promo, returns] = await Promise.all([
    salePromo(posDb, sale.id).catch(() => undefined),
    saleReturns(posDb, sale.id).catch(() => []),
  ]);
  const outcome = await track(() =>
    pos['print-receipt']({
      sale,
      store,
      promo,
      ...(returns.length > 0 ? { returns } : {}),
      ...(options.printerId ? { printerId: options.printerId } : {}),
      // A reprint never opens the drawer.
      openDrawer: tookCash && !options.reprint,
    }),
  );
  setReceiptPrint(
    sale.id,
    outcome.ok
      ? { state: 'sent', jobId: outcome.job.id }
      : { state: 'no-host', code: outcome.code, message: outcome.message },
  );
  return outcome;
}

/**
 * Print a recorded return's receipt (the return is already saved: this never throws). Cash going
 * back opens the drawer, except on a reprint. `sale` is the sale the goods came from; without it
 * the till looks it up. Its print state is kept under the return's id for `ReceiptPrintStatus`.
 */
export async function printReturnReceipt(
  saleReturn: SaleReturn,
  store: StoreSettings,
  options: { sale?: Sale; printerId?: string; reprint?: boolean } = {},
): Promise<PrintOutcome> {
  const { setReceiptPrint } = usePrintQueue.getState();
  setReceiptPrint(saleReturn.id, { state: 'sending' });
  const sale = options.sale ?? (await returnedSale(posDb, saleReturn).catch(() => undefined));
  if (!sale) {
    const problem = {
      code: 'sale-not-found',
      message: `Sale ${saleReturn.saleReceiptNumber} is not on this till, so its return receipt cannot be printed here.`,
    };
    setReceiptPrint(saleReturn.id, { state: 'no-host', ...problem });
    return { ok: false, ...problem };
  }
  const extras = await returnReceiptExtras(posDb, saleReturn).catch(() => ({}));
  const cashBack = saleReturn.refunds.some((t) => t.kind === 'cash');
  const outcome = await track(() =>
    pos['print-receipt']({
      sale,
      store,
      returnReceipt: { return: saleReturn, ...extras },
      ...(options.printerId ? { printerId: options.printerId } : {}),
      openDrawer: cashBack && !options.reprint,
    }),
  );
  setReceiptPrint(
    saleReturn.id,
    outcome.ok
      ? { state: 'sent', jobId: outcome.job.id }
      : { state: 'no-host', code: outcome.code, message: outcome.message },
  );
  return outcome;
}

/** Right after a return is recorded: its receipt on the default receipt printer, if this till has one. */
export function autoPrintReturnReceipt(
  saleReturn: SaleReturn,
  store: StoreSettings,
  sale?: Sale,
): void {
  const printer = defaultPrinter(usePrintQueue.getState().printers, 'receipt');
  if (printer)
    void printReturnReceipt(saleReturn, store, {
      printerId: printer.id,
      ...(sale ? { sale } : {}),
    });
}

/** Right after a sale commits: print on the default receipt printer, if this till has one. */
export function autoPrintReceipt(sale: Sale, store: StoreSettings): void {
  const printer = defaultPrinter(usePrintQueue.getState().printers, 'receipt');
  if (printer) void printReceipt(sale, store, { printerId: printer.id });
}

export function retryJob(jobId: string, printerId?: string): Promise<PrintOutcome> {
  return track(() => pos['print-retry'](jobId, printerId));
}

export async function cancelJob(
  jobId: string,
): Promise<{ ok: true } | ({ ok: false } & HostProblem)> {
  try {
    usePrintQueue.getState().setJobs(await pos['print-cancel'](jobId));
    return { ok: true };
  } catch (e) {
    return { ok: false, ...hostProblem(e) };
  }
}

/** The catalog row without the till's search index: what a label shows. */
function labelProduct(p: ProductRow & { priceText?: string }) {
  const { sku, name, price, taxClassId, category, barcodes, active, drop, priceText } = p;
  return {
    sku,
    name,
    price,
    taxClassId,
    category,
    barcodes,
    active,
    ...(drop ? { drop } : {}),
    ...(priceText ? { priceText } : {}),
  };
}

export function printLabels(
  items: { product: ProductRow & { priceText?: string }; copies: number }[],
  store: StoreSettings,
  printerId?: string,
): Promise<PrintOutcome> {
  return track(() =>
    pos['print-labels']({
      items: items.map((i) => ({ product: labelProduct(i.product), copies: i.copies })),
      store,
      ...(printerId ? { printerId } : {}),
    }),
  );
}

export function testPrinter(printerId: string): Promise<PrintOutcome> {
  return track(() => pos['printers-test'](printerId));
}

export type SaveOutcome = { ok: true } | { ok: false; code: string; message: string };

export async function savePrinter(printer: PrinterConfigInput): Promise<SaveOutcome> {
  try {
    usePrintQueue.getState().setPrinters(await pos['printers-save'](printer));
    return { ok: true };
  } catch (e) {
    return { ok: false, ...hostProblem(e) };
  }
}

export async function removePrinter(printerId: string): Promise<SaveOutcome> {
  try {
    usePrintQueue.getState().setPrinters(await pos['printers-remove'](printerId));
    return { ok: true };
  } catch (e) {
    return { ok: false, ...hostProblem(e) };
  }
}

/** What printers this computer can see, for the printer form's "Find printers". */
export async function findPrinters(): Promise<
  { ok: true; found: PrinterDiscovery } | ({ ok: false } & HostProblem)
> {
  try {
    return { ok: true, found: await pos['printers-discover']() };
  } catch (e) {
    return { ok: false, ...hostProblem(e) };
  }
}

/** A report (the end-of-day Z report) on the default receipt printer, or the one chosen. */
export function printReport(request: ReportPrintRequest): Promise<PrintOutcome> {
  return track(() => pos['print-report'](request));
}
