// The sync engine's lifetime in the app, and the live sync status every screen can show.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { getSetting } from '../db/db';
import { posDb } from '../db/instance';
import type { SyncOutcome } from './engine';
import { type SyncHost, startSync } from './host';
import type { SyncProblem } from './problems';

let host: SyncHost | null = null;

/** Runs the engine while this till is linked to a ledger (restarts when it is enrolled again). */
export function useSyncEngine(mode: string | undefined, deviceId: string | undefined): void {
  // A till moved to another ledger keeps its device id but gets a new address and token; the
  // engine reads its token once at start, so the address is part of what restarts it.
  const ledgerUrl = useLiveQuery(async () => (await getSetting(posDb, 'ledger'))?.url, []);
  useEffect(() => {
    if (mode !== 'ledger' || !deviceId || !ledgerUrl) return;
    let stopped = false;
    let mine: SyncHost | null = null;
    void startSync(posDb).then((h) => {
      if (stopped) return h.stop();
      mine = h;
      host = h;
    });
    const wake = () => void host?.syncNow();
    window.addEventListener('online', wake);
    return () => {
      stopped = true;
      window.removeEventListener('online', wake);
      mine?.stop();
      if (host === mine) host = null;
    };
  }, [mode, deviceId, ledgerUrl]);
}

export async function syncNow(): Promise<SyncOutcome | 'not-running'> {
  return host ? host.syncNow() : 'not-running';
}

export interface SyncStatus {
  mode: 'standalone' | 'ledger' | undefined;
  unsyncedSales: number;
  unsyncedFacts: number;
  /** Facts the ledger judged final but did not apply (rejected or conflict), kept here with reasons. */
  rejected: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Why the last sync did not get through (null once one does). */
  problem: SyncProblem | null;
  needsEnrolment: boolean;
  /** When the ledger stopped answering this till (null while it answers). */
  offlineSince: string | null;
  snapshot: { done: number; total: number } | null;
  ledgerUrl: string | null;
}

export function useSyncStatus(): SyncStatus | undefined {
  return useLiveQuery(async () => {
    // One read-only transaction, not six: this re-runs on every sale and every sync step.
    const [mode, state, link, unsyncedFacts, unsyncedSales, rejected] = await posDb.transaction(
      'r',
      [posDb.settings, posDb.outbox, posDb.rejected],
      () =>
        Promise.all([
          getSetting(posDb, 'mode'),
          getSetting(posDb, 'sync'),
          getSetting(posDb, 'ledger'),
          posDb.outbox.count(),
          posDb.outbox.where('type').equals('sale.completed').count(),
          posDb.rejected.count(),
        ]),
    );
    return {
      mode,
      unsyncedSales,
      unsyncedFacts,
      rejected,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      lastError: state?.lastError ?? null,
      problem: state?.problem ?? null,
      needsEnrolment: state?.needsEnrolment ?? false,
      offlineSince: state?.offlineSince ?? null,
      snapshot: state?.snapshot ?? null,
      ledgerUrl: link?.url ?? null,
    };
  }, []);
}
