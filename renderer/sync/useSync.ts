// The sync engine's lifetime in the app, and the live sync status every screen can show.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { getSetting } from '../db/db';
import { posDb } from '../db/instance';
import type { SyncOutcome } from './engine';
import { type SyncHost, startSync } from './host';

let host: SyncHost | null = null;

/** Runs the engine while this till is linked to a ledger (restarts when it is enrolled again). */
export function useSyncEngine(mode: string | undefined, deviceId: string | undefined): void {
  useEffect(() => {
    if (mode !== 'ledger' || !deviceId) return;
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
  }, [mode, deviceId]);
}

export async function syncNow(): Promise<SyncOutcome | 'not-running'> {
  return host ? host.syncNow() : 'not-running';
}

export interface SyncStatus {
  mode: 'standalone' | 'ledger' | undefined;
  unsyncedSales: number;
  unsyncedFacts: number;
  quarantined: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  needsEnrolment: boolean;
  snapshot: { done: number; total: number } | null;
  ledgerUrl: string | null;
}

export function useSyncStatus(): SyncStatus | undefined {
  return useLiveQuery(async () => {
    const [mode, state, link, unsyncedFacts, unsyncedSales, quarantined] = await Promise.all([
      getSetting(posDb, 'mode'),
      getSetting(posDb, 'sync'),
      getSetting(posDb, 'ledger'),
      posDb.outbox.count(),
      posDb.outbox.where('type').equals('sale.completed').count(),
      posDb.quarantine.count(),
    ]);
    return {
      mode,
      unsyncedSales,
      unsyncedFacts,
      quarantined,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      lastError: state?.lastError ?? null,
      needsEnrolment: state?.needsEnrolment ?? false,
      snapshot: state?.snapshot ?? null,
      ledgerUrl: link?.url ?? null,
    };
  }, []);
}
