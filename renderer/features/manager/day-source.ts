// Where the end of day comes from: the ledger when it answers, else this till's own records (and why).
import { dayReportSchema } from '../../../shared/reports';
import type { PosDb } from '../../db/db';
import { ledgerStoreId, managerCall } from '../../sync/manager-session';
import type { EndOfDay } from './end-of-day';
import { localEndOfDay } from './local-day';

export interface DaySource {
  report: EndOfDay;
  /** Why the ledger's report is not shown (null: it is). */
  fallback: string | null;
}

export async function loadEndOfDay(
  db: PosDb,
  date: string,
): Promise<{ ok: true; value: DaySource } | { ok: false; message: string }> {
  const storeId = await ledgerStoreId(db);
  if (storeId) {
    const q = new URLSearchParams({ date });
    const res = await managerCall(
      db,
      `/api/v1/stores/${encodeURIComponent(storeId)}/reports/day?${q}`,
      { schema: dayReportSchema },
    );
    if (res.ok)
      return {
        ok: true,
        value: {
          report: { source: 'ledger', report: res.value, unsyncedHere: null },
          fallback: null,
        },
      };
    if (res.failure === 'bad-request') return { ok: false, message: res.message };
    // Not signed in usually means the ledger was not reachable at PIN login either.
    const why =
      res.failure === 'unauthorized'
        ? 'No manager is signed in to the ledger: lock and log in again with a manager PIN once it is reachable.'
        : res.message;
    return { ok: true, value: { report: await localEndOfDay(db, date), fallback: why } };
  }
  return {
    ok: true,
    value: {
      report: await localEndOfDay(db, date),
      fallback: 'This till runs on its own, without a ledger.',
    },
  };
}
