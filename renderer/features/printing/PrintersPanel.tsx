// Printer settings for managers: the till's printers, adding and changing one, a test print, removing one.
import { useState } from 'react';
import type { PrinterConfig } from '../../../shared/printing';
import { useSession } from '../../state/session';
import { Dialog } from '../../ui/Dialog';
import { setSystemPaperWidth, useSystemPaperWidth } from '../receipt/paper-width';
import { PrinterForm } from './PrinterForm';
import { removePrinter, testPrinter } from './print-actions';
import { printProblem } from './print-messages';
import { loadPrintQueue, usePrintQueue } from './print-queue';

type TestResult = { ok: boolean; text: string };

function printerSummary(p: PrinterConfig): string {
  const language = { escpos: 'ESC/POS', star: 'Star', tspl: 'TSPL', zpl: 'ZPL' }[p.language];
  const size =
    p.kind === 'receipt'
      ? `${p.paperWidthMm} mm paper`
      : `${p.labelSize.widthMm}×${p.labelSize.heightMm} mm labels, ${p.dpi} dpi${
          p.language === 'escpos'
            ? `, ${p.paperWidthMm} mm paper`
            : p.maxWidthMm
              ? `, up to ${p.maxWidthMm} mm wide`
              : ''
        }`;
  return `${p.kind === 'receipt' ? 'Receipts' : 'Labels'} · ${language} · ${size}`;
}

/** The roll the system print dialog prints receipts on when this till has no receipt printer. */
function SystemPaper() {
  const mm = useSystemPaperWidth();
  return (
    <label className="system-paper">
      Without a receipt printer, “Print…” uses the print dialog on
      <select value={mm} onChange={(e) => setSystemPaperWidth(e.target.value === '58' ? 58 : 80)}>
        <option value="80">80 mm paper</option>
        <option value="58">58 mm paper</option>
      </select>
    </label>
  );
}

export function PrintersPanel() {
  const printers = usePrintQueue((s) => s.printers);
  const problem = usePrintQueue((s) => s.problem);
  const notify = useSession((s) => s.notify);
  const [editing, setEditing] = useState<PrinterConfig | 'new' | null>(null);
  const [removing, setRemoving] = useState<PrinterConfig | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, TestResult>>({});

  const test = async (p: PrinterConfig) => {
    setBusy(p.id);
    setResults((r) => ({ ...r, [p.id]: { ok: true, text: 'Printing a test page…' } }));
    const outcome = await testPrinter(p.id);
    setBusy(null);
    const result: TestResult = !outcome.ok
      ? { ok: false, text: outcome.message }
      : outcome.job.status === 'failed'
        ? { ok: false, text: printProblem(outcome.job) ?? 'The test page did not print.' }
        : { ok: true, text: 'Test page sent. Check the printer.' };
    setResults((r) => ({ ...r, [p.id]: result }));
  };

  const remove = async (p: PrinterConfig) => {
    const outcome = await removePrinter(p.id);
    setRemoving(null);
    notify(
      outcome.ok ? `Printer “${p.name}” removed.` : outcome.message,
      outcome.ok ? 'info' : 'error',
    );
  };

  return (
    <section className="stack printers" aria-label="Printers">
      <h2>Printers</h2>
      {problem && (
        <div className="row">
          <p className="error">{problem.message}</p>
          <button type="button" className="btn" onClick={() => void loadPrintQueue()}>
            Try again
          </button>
        </div>
      )}
      {printers?.length === 0 && !problem && (
        <p className="muted">No printers yet. Add the receipt printer and the label printer.</p>
      )}
      <ul className="printer-list">
        {printers?.map((p) => (
          <li key={p.id} className="printer-card" data-testid="printer">
            <div className="printer-head">
              <strong>{p.name}</strong>
              {p.isDefault && <span className="badge">Default</span>}
            </div>
            <p className="muted">{printerSummary(p)}</p>
            <p className="mono">{p.address}</p>
            {results[p.id] && (
              <p
                className={results[p.id]!.ok ? 'success' : 'error'}
                role="status"
                data-testid="test-result"
              >
                {results[p.id]!.text}
              </p>
            )}
            <div className="actions">
              <button
                type="button"
                className="btn"
                disabled={busy === p.id}
                onClick={() => void test(p)}
              >
                Test print
              </button>
              <button type="button" className="btn" onClick={() => setEditing(p)}>
                Edit
              </button>
              <button type="button" className="btn danger" onClick={() => setRemoving(p)}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="btn btn-big"
        disabled={printers === undefined || problem !== null}
        onClick={() => setEditing('new')}
      >
        Add printer
      </button>
      <SystemPaper />
      {editing && (
        <Dialog
          title={editing === 'new' ? 'Add printer' : `Printer “${editing.name}”`}
          onClose={() => setEditing(null)}
        >
          <PrinterForm
            printer={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        </Dialog>
      )}
      {removing && (
        <Dialog title={`Remove printer “${removing.name}”?`} onClose={() => setRemoving(null)}>
          <p>The till stops printing to it. You can add it again at any time.</p>
          <div className="actions">
            <button type="button" className="btn btn-big" onClick={() => setRemoving(null)}>
              Keep it
            </button>
            <button
              type="button"
              className="btn danger btn-big"
              onClick={() => void remove(removing)}
            >
              Remove
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
