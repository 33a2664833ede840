// What a print job's state means for the person at the till, in plain words.
import type { PrintJob } from '../../../shared/printing';

/** Fallbacks by stable code, for a host that sends a code without words. */
const BY_CODE: Record<string, string> = {
  'printer-unreachable': 'is not answering',
  'printer-timeout': 'did not finish the job (check the paper before retrying)',
  'paper-out': 'is out of paper',
  'cover-open': 'has its cover open',
  'bad-printer-address': 'has an address the till cannot use',
};

/**
 * Why the printer did not print. The host words its messages for the till ("Receipt printer
 * at 192.168.1.50 is not answering — the sale is saved. …"), so they are shown as they come.
 */
export function printProblem(job: PrintJob): string | null {
  if (job.status !== 'failed' || !job.lastError) return null;
  const { code, message } = job.lastError;
  if (message.trim()) return message.trim();
  if (code === 'no-printer') return 'No printer of this kind is set up.';
  return `Printer “${job.printerName}” ${BY_CODE[code] ?? 'could not print'}.`;
}

/**
 * A job the printer took whole but never confirmed: said as such, never as a failure, so
 * nobody reprints a receipt that came out ("sent, not confirmed").
 */
export function unconfirmedNote(job: PrintJob): string | null {
  if (job.status !== 'sent') return null;
  return `Sent to “${job.printerName}”, not confirmed: the printer took the whole job but did not say it printed. Check the printer before printing again.`;
}

export function statusWords(job: PrintJob): string {
  switch (job.status) {
    case 'queued':
      return job.attempts > 0 ? 'Waiting to retry' : 'Waiting';
    case 'printing':
      return 'Printing…';
    case 'sent':
      return 'Sent, not confirmed';
    case 'done':
      return 'Printed';
    case 'failed':
      return 'Not printed';
  }
}
