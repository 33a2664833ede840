// The print queue: each recent job with its state and reason, Retry (here or on another printer) and Cancel; live.
import { useState } from 'react';
import type { PrintJob } from '../../../shared/printing';
import { useDates } from '../../ui/dates';
import { PrinterPicker } from './PrinterPicker';
import { cancelJob, retryJob } from './print-actions';
import { printProblem, statusWords, unconfirmedNote } from './print-messages';
import { usePrintQueue } from './print-queue';

function JobRow({ job }: { job: PrintJob }) {
  const dates = useDates();
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problem = printProblem(job);
  const act = async (run: () => Promise<{ ok: boolean; message?: string }>) => {
    setBusy(true);
    const outcome = await run();
    setBusy(false);
    setChoosing(false);
    setError(outcome.ok ? null : (outcome.message ?? null));
  };
  const canAct = job.status === 'failed' || job.status === 'queued' || job.status === 'sent';
  const sent = job.status === 'sent';
  const note = unconfirmedNote(job);
  return (
    <li className={`job job-${job.status}`} data-testid="print-job" data-status={job.status}>
      <div className="job-head">
        <strong>{job.summary}</strong>
        <span className="job-status">{statusWords(job)}</span>
      </div>
      <p className="muted">
        {job.printerName} · {dates.time(job.createdAt)}
        {job.attempts > 1 && ` · ${job.attempts} tries`}
      </p>
      {problem && <p className="error">{problem}</p>}
      {note && <p className="warn-line">{note}</p>}
      {error && <p className="error">{error}</p>}
      {canAct && (
        <div className="actions">
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void act(() => retryJob(job.id))}
          >
            {sent ? 'Print again' : 'Retry'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => setChoosing(!choosing)}
          >
            Another printer…
          </button>
          <button
            type="button"
            className={sent ? 'btn' : 'btn danger'}
            disabled={busy}
            onClick={() => void act(() => cancelJob(job.id))}
          >
            {sent ? 'It printed' : 'Cancel'}
          </button>
        </div>
      )}
      {choosing && (
        <PrinterPicker
          kind={job.kind === 'labels' ? 'label' : 'receipt'}
          current={job.printerId}
          onPick={(p) => void act(() => retryJob(job.id, p.id))}
        />
      )}
    </li>
  );
}

export function PrintQueuePanel() {
  const jobs = usePrintQueue((s) => s.jobs);
  const problem = usePrintQueue((s) => s.problem);
  return (
    <section className="stack print-queue" aria-label="Print queue">
      {problem && <p className="error">{problem.message}</p>}
      {jobs.length === 0 && !problem && <p className="muted">Nothing printed yet.</p>}
      <ol className="job-list">
        {jobs.slice(0, 30).map((j) => (
          <JobRow key={j.id} job={j} />
        ))}
      </ol>
    </section>
  );
}
