// The top bar's way into the print queue: shows only while jobs wait or failed, and says how many.
import { useState } from 'react';
import { PanelDialog } from '../../ui/PanelDialog';
import { PrintQueuePanel } from './PrintQueuePanel';
import { openJobs, usePrintQueue } from './print-queue';

export function PrintingButton() {
  const jobs = usePrintQueue((s) => s.jobs);
  const [open, setOpen] = useState(false);
  const waiting = openJobs(jobs);
  const failed = waiting.filter((j) => j.status === 'failed').length;
  if (waiting.length === 0 && !open) return null;
  const unconfirmed = waiting.filter((j) => j.status === 'sent').length;
  const label =
    failed > 0
      ? `Printing: ${failed} not printed`
      : unconfirmed > 0
        ? `Printing: ${unconfirmed} not confirmed`
        : `Printing: ${waiting.length} waiting`;
  return (
    <>
      <button
        type="button"
        className={
          failed > 0 ? 'btn btn-small printing-pill printing-failed' : 'btn btn-small printing-pill'
        }
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
      {open && (
        <PanelDialog title="Print queue" onClose={() => setOpen(false)}>
          <PrintQueuePanel />
        </PanelDialog>
      )}
    </>
  );
}
