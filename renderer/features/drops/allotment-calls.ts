// A till asking the ledger for more drop units or handing unsold ones back (device token; online only).
import { z } from 'zod';
import { getSetting, type PosDb } from '../../db/db';
import { type CallResult, ledgerCall } from '../../sync/client';
import { readDeviceToken } from '../../sync/token';
import { syncNow } from '../../sync/useSync';

const grantedSchema = z.object({ granted: z.number().int().min(0) }).loose();
const returnedSchema = z.object({ returned: z.number().int().min(0) }).loose();

async function deviceCall<T>(
  db: PosDb,
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
): Promise<CallResult<T>> {
  const link = await getSetting(db, 'ledger');
  const token = await readDeviceToken(db);
  if (!link || !token) {
    return { ok: false, failure: 'not-found', message: 'This till is not connected to a ledger.' };
  }
  return ledgerCall(link.url, path, { method: 'POST', token, body, schema });
}

/** Ask for `qty` more units from the drop's unallotted pool; the ledger may grant fewer. Syncs after. */
export async function requestUnits(
  db: PosDb,
  dropId: string,
  sku: string,
  qty: number,
): Promise<{ ok: true; text: string } | { ok: false; text: string }> {
  const res = await deviceCall(
    db,
    `/api/v1/drops/${encodeURIComponent(dropId)}/allotments/request`,
    { sku, qty },
    grantedSchema,
  );
  if (!res.ok) return { ok: false, text: res.message };
  await syncNow();
  const { granted } = res.value;
  const reason = typeof res.value.reason === 'string' ? ` ${res.value.reason}` : '';
  return granted > 0
    ? { ok: true, text: `The ledger gave this till ${granted} more of ${sku}.` }
    : { ok: false, text: `No more units of ${sku} to give out.${reason}` };
}

/** Hand `qty` unsold units back to the pool so other tills can sell them. Syncs after. */
export async function returnUnits(
  db: PosDb,
  dropId: string,
  sku: string,
  qty: number,
): Promise<{ ok: true; text: string } | { ok: false; text: string }> {
  const res = await deviceCall(
    db,
    `/api/v1/drops/${encodeURIComponent(dropId)}/allotments/return`,
    { sku, qty },
    returnedSchema,
  );
  if (!res.ok) return { ok: false, text: res.message };
  await syncNow();
  return { ok: true, text: `${res.value.returned} of ${sku} handed back to the drop's pool.` };
}
