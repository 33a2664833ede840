// The always-visible sync state: online means the ledger answers; never green while anything waits. Tap to sync now.
import { useEffect, useState } from 'react';
import { useStoreSettings } from '../db/hooks';
import { pillText } from './pill-text';
import { syncNow, useSyncStatus } from './useSync';

const FALLBACK_STORE = { locale: 'en-IE', timeZone: 'Europe/Dublin' };

export function SyncPill() {
  const status = useSyncStatus();
  const store = useStoreSettings();
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
  if (status.mode !== 'ledger') {
    // A standalone till has no ledger to answer: only the network card can be reported.
    return (
      <span
        className="sync-pill"
        data-testid="sync-status"
        // Not a button, so the text is centred here as the buttons' is by default.
        style={{ display: 'inline-flex', alignItems: 'center' }}
      >
        {status.unsyncedSales} sales on this till only · standalone ·{' '}
        {online ? 'Online' : 'Offline'}
      </span>
    );
  }
  const { level, parts } = pillText(status, now, store ?? FALLBACK_STORE);
  const offline = status.offlineSince !== null;
  const title =
    status.lastError ??
    (offline
      ? 'The ledger is not answering — sales are kept on this till and sent when it answers again.'
      : 'Tap to sync now');
  return (
    <button
      type="button"
      className={`sync-pill ${level}`}
      data-testid="sync-status"
      data-online={offline ? 'no' : 'yes'}
      title={title}
      onClick={() => void syncNow()}
    >
      {parts.join(' · ')}
    </button>
  );
}
