// Exceptions inbox: what the ledger could not apply cleanly, in plain words, each resolved with a reason.
import { useState } from 'react';
import { posDb } from '../../db/instance';
import { useManagerLedger } from '../../sync/manager-session';
import { useDates } from '../../ui/dates';
import {
  describeKind,
  type LedgerException,
  openExceptions,
  resolveException,
} from './exceptions-api';
import { useReport } from './useReport';

export function ExceptionsPanel() {
  const token = useManagerLedger((s) => s.token);
  const list = useReport(() => openExceptions(posDb), [token]);
  const open = list.value ?? [];
  return (
    <section className="exceptions" aria-label="Exceptions">
      <div className="row">
        <h3>Open exceptions {list.value && <span className="count-pill">{open.length}</span>}</h3>
        <button type="button" className="btn btn-small" onClick={list.reload}>
          Refresh
        </button>
        {list.status === 'loading' && <span className="muted">Loading…</span>}
      </div>
      {list.status === 'failed' && (
        <p className="banner" role="status">
          The exceptions inbox lives on the ledger: {list.message}
        </p>
      )}
      {list.value && open.length === 0 && (
        <p className="muted">Nothing to resolve: every fact went in cleanly.</p>
      )}
      <ul className="list exception-list" aria-label="Open exceptions">
        {open.map((x) => (
          <ExceptionItem key={x.id} exception={x} onResolved={list.reload} />
        ))}
      </ul>
    </section>
  );
}

/** "re-entered" → "Re-entered". */
function outcomeLabel(outcome: string): string {
  return outcome.charAt(0).toUpperCase() + outcome.slice(1);
}

function detailText(value: unknown): string {
  if (Array.isArray(value)) return value.map(detailText).join(', ');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function ExceptionItem({
  exception: x,
  onResolved,
}: {
  exception: LedgerException;
  onResolved: () => void;
}) {
  const dates = useDates();
  const kind = describeKind(x.kind);
  const [resolving, setResolving] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const details =
    x.details && typeof x.details === 'object' && !Array.isArray(x.details)
      ? Object.entries(x.details as Record<string, unknown>)
      : [];

  async function resolve() {
    if (x.outcomeRequired && !outcome)
      return setError(`Choose ${x.outcomes.map(outcomeLabel).join(' or ').toLowerCase()}.`);
    if (note.trim().length < 3) return setError('Say in a few words how it was resolved.');
    setBusy(true);
    const res = await resolveException(posDb, x.id, {
      resolution: note.trim(),
      ...(outcome ? { outcome } : {}),
    });
    setBusy(false);
    if (res.ok) onResolved();
    else setError(res.message);
  }

  return (
    <li className="exception" aria-label={kind.title}>
      <div className="exception-head">
        <strong>{kind.title}</strong>
        <span className="muted">{dates.dateTime(x.createdAt)}</span>
      </div>
      <p>{x.message}</p>
      {kind.help && <p className="muted">{kind.help}</p>}
      {x.event?.reason && !x.message.includes(x.event.reason) && (
        <p>
          The ledger refused this {x.event.type} record: {x.event.reason}
        </p>
      )}
      {details.length > 0 && (
        <details>
          <summary>Details</summary>
          <dl className="exception-details">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{detailText(v)}</dd>
              </div>
            ))}
            {x.eventId && (
              <div>
                <dt>record</dt>
                <dd>{x.eventId}</dd>
              </div>
            )}
          </dl>
        </details>
      )}
      {!resolving ? (
        <button type="button" className="btn btn-small" onClick={() => setResolving(true)}>
          Resolve…
        </button>
      ) : (
        <form
          className="stack resolve-form"
          onSubmit={(e) => {
            e.preventDefault();
            void resolve();
          }}
        >
          {x.outcomes.length > 0 && (
            <fieldset className="segmented">
              <legend>{x.outcomeRequired ? 'Outcome (required)' : 'Outcome (optional)'}</legend>
              {x.outcomes.map((a) => (
                <button
                  key={a}
                  type="button"
                  aria-pressed={outcome === a}
                  className={outcome === a ? 'seg seg-on' : 'seg'}
                  onClick={() => setOutcome(outcome === a && !x.outcomeRequired ? null : a)}
                >
                  {outcomeLabel(a)}
                </button>
              ))}
            </fieldset>
          )}
          <label>
            Reason
            <input
              value={note}
              maxLength={500}
              onChange={(e) => setNote(e.target.value)}
              placeholder="What was done about it"
            />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="row">
            <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
              Mark resolved
            </button>
            <button type="button" className="btn btn-small" onClick={() => setResolving(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
