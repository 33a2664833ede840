// Sync for managers: where this till syncs, what waits, what the ledger refused, export to a file, reset.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { resetDevice } from '../../sync/enrol';
import { downloadJson, exportUnsynced } from '../../sync/export';
import { syncNow, useSyncStatus } from '../../sync/useSync';

export function SyncPanel() {
  const status = useSyncStatus();
  const { notify, logout } = useSession.getState();
  const quarantined = useLiveQuery(() => posDb.quarantine.orderBy('seq').toArray(), []);
  const [confirmReset, setConfirmReset] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!status) return null;

  const exportFile = async () => {
    const result = await exportUnsynced(posDb);
    if (!result.ok) return setError(result.message);
    downloadJson(result.name, result.file);
    notify(
      `Saved ${result.file.events.length} facts to ${result.name}. Keep them on the till until the ledger has them.`,
    );
  };

  const reset = async () => {
    const result = await resetDevice(posDb, confirmReset);
    if (!result.ok) {
      setConfirmReset(true);
      return setError(`${result.message} Press “Reset this till” again to discard them.`);
    }
    logout();
  };

  return (
    <section className="stack">
      <h2>Sync</h2>
      {status.mode === 'ledger' ? (
        <>
          <p>
            Ledger <strong>{status.ledgerUrl}</strong>. Last synced{' '}
            {status.lastSuccessAt ? new Date(status.lastSuccessAt).toLocaleString() : 'never'}.
          </p>
          <p data-testid="sync-counts">
            {status.unsyncedSales} unsynced sales ({status.unsyncedFacts} facts in all) ·{' '}
            {status.quarantined} quarantined
          </p>
          {status.lastError && <p className="error">Last problem: {status.lastError}</p>}
          <div className="row">
            <button
              type="button"
              className="btn"
              onClick={async () => notify(`Sync: ${await syncNow()}`)}
            >
              Sync now
            </button>
            <button
              type="button"
              className="btn"
              disabled={status.unsyncedFacts === 0}
              onClick={exportFile}
            >
              Export unsynced to a file
            </button>
          </div>
        </>
      ) : (
        <p>This till runs standalone on demo data.</p>
      )}
      {quarantined && quarantined.length > 0 && (
        <>
          <h3>Refused by the ledger</h3>
          <ul className="list quarantine" aria-label="Quarantined records">
            {quarantined.map((q) => (
              <li key={q.seq}>
                <strong>{q.type}</strong> #{q.seq} · {new Date(q.createdAt).toLocaleString()} —{' '}
                {q.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <button type="button" className="btn danger" onClick={reset}>
        Reset this till
      </button>
    </section>
  );
}
