// PIN login: who is at the till; after a lock or a reload it names who was serving and brings the kept basket back.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { keepSession, keptBasket, keptSession } from '../../db/basket-repo';
import { useDevice, useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { checkPin } from '../../db/staff-repo';
import { useCart } from '../../state/cart';
import { useSession } from '../../state/session';
import { managerSignIn } from '../../sync/manager-session';
import { SyncPill } from '../../sync/SyncPill';
import { useSyncStatus } from '../../sync/useSync';
import { itemsText } from '../sell/items-text';
import { restoreBasket, watchBasket } from './kept-till';
import { PinPad } from './PinPad';

export function LoginScreen() {
  const login = useSession((s) => s.login);
  const store = useStoreSettings();
  const device = useDevice();
  const sync = useSyncStatus();
  const staffCount = useLiveQuery(() => posDb.staff.count(), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const session = useLiveQuery(() => keptSession(posDb), []);
  const inMemory = useCart((c) => c.lines);
  const kept = useLiveQuery(() => keptBasket(posDb), []);
  const basketLines = inMemory.length > 0 ? inMemory : (kept?.lines ?? []);
  const basketItems = basketLines.reduce((n, l) => n + l.qty, 0);

  const submit = async (pin: string) => {
    setBusy(true);
    setError(null);
    const result = await checkPin(posDb, pin, Date.now());
    if (result.ok) {
      // The basket comes back before the sell screen shows, then every change is kept again.
      await restoreBasket(posDb);
      watchBasket(posDb);
      await keepSession(posDb, result.staff);
    }
    setBusy(false);
    if (result.ok) {
      login(result.staff);
      // A manager is also signed in to the ledger (drops, promos, reports) when it can be reached.
      if (result.staff.role === 'manager') void managerSignIn(posDb, pin);
    } else setError(result.message);
  };

  if (staffCount === undefined || sync === undefined) return null;
  if (staffCount === 0 && sync.mode === 'ledger') {
    // A freshly enrolled till: nobody can log in before the first snapshot brings the staff.
    return (
      <main className="login">
        <h1>Getting this till ready</h1>
        {sync.snapshot ? (
          <>
            <p>
              Loading the catalog: {sync.snapshot.done.toLocaleString()} of{' '}
              {sync.snapshot.total.toLocaleString()} products
            </p>
            <progress
              className="progress"
              max={sync.snapshot.total || 1}
              value={sync.snapshot.done}
            />
          </>
        ) : (
          <p>
            {sync.lastError
              ? `Waiting for the ledger at ${sync.ledgerUrl}: ${sync.lastError}`
              : 'Contacting the ledger…'}
          </p>
        )}
      </main>
    );
  }

  return (
    <main className="login">
      <h1>{store?.name ?? 'PopTill'}</h1>
      <p className="muted">{device ? `${device.name} · ${device.prefix}` : ''}</p>
      {session && (
        <p className="login-locked" data-testid="locked-session">
          Locked — {session.name} was serving.{' '}
          {basketItems > 0
            ? `Their basket (${itemsText(basketItems)}) is kept and comes back after a PIN.`
            : ''}{' '}
          {session.name} or any other staff member can log in.
        </p>
      )}
      <PinPad label="Staff PIN" busy={busy} error={error} onSubmit={submit} />
      <SyncPill />
    </main>
  );
}
