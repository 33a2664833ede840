// Exporting the facts this till has not synced into a signed file, for a manager to carry to the ledger.
import { SYNC_FILE_FORMAT, type SyncFile, sha256Hex, signSyncFile } from '../../shared/sync-file';
import { getSetting, type PosDb } from '../db/db';
import { readDeviceToken } from './token';

export type ExportResult =
  | { ok: true; file: SyncFile; name: string }
  | { ok: false; message: string };

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
  const rows = await db.outbox.orderBy('seq').toArray();
  if (rows.length === 0) return { ok: false, message: 'Everything is already on the ledger.' };
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
    },
    await sha256Hex(token),
  );
  const stamp = now.toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { ok: true, file, name: `poptill-${link.prefix}-${stamp}-${rows.length}-events.json` };
}

/** Hand the file to the browser's (or Electron's) download. */
export function downloadJson(name: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
