// The always-visible sync state: never green while anything waits. Tap to sync now.
import { useEffect, useState } from 'react';
import { PROBLEM_LABEL } from './problems';
import { syncNow, useSyncStatus } from './useSync';

function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export function SyncPill() {
  const status = useSyncStatus();
  const [now, setNow] = useState(Date.now());
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      clearInterval(t);
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  if (!status) return null;
  const net = online ? 'Online' : 'Offline';
  if (status.mode !== 'ledger') {
    return (
      <span className="sync-pill" data-testid="sync-status">
        {status.unsyncedSales} sales on this till only · standalone · {net}
      </span>
    );
  }
  const waiting = status.unsyncedSales;
  const level =
    status.needsEnrolment || status.rejected > 0
      ? 'bad'
      : status.unsyncedFacts > 0
        ? 'waiting'
        : 'ok';
  // Facts are waiting and the last attempt did not get them through: say why, not "synced".
  const stuck = !status.needsEnrolment && status.unsyncedFacts > 0 && status.problem;
  // What needs attention first, so a narrow bar cuts off the least important part.
  const parts = [
    ...(status.needsEnrolment ? ['till must be enrolled again'] : []),
    `${waiting} unsynced ${waiting === 1 ? 'sale' : 'sales'}`,
    ...(status.rejected > 0 ? [`${status.rejected} refused by the ledger`] : []),
    ...(stuck ? [`not sent: ${PROBLEM_LABEL[stuck.code]}`] : []),
    ...(status.needsEnrolment || stuck ? [] : [`synced ${ago(status.lastSuccessAt, now)}`]),
    net,
  ];
  return (
    <button
      type="button"
      className={`sync-pill ${level}`}
      data-testid="sync-status"
      title={status.lastError ?? 'Tap to sync now'}
      onClick={() => void syncNow()}
    >
      {parts.join(' · ')}
    </button>
  );
}
