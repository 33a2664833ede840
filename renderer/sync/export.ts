// Exporting the facts the ledger has not applied (unsynced, and those it judged final) into a signed file for a manager.
import {
  type JudgedFact,
  SYNC_FILE_FORMAT,
  type SyncFile,
  sha256Hex,
  signSyncFile,
} from '../../shared/sync-file';
import { getSetting, type PosDb } from '../db/db';
import { readDeviceToken } from './token';

export type ExportResult =
  | { ok: true; file: SyncFile; name: string }
  | { ok: false; message: string };

/**
 * Build the signed file and record the export, so a manager may then re-enrol or reset this
 * till. The import applies `events`; the `rejected` section is the record of what the ledger
 * refused and why (it holds those facts already).
 */
export async function exportUnsynced(db: PosDb, now = new Date()): Promise<ExportResult> {
  const link = await getSetting(db, 'ledger');
  if (!link)
    return {
      ok: false,
      message: 'This till is not enrolled with a ledger: there is nothing to carry over.',
    };
  const token = await readDeviceToken(db);
  if (!token)
    return {
      ok: false,
      message: 'This till has lost its device token, so the file could not be signed.',
    };
  // One read: a fact moving from the outbox to the rejected list meanwhile is in the file once.
  const [rows, judged] = await db.transaction('r', [db.outbox, db.rejected], () =>
    Promise.all([db.outbox.orderBy('seq').toArray(), db.rejected.orderBy('seq').toArray()]),
  );
  if (rows.length === 0 && judged.length === 0)
    return { ok: false, message: 'Everything is already on the ledger.' };
  // Fields in the schema's order: the ledger re-serialises what it parsed to check the signature.
  const rejected: JudgedFact[] = judged.map((r) => ({
    id: r.eventId,
    seq: r.seq,
    type: r.type,
    createdAt: r.createdAt,
    payload: r.payload,
    verdict: r.verdict,
    reason: r.reason,
    judgedAt: r.judgedAt,
  }));
  const file = await signSyncFile(
    {
      format: SYNC_FILE_FORMAT,
      deviceId: link.deviceId,
      storeId: link.storeId,
      exportedAt: now.toISOString(),
      events: rows.map((r) => ({
        id: r.eventId,
        seq: r.seq,
        type: r.type,
        createdAt: r.createdAt,
        payload: r.payload,
      })),
      ...(rejected.length > 0 ? { rejected } : {}),
    },
    await sha256Hex(token),
  );
  const stamp = now.toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const name = `poptill-${link.prefix}-${stamp}-${rows.length}-events${
    rejected.length > 0 ? `-${rejected.length}-rejected` : ''
  }.json`;
  await db.settings.put({
    key: 'export',
    value: {
      exportedAt: now.toISOString(),
      fileName: name,
      // Both lists are in seq order; no spread, a queue can hold more facts than a call takes arguments.
      throughSeq: Math.max(rows.at(-1)?.seq ?? 0, judged.at(-1)?.seq ?? 0),
      events: rows.length,
      rejected: rejected.length,
    },
  });
  return { ok: true, file, name };
}

/** Hand the file to the browser's (or Electron's) download. */
export function downloadJson(name: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
