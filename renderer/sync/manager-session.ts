// A manager's session with the ledger (drops, promos, reports): a bearer token got with the manager's PIN and this till's device token, kept in memory only.
import type { z } from 'zod';
import { create } from 'zustand';
import { managerSessionSchema } from '../../shared/manager-auth';
import { getSetting, type PosDb } from '../db/db';
import { type CallResult, ledgerCall } from './client';
import { readDeviceToken } from './token';

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

/**
 * Sign in to the ledger with a manager PIN. The till's device token goes with it: the ledger takes
 * a PIN alone from nobody (a stolen laptop holds PIN hashes), and ends the session if this till
 * is revoked. Away from a till a manager signs in with the PIN and a ledger password instead.
 */
export async function managerSignIn(db: PosDb, pin: string): Promise<CallResult<{ name: string }>> {
  const link = await getSetting(db, 'ledger');
  if (!link) {
    return {
      ok: false,
      failure: 'not-found',
      message: 'This till runs on its own: there is no ledger to sign in to.',
    };
  }
  const token = await readDeviceToken(db);
  if (!token) {
    return {
      ok: false,
      failure: 'unauthorized',
      message: 'This till has no device token: enrol it again to sign in to the ledger.',
    };
  }
  const result = await ledgerCall(link.url, '/api/v1/auth/manager', {
    method: 'POST',
    body: { storeId: link.storeId, pin },
    token,
    schema: managerSessionSchema,
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
