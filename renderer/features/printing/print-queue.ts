// The till's view of its printers and print jobs, mirrored from the host (Electron main or the device host).
import { create } from 'zustand';
import type { PrinterConfig, PrintJob } from '../../../shared/printing';
import { pos } from '../../bridge';

/** A bridge call that failed: the host's stable code and plain-words message, or ours when it gave none. */
export type HostProblem = { code: string; message: string };

/** Where a sale's receipt print stands: being handed to the host, queued as a job, or the host refusing. */
export type ReceiptPrint =
  | { state: 'sending' }
  | { state: 'sent'; jobId: string }
  | ({ state: 'no-host' } & HostProblem);

interface PrintQueueState {
  /** undefined until first loaded. */
  printers: PrinterConfig[] | undefined;
  /** Newest first, as the host keeps them. */
  jobs: PrintJob[];
  /** Each sale's latest receipt print, so the receipt screen can follow it. */
  receiptPrints: Record<string, ReceiptPrint>;
  problem: HostProblem | null;
  setPrinters: (printers: PrinterConfig[]) => void;
  setJobs: (jobs: PrintJob[]) => void;
  upsertJob: (job: PrintJob) => void;
  setReceiptPrint: (saleId: string, print: ReceiptPrint) => void;
  setProblem: (problem: HostProblem | null) => void;
}

export const usePrintQueue = create<PrintQueueState>()((set) => ({
  printers: undefined,
  jobs: [],
  receiptPrints: {},
  problem: null,
  setPrinters: (printers) => set({ printers }),
  setJobs: (jobs) => set({ jobs }),
  upsertJob: (job) =>
    set((s) => {
      const at = s.jobs.findIndex((j) => j.id === job.id);
      if (at < 0) return { jobs: [job, ...s.jobs] };
      const jobs = [...s.jobs];
      jobs[at] = job;
      return { jobs };
    }),
  setReceiptPrint: (saleId, print) =>
    set((s) => ({ receiptPrints: { ...s.receiptPrints, [saleId]: print } })),
  setProblem: (problem) => set({ problem }),
}));

/** A failed call to the host in words a person can act on (the bridge names its failures with a code). */
export function hostProblem(error: unknown): HostProblem {
  console.error('Printing host call failed', error);
  const named = error as { code?: unknown; message?: unknown } | null;
  if (typeof named?.code === 'string' && typeof named.message === 'string' && named.message) {
    return { code: named.code, message: named.message };
  }
  return {
    code: 'printing-unavailable',
    message: 'Printing is not connected on this till. Sales still save; print receipts later.',
  };
}

/** Ask the host for its printers and jobs; a host that cannot be reached is recorded as the problem. */
export async function loadPrintQueue(): Promise<void> {
  const { setPrinters, setJobs, setProblem } = usePrintQueue.getState();
  try {
    const [printers, jobs] = await Promise.all([pos['printers-list'](), pos['print-jobs']()]);
    setPrinters(printers);
    setJobs(jobs);
    setProblem(null);
  } catch (e) {
    setPrinters([]);
    setProblem(hostProblem(e));
  }
}

/** Load printers and jobs, then follow every job change the host reports. Returns the unsubscribe. */
export function followPrintQueue(): () => void {
  const { upsertJob, setProblem } = usePrintQueue.getState();
  void loadPrintQueue();
  try {
    return pos.on('print-job-changed', upsertJob);
  } catch (e) {
    setProblem(hostProblem(e));
    return () => {};
  }
}

/** The default printer of a kind, or the only one of that kind. */
export function defaultPrinter(
  printers: PrinterConfig[] | undefined,
  kind: PrinterConfig['kind'],
): PrinterConfig | undefined {
  const ofKind = (printers ?? []).filter((p) => p.kind === kind);
  return ofKind.find((p) => p.isDefault) ?? (ofKind.length === 1 ? ofKind[0] : undefined);
}

/** Jobs a person may need to act on: waiting, printing, or failed. */
export function openJobs(jobs: PrintJob[]): PrintJob[] {
  return jobs.filter((j) => j.status !== 'done');
}
