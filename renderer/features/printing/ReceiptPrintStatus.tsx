// Where a sale's paper receipt stands, beside its preview: printing, printed, or why not — never blocking the till.
import { useState } from 'react';
import type { Sale } from '../../../shared/sale';
import { useStoreSettings } from '../../db/hooks';
import { PrinterPicker } from './PrinterPicker';
import { printReceipt, retryJob } from './print-actions';
import { printProblem } from './print-messages';
import { defaultPrinter, usePrintQueue } from './print-queue';

export function ReceiptPrintStatus({ sale }: { sale: Sale }) {
  const store = useStoreSettings();
  const print = usePrintQueue((s) => s.receiptPrints[sale.id]);
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
    if (store) void printReceipt(sale, store, { printerId: target, reprint: true });
  };
  const retry = (printerId?: string) => {
    setChoosing(false);
    if (job) void retryJob(job.id, printerId);
  };

  const problem = print?.state === 'no-host' ? print.message : job ? printProblem(job) : null;
  const failedJob = job?.status === 'failed' ? job : undefined;
  const busy = print?.state === 'sending' || job?.status === 'printing' || job?.status === 'queued';

  let line: string | null = null;
  if (busy) line = 'Printing the receipt…';
  else if (job?.status === 'done') line = `Receipt printed on “${job.printerName}”.`;
  else if (!problem && hostDown) line = hostDown.message;
  else if (!problem && printers !== undefined && !hasPrinter) line = 'No receipt printer set up.';

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
        <p className="muted">The receipt waits in the print queue (top bar, “Printing”).</p>
      )}
      {hasPrinter && !busy && !failedJob && (
        <button
          type="button"
          className="btn btn-big"
          disabled={!store}
          onClick={() => (defaultPrinter(printers, 'receipt') ? printNow() : setChoosing(true))}
        >
          Print receipt
        </button>
      )}
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
