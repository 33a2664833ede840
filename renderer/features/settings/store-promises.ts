// Saving the store's returns and shipping promises: at the ledger when the till is linked to one (online only), on this till when it runs on its own.
import { type StorePromises, storePromisesSchema } from '../../../shared/catalog';
import { getSetting, type PosDb } from '../../db/db';
import { ledgerStoreId, managerCall } from '../../sync/manager-session';
import { syncNow } from '../../sync/useSync';

export type SavePromisesResult =
  | { ok: true; message: string }
  | { ok: false; code: 'invalid' | 'offline' | 'not-signed-in' | 'refused'; message: string };

const FIELD_NAMES: Record<string, string> = {
  returnsPromise: 'The returns promise',
  shippingPromise: 'The shipping promise',
};

/** The first problem with the texts in plain words, or null when the ledger would take them. */
export function promisesProblem(promises: StorePromises): string | null {
  const parsed = storePromisesSchema.safeParse(promises);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const field = FIELD_NAMES[String(issue?.path[0])] ?? 'The text';
  if (issue?.code === 'too_big') return `${field} is longer than ${issue.maximum} characters.`;
  return `${field} has a character a receipt cannot print (a control character).`;
}

/** Keep what was saved on this till too, so its receipts show the texts straight away. */
async function keepLocally(db: PosDb, promises: StorePromises): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const store = await getSetting(db, 'store');
    if (store) await db.settings.put({ key: 'store', value: { ...store, ...promises } });
  });
}

/**
 * Save both texts. Linked to a ledger, the ledger is where store settings live: offline they
 * cannot be saved now, and nothing changes on this till either (the next pull would undo it).
 */
export async function saveStorePromises(
  db: PosDb,
  promises: StorePromises,
  online: boolean,
): Promise<SavePromisesResult> {
  const problem = promisesProblem(promises);
  if (problem) return { ok: false, code: 'invalid', message: `${problem} Nothing was saved.` };
  if ((await getSetting(db, 'mode')) !== 'ledger') {
    await keepLocally(db, promises);
    return { ok: true, message: 'Store texts saved on this till.' };
  }
  const offline = {
    ok: false,
    code: 'offline',
    message:
      'This till is offline, so the store texts cannot be saved now: they are kept at the ledger. Nothing was changed — save again when the till is back online.',
  } as const;
  if (!online) return offline;
  const storeId = await ledgerStoreId(db);
  const result = await managerCall(
    db,
    `/api/v1/stores/${encodeURIComponent(storeId ?? '')}/promises`,
    { method: 'PUT', body: promises, schema: storePromisesSchema },
  );
  if (!result.ok) {
    if (result.failure === 'network' || result.failure === 'timeout') return offline;
    if (result.failure === 'unauthorized')
      return {
        ok: false,
        code: 'not-signed-in',
        message:
          'This till is not signed in to the ledger as a manager: log out, then log in with your manager PIN while online. Nothing was saved.',
      };
    return { ok: false, code: 'refused', message: `${result.message} Nothing was saved.` };
  }
  await keepLocally(db, result.value);
  // Other tills get them at their next pull; this one pulls now to stay in step with the ledger.
  void syncNow();
  return {
    ok: true,
    message: 'Store texts saved at the ledger: every till prints them from its next sync.',
  };
}
