// Sync for managers: where this till syncs, what waits and why, what the ledger refused, export to a file, reset.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { getSetting } from '../../db/db';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { resetDevice } from '../../sync/enrol';
import { downloadJson, exportUnsynced } from '../../sync/export';
import { syncNow, useSyncStatus } from '../../sync/useSync';
import { useDates } from '../../ui/dates';
import { MoveTillPanel } from './MoveTillPanel';

const OUTCOME_WORDS = {
  synced: 'everything this till had is on the ledger.',
  standalone: 'this till runs standalone.',
  'needs-enrolment': 'the ledger no longer accepts this till.',
  failed: 'not everything got through; see the problem below.',
  'not-running': 'sync is not running on this till.',
} as const;

/** The facts the ledger judged final without applying them, each with the ledger's reason. */
function RejectedList() {
  const dates = useDates();
  const rejected = useLiveQuery(() => posDb.rejected.orderBy('seq').toArray(), []);
  if (!rejected || rejected.length === 0) return null;
  return (
    <>
      <h3>Refused by the ledger</h3>
      <p className="muted">
        The ledger has these facts with its verdict and has told a manager; this till will not send
        them again. They go into the export file.
      </p>
      <ul className="list rejected" aria-label="Facts the ledger refused">
        {rejected.map((r) => (
          <li key={r.seq}>
            <strong>{r.type}</strong> #{r.seq} · {dates.dateTime(r.createdAt)} ·{' '}
            {r.verdict === 'conflict' ? 'conflict' : 'rejected'} — {r.reason}
          </li>
        ))}
      </ul>
    </>
  );
}

export function SyncPanel() {
  const dates = useDates();
  const status = useSyncStatus();
  const lastExport = useLiveQuery(() => getSetting(posDb, 'export'), []);
  const { notify, logout } = useSession.getState();
  const [error, setError] = useState<string | null>(null);
  if (!status) return null;

  const exportFile = async () => {
    const result = await exportUnsynced(posDb);
    if (!result.ok) return setError(result.message);
    setError(null);
    downloadJson(result.name, result.file);
    const judged = result.file.rejected?.length ?? 0;
    notify(
      `Saved ${result.file.events.length} unsynced and ${judged} refused facts to ${result.name}. Keep the file until the ledger has imported it.`,
    );
  };

  const reset = async () => {
    const result = await resetDevice(posDb);
    if (!result.ok) return setError(result.message);
    logout();
  };

  return (
    <section className="stack">
      <h2>Sync</h2>
      {status.mode === 'ledger' ? (
        <>
          <p>
            Ledger <strong>{status.ledgerUrl}</strong>. Last synced{' '}
            {status.lastSuccessAt ? dates.dateTime(status.lastSuccessAt) : 'never'}.
          </p>
          <p data-testid="sync-counts">
            {status.unsyncedSales} unsynced sales ({status.unsyncedFacts} facts in all) ·{' '}
            {status.rejected} refused by the ledger
          </p>
          {status.problem && (
            <p className="error" data-testid="sync-problem" data-code={status.problem.code}>
              Last problem: {status.problem.message}
            </p>
          )}
          {!status.problem && status.lastError && (
            <p className="error">Last problem: {status.lastError}</p>
          )}
          {lastExport && (
            <p className="muted" data-testid="last-export">
              Last export: {lastExport.fileName}, {dates.dateTime(lastExport.exportedAt)} (
              {lastExport.events} unsynced, {lastExport.rejected} refused).
            </p>
          )}
          <div className="row">
            <button
              type="button"
              className="btn"
              onClick={async () => {
                const outcome = await syncNow();
                notify(`Sync: ${OUTCOME_WORDS[outcome]}`);
              }}
            >
              Sync now
            </button>
            <button
              type="button"
              className="btn"
              disabled={status.unsyncedFacts === 0 && status.rejected === 0}
              onClick={exportFile}
            >
              Export unsynced to a file
            </button>
          </div>
        </>
      ) : (
        <p>This till runs standalone on demo data.</p>
      )}
      <RejectedList />
      <MoveTillPanel status={status} />
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <button type="button" className="btn danger" onClick={reset}>
        Reset this till
      </button>
    </section>
  );
}
