// Batch label printing: find products (or load a delivery note), set copies for each, print them all on the default label printer.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { deliveryLabelItems, parseDeliveryNote } from '../../../shared/delivery-note';
import { labelFit } from '../../../shared/printing';
import { findByCode, searchProducts } from '../../db/catalog-repo';
import type { ProductRow } from '../../db/db';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useMoney } from '../../ui/money';
import { printLabels } from './print-actions';
import { printProblem, statusWords } from './print-messages';
import { defaultPrinter, usePrintQueue } from './print-queue';

type LabelPick = { product: ProductRow; copies: number };

const MAX_COPIES = 500;

function clampCopies(n: number): number {
  return Math.min(MAX_COPIES, Math.max(1, Math.round(Number.isFinite(n) ? n : 1)));
}

export function LabelsPanel() {
  const store = useStoreSettings();
  const money = useMoney();
  const printers = usePrintQueue((s) => s.printers);
  const [query, setQuery] = useState('');
  const [picks, setPicks] = useState<LabelPick[]>([]);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; message: string } | null>(null);
  const job = usePrintQueue((s) => (jobId ? s.jobs.find((j) => j.id === jobId) : undefined));
  const q = query.trim();
  const found = useLiveQuery(() => (q ? searchProducts(posDb, q, 12) : []), [q]);
  const printer = defaultPrinter(printers, 'label');
  // Said before anything is sent: a label wider than the printer's head would come out clipped.
  const fit = printer ? labelFit(printer) : null;

  const add = (product: ProductRow) => {
    setPicks((ps) =>
      ps.some((p) => p.product.sku === product.sku)
        ? ps.map((p) =>
            p.product.sku === product.sku ? { ...p, copies: clampCopies(p.copies + 1) } : p,
          )
        : [...ps, { product, copies: 1 }],
    );
  };
  const setCopies = (sku: string, copies: number) =>
    setPicks((ps) =>
      ps.map((p) => (p.product.sku === sku ? { ...p, copies: clampCopies(copies) } : p)),
    );
  const total = picks.reduce((n, p) => n + p.copies, 0);

  /** A received shipment: its products become the list, as many copies as arrived. */
  const loadNote = async (file: File) => {
    const parsed = parseDeliveryNote(await file.text());
    if (!parsed.ok) return setNote({ ok: false, message: `${file.name}: ${parsed.message}` });
    const found = await Promise.all(parsed.lines.map((l) => findByCode(posDb, l.code)));
    const items = deliveryLabelItems(parsed.lines, found);
    if (!items.ok) return setNote({ ok: false, message: `${file.name}: ${items.message}` });
    setPicks(items.items);
    const count = items.items.reduce((n, p) => n + p.copies, 0);
    const products = items.items.length;
    setNote({
      ok: true,
      message: `${file.name}: ${count} label${count === 1 ? '' : 's'} for ${products} product${products === 1 ? '' : 's'}.`,
    });
  };

  const print = async () => {
    if (!store || !printer || picks.length === 0) return;
    setSending(true);
    setError(null);
    const outcome = await printLabels(picks, store, printer.id);
    setSending(false);
    if (!outcome.ok) return setError(outcome.message);
    setJobId(outcome.job.id);
  };

  const problem = job ? printProblem(job) : null;
  return (
    <div className="labels-panel">
      <section className="stack">
        <input
          type="search"
          aria-label="Find products for labels"
          placeholder="Product name or SKU"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <ul className="label-results">
          {found?.map((p) => (
            <li key={p.sku}>
              <button type="button" className="btn list-btn" onClick={() => add(p)}>
                <span>{p.name}</span>
                <span className="muted">{p.sku}</span>
                <span>{money(p.price)}</span>
              </button>
            </li>
          ))}
          {q && found?.length === 0 && <li className="muted">No product matches “{q}”.</li>}
        </ul>
      </section>
      <section className="stack">
        <h3>Labels to print</h3>
        <label className="file-pick">
          Load delivery note (CSV)
          <input
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Cleared so the same file can be loaded again after fixing it.
              e.target.value = '';
              if (file) void loadNote(file);
            }}
          />
        </label>
        {note && (
          <p className={note.ok ? 'muted' : 'error'} data-testid="delivery-note-message">
            {note.message}
          </p>
        )}
        {picks.length === 0 && <p className="muted">Tap a product to add it.</p>}
        <ul className="label-picks">
          {picks.map(({ product, copies }) => (
            <li key={product.sku}>
              <span className="label-name">
                {product.name}
                <span className="muted"> · {product.sku}</span>
              </span>
              <button
                type="button"
                className="btn"
                aria-label={`Fewer labels of ${product.name}`}
                onClick={() => setCopies(product.sku, copies - 1)}
              >
                −
              </button>
              <input
                className="copies"
                inputMode="numeric"
                aria-label={`Copies of ${product.name}`}
                value={copies}
                onChange={(e) => setCopies(product.sku, Number(e.target.value))}
              />
              <button
                type="button"
                className="btn"
                aria-label={`More labels of ${product.name}`}
                onClick={() => setCopies(product.sku, copies + 1)}
              >
                +
              </button>
              <button
                type="button"
                className="btn-icon"
                aria-label={`Remove ${product.name}`}
                onClick={() => setPicks(picks.filter((p) => p.product.sku !== product.sku))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {printers !== undefined && !printer && (
          <p className="error">No default label printer. A manager sets one in Settings.</p>
        )}
        {fit && !fit.ok && (
          <p className="error" data-testid="label-fit">
            {fit.message}
          </p>
        )}
        <button
          type="button"
          className="btn btn-primary btn-big"
          disabled={sending || !printer || picks.length === 0 || (fit !== null && !fit.ok)}
          onClick={() => void print()}
        >
          {sending
            ? 'Sending…'
            : `Print ${total} label${total === 1 ? '' : 's'}${printer ? ` on “${printer.name}”` : ''}`}
        </button>
        <p className="error" role="alert">
          {error ?? ''}
        </p>
        {job && (
          <p className={problem ? 'error' : 'success'} role="status" data-testid="labels-result">
            {job.summary}: {problem ?? statusWords(job)}
          </p>
        )}
      </section>
    </div>
  );
}
