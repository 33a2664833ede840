// A manager's session with the ledger (drops, promos, reports): a bearer token got with the manager's PIN, kept in memory only.
import { z } from 'zod';
import { create } from 'zustand';
import { getSetting, type PosDb } from '../db/db';
import { type CallResult, ledgerCall } from './client';

interface ManagerLedgerState {
  token: string | null;
  expiresAt: string | null;
  name: string | null;
  set: (s: { token: string; expiresAt: string; name: string } | null) => void;
}

/** Never persisted: a closed or reloaded till asks for the PIN again. */
export const useManagerLedger = create<ManagerLedgerState>()((set) => ({
  token: null,
  expiresAt: null,
  name: null,
  set: (s) => set(s ?? { token: null, expiresAt: null, name: null }),
}));

const loginResponse = z.object({
  token: z.string(),
  staffId: z.string(),
  name: z.string(),
  expiresAt: z.string(),
});

/** Sign in to the ledger with a manager PIN (the ledger checks it against its own staff list). */
export async function managerSignIn(db: PosDb, pin: string): Promise<CallResult<{ name: string }>> {
  const link = await getSetting(db, 'ledger');
  if (!link) {
    return {
      ok: false,
      failure: 'not-found',
      message: 'This till runs on its own: there is no ledger to sign in to.',
    };
  }
  const result = await ledgerCall(link.url, '/api/v1/auth/manager', {
    method: 'POST',
    body: { storeId: link.storeId, pin },
    schema: loginResponse,
  });
  if (!result.ok) return result;
  useManagerLedger.getState().set(result.value);
  return { ok: true, value: { name: result.value.name } };
}

/** A ledger call as the signed-in manager; says plainly when nobody is signed in or the till is offline. */
export async function managerCall<T>(
  db: PosDb,
  path: string,
  options: { method?: 'GET' | 'POST' | 'PUT'; body?: unknown; schema: z.ZodType<T> },
): Promise<CallResult<T>> {
  const link = await getSetting(db, 'ledger');
  if (!link) {
    return { ok: false, failure: 'not-found', message: 'This till is not connected to a ledger.' };
  }
  const { token, expiresAt } = useManagerLedger.getState();
  if (!token || (expiresAt && Date.parse(expiresAt) <= Date.now())) {
    return {
      ok: false,
      failure: 'unauthorized',
      message: 'Sign in to the ledger with your manager PIN first.',
    };
  }
  const result = await ledgerCall(link.url, path, { ...options, token });
  if (!result.ok && result.failure === 'unauthorized') useManagerLedger.getState().set(null);
  return result;
}

/** The store this till belongs to at the ledger, for building manager URLs. */
export async function ledgerStoreId(db: PosDb): Promise<string | null> {
  return (await getSetting(db, 'ledger'))?.storeId ?? null;
}
