// Applying a sneakernet file: the same idempotent push, in batches, after checking the till's signature.
import type { Kysely } from 'kysely';
import { LEDGER_MAX_PUSH_EVENTS } from '../../shared/sync';
import { type SyncFile, verifySyncFile } from '../../shared/sync-file';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { HttpError, notFound } from '../http/api';
import { applyPush } from './push';

export interface ImportSummary {
  deviceId: string;
  accepted: number;
  duplicate: number;
  /** Ids the ledger already held with other content: kept aside, a manager is told. */
  conflict: number;
  rejected: number;
  watermark: number;
}

export async function importSyncFile(
  db: Kysely<LedgerDb>,
  engine: Engine,
  file: SyncFile,
  now: () => Date = () => new Date(),
): Promise<ImportSummary> {
  const device = await db
    .selectFrom('devices')
    .select(['id', 'store_id', 'token_hash'])
    .where('id', '=', file.deviceId)
    .executeTakeFirst();
  if (!device) throw notFound(`Device ${file.deviceId}`);
  if (device.store_id !== file.storeId)
    throw new HttpError(
      400,
      'bad-request',
      'The file names another store than its device belongs to.',
    );
  if (!(await verifySyncFile(file, device.token_hash))) {
    throw new HttpError(
      400,
      'bad-request',
      'The file signature does not match this till: it was changed or comes from another device.',
    );
  }
  const summary: ImportSummary = {
    deviceId: device.id,
    accepted: 0,
    duplicate: 0,
    conflict: 0,
    rejected: 0,
    watermark: 0,
  };
  const events = [...file.events].sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < events.length; i += LEDGER_MAX_PUSH_EVENTS) {
    const outcome = await applyPush(
      db,
      engine,
      { id: device.id, storeId: device.store_id },
      events.slice(i, i + LEDGER_MAX_PUSH_EVENTS),
      now(),
      {
        allowRevoked: true,
      },
    );
    summary.accepted += outcome.counts.accepted;
    summary.duplicate += outcome.counts.duplicate;
    summary.conflict += outcome.counts.conflict;
    summary.rejected += outcome.counts.rejected;
    summary.watermark = outcome.watermark;
  }
  return summary;
}
