// Print an X or Z report: on the till's receipt printer when it has one (the job joins the print queue), else the page's print dialog.
import { shiftReportLines } from '../../../shared/report-print';
import type { ShiftReport } from '../../../shared/shift';
import { useSession } from '../../state/session';
import { useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';
import { printReport } from '../printing/print-actions';
import { defaultPrinter, usePrintQueue } from '../printing/print-queue';

export function PrintShiftReport({
  title,
  report,
  blind = false,
}: {
  title: string;
  report: ShiftReport;
  blind?: boolean;
}) {
  const money = useMoney();
  const dates = useDates();
  const printers = usePrintQueue((s) => s.printers);
  const notify = useSession((s) => s.notify);
  const printer = defaultPrinter(printers, 'receipt');

  async function print() {
    if (!printer) return window.print();
    const outcome = await printReport({
      // The queue shows titles up to 60 characters.
      title: title.slice(0, 60),
      lines: shiftReportLines(title, report, money, dates.dateTime(new Date()), { blind }),
      printerId: printer.id,
    });
    if (!outcome.ok) return notify(outcome.message, 'error');
    const { job } = outcome;
    notify(
      job.status === 'failed'
        ? `The report did not print: ${job.lastError?.message ?? 'the printer failed'}. It waits in the print queue.`
        : `Report sent to ${printer.name}.`,
      job.status === 'failed' ? 'error' : 'info',
    );
  }

  return (
    <button type="button" className="btn" onClick={() => void print()}>
      Print
    </button>
  );
}
