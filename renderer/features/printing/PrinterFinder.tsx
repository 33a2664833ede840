// "Find printers": lists the printers this computer can see (USB, serial, print queues, Windows printers) so one can be picked instead of typed.
import { useState } from 'react';
import type { PrinterCandidate, PrinterDiscovery } from '../../../shared/printing';
import { findPrinters } from './print-actions';
import './printer-finder.css';

type Search =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'found'; found: PrinterDiscovery }
  | { state: 'failed'; message: string };

export function PrinterFinder({ onPick }: { onPick: (candidate: PrinterCandidate) => void }) {
  const [search, setSearch] = useState<Search>({ state: 'idle' });

  const find = async () => {
    setSearch({ state: 'searching' });
    const result = await findPrinters();
    setSearch(
      result.ok
        ? { state: 'found', found: result.found }
        : { state: 'failed', message: result.message },
    );
  };

  return (
    <div className="printer-finder">
      <button
        type="button"
        className="btn"
        onClick={() => void find()}
        disabled={search.state === 'searching'}
      >
        {search.state === 'searching' ? 'Looking for printers…' : 'Find printers'}
      </button>
      {search.state === 'failed' && (
        <p className="error" role="alert">
          {search.message}
        </p>
      )}
      {search.state === 'found' &&
        (search.found.candidates.length === 0 ? (
          <p className="muted" data-testid="printer-finder-empty">
            No USB, serial or system printers found. For a network printer, type its address:
            tcp://IP:9100.
          </p>
        ) : (
          <ul aria-label="Printers found">
            {search.found.candidates.map((c) => (
              <li key={c.address} data-testid="printer-candidate">
                <span>{c.label}</span>
                <code>{c.address}</code>
                <button
                  type="button"
                  className="btn"
                  aria-label={`Use ${c.label}`}
                  onClick={() => onPick(c)}
                >
                  Use
                </button>
              </li>
            ))}
          </ul>
        ))}
      {search.state === 'found' &&
        search.found.problems.map((problem) => (
          <p key={problem} className="muted">
            Could not look here — {problem}
          </p>
        ))}
    </div>
  );
}
