// Where a sale's (or a return's) paper receipt stands, beside its preview: printing, printed, or why not — never blocking the till.
import { useState } from 'react';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import { useStoreSettings } from '../../db/hooks';
import { ReceiptWithoutPrinter } from '../receipt/ReceiptWithoutPrinter';
import { PrinterPicker } from './PrinterPicker';
import { printReceipt, printReturnReceipt, retryJob } from './print-actions';
import { printProblem } from './print-messages';
import { defaultPrinter, usePrintQueue } from './print-queue';

/** A sale's receipt, or with `saleReturn` that return's receipt (`sale`, when given, is the one the goods came from). */
type Props = { sale: Sale; saleReturn?: undefined } | { saleReturn: SaleReturn; sale?: Sale };

export function ReceiptPrintStatus({ sale, saleReturn }: Props) {
  const store = useStoreSettings();
  const key = saleReturn?.id ?? sale?.id ?? '';
  const what = saleReturn ? 'return receipt' : 'receipt';
  const print = usePrintQueue((s) => s.receiptPrints[key]);
  const job = usePrintQueue((s) =>
    print?.state === 'sent' ? s.jobs.find((j) => j.id === print.jobId) : undefined,
  );
  const printers = usePrintQueue((s) => s.printers);
  const hostDown = usePrintQueue((s) => s.problem);
  const [later, setLater] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(false);
  const hasPrinter = (printers ?? []).some((p) => p.kind === 'receipt');

  const printNow = (printerId?: string) => {
    setChoosing(false);
    setLater(null);
    const target = printerId ?? defaultPrinter(printers, 'receipt')?.id;
    if (!store) return;
    if (saleReturn) {
      void printReturnReceipt(saleReturn, store, {
        ...(sale ? { sale } : {}),
        ...(target ? { printerId: target } : {}),
        reprint: true,
      });
    } else if (sale) {
      void printReceipt(sale, store, { printerId: target, reprint: true });
    }
  };
  const retry = (printerId?: string) => {
    setChoosing(false);
    if (job) void retryJob(job.id, printerId);
  };

  const problem = print?.state === 'no-host' ? print.message : job ? printProblem(job) : null;
  const failedJob = job?.status === 'failed' ? job : undefined;
  const busy = print?.state === 'sending' || job?.status === 'printing' || job?.status === 'queued';

  let line: string | null = null;
  if (busy) line = `Printing the ${what}…`;
  else if (job?.status === 'done') line = `${capitalized(what)} printed on “${job.printerName}”.`;
  else if (job?.status === 'sent')
    line = `${capitalized(what)} sent to “${job.printerName}”, not confirmed: check the printer before printing again.`;
  else if (!problem && hostDown) line = hostDown.message;
  else if (!problem && printers !== undefined && !hasPrinter)
    line = 'No receipt printer set up: show the receipt as a QR, or print it on any printer.';

  return (
    <section className="receipt-print" aria-label="Paper receipt" aria-live="polite">
      {line && (
        <p className="muted" data-testid="receipt-print-status">
          {line}
        </p>
      )}
      {problem && later !== (job?.id ?? 'host') && (
        <div className="print-problem" role="alert" data-testid="receipt-print-problem">
          <p>{problem}</p>
          <div className="actions">
            {failedJob ? (
              <button type="button" className="btn btn-big" onClick={() => retry()}>
                Retry
              </button>
            ) : (
              <button type="button" className="btn btn-big" onClick={() => printNow()}>
                Try again
              </button>
            )}
            <button
              type="button"
              className="btn btn-big"
              onClick={() => setLater(job?.id ?? 'host')}
            >
              Print later
            </button>
            {failedJob && hasPrinter && (
              <button type="button" className="btn btn-big" onClick={() => setChoosing(!choosing)}>
                Choose another printer
              </button>
            )}
          </div>
        </div>
      )}
      {later && later === job?.id && (
        <p className="muted">The {what} waits in the print queue (top bar, “Printing”).</p>
      )}
      {hasPrinter && !busy && !failedJob && (
        <button
          type="button"
          className="btn btn-big"
          disabled={!store}
          onClick={() => (defaultPrinter(printers, 'receipt') ? printNow() : setChoosing(true))}
        >
          Print {what}
        </button>
      )}
      {(hostDown || (printers !== undefined && !hasPrinter)) &&
        (saleReturn ? (
          <ReceiptWithoutPrinter saleReturn={saleReturn} {...(sale ? { sale } : {})} />
        ) : sale ? (
          <ReceiptWithoutPrinter sale={sale} />
        ) : null)}
      {choosing && (
        <PrinterPicker
          kind="receipt"
          current={failedJob?.printerId}
          onPick={(p) => (failedJob ? retry(p.id) : printNow(p.id))}
        />
      )}
    </section>
  );
}

/** "Receipt", "Return receipt": the start of a sentence. */
function capitalized(what: string): string {
  return what.charAt(0).toUpperCase() + what.slice(1);
}
