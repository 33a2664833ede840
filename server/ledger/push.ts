// Applying a till's pushed facts: one transaction per batch that judges each fact alone, applies the good ones and moves the watermark.
import type { Kysely, Transaction } from 'kysely';
import { safeText } from '../../shared/bounds';
import type { PushResponse, PushResult } from '../../shared/sync';
import { insertRows } from '../db/bulk-insert';
import { nextVersion } from '../db/database';
import { groupCommitOf } from '../db/group-commit';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError } from '../http/api';
import { applyDerived, applyFacts, applyStock, lastSaleUpdate } from './push-apply';
import { judgeBatch } from './push-judge';
import { advanceWatermark } from './push-watermark';
import { exceptionRow, insertMany } from './write';

export interface PushDevice {
  id: string;
  storeId: string;
}

export interface PushOutcome extends PushResponse {
  counts: { accepted: number; duplicate: number; conflict: number; rejected: number };
}

interface PushOptions {
  /** A revoked till may still bring its facts on a file (they happened); a manager is told. */
  allowRevoked?: boolean;
  /** Store every new fact as rejected with this reason (applying it threw). */
  refuse?: string;
}

async function pushBatch(
  db: Kysely<LedgerDb>,
  engine: Engine,
  device: PushDevice,
  envelopes: readonly unknown[],
  now: Date,
  options: PushOptions,
): Promise<PushOutcome> {
  const receivedAt = now.toISOString();
  // SQLite: pushes that queue up behind a commit share the next one (server/db/group-commit.ts).
  const inTransaction = <T>(work: (trx: Transaction<LedgerDb>) => Promise<T>) =>
    engine === 'sqlite' ? groupCommitOf(db).run(work) : db.transaction().execute(work);
  return inTransaction(async (trx) => {
    const version = await nextVersion(trx);
    let lock = trx
      .selectFrom('devices')
      .select(['watermark', 'status'])
      .where('id', '=', device.id);
    if (engine === 'postgres') lock = lock.forUpdate();
    const row = await lock.executeTakeFirst();
    if (!row) throw conflict('This device does not exist.');
    const revoked = row.status !== 'active';
    if (revoked && !options.allowRevoked) throw conflict('This device is not active.');
    const watermark = Number(row.watermark);
    const store = await trx
      .selectFrom('stores')
      .select('time_zone')
      .where('id', '=', device.storeId)
      .executeTakeFirst();

    const verdicts = await judgeBatch(trx, envelopes, {
      deviceId: device.id,
      storeId: device.storeId,
      watermark,
      revoked,
      receivedAt,
      ...(options.refuse ? { refuse: options.refuse } : {}),
    });
    await insertRows(trx, engine, 'events', verdicts.eventRows);
    await insertMany(trx, 'held_facts', verdicts.heldRows);

    const ctx = { engine, device, timeZone: store?.time_zone ?? 'UTC', receivedAt, version };
    const applied = await applyFacts(trx, verdicts.accepted, ctx);
    const exceptions = [
      ...verdicts.exceptions,
      ...(await applyStock(trx, applied.movements, ctx)),
      ...(await applyDerived(trx, verdicts.accepted, applied, ctx)),
    ];
    await insertMany(
      trx,
      'exceptions',
      exceptions.map((e) => exceptionRow(device.storeId, e, receivedAt)),
    );

    const next = await advanceWatermark(trx, device.id, watermark);
    const updated = await trx
      .updateTable('devices')
      .set({
        watermark: next,
        last_push_at: receivedAt,
        last_seen_at: receivedAt,
        ...lastSaleUpdate(applied.lastSaleAt),
      })
      .where('id', '=', device.id)
      .where('watermark', '=', watermark)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw conflict('Another push from this device moved first; retry.');

    const counts = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const r of verdicts.results) counts[r.status] += 1;
    return { results: verdicts.results, watermark: next, counts };
  });
}

/**
 * Whether an error came from what a fact held (a value a constraint or conversion refused)
 * rather than from the ledger's own state (connection lost, lock, serialization).
 */
function causedByFact(error: unknown): boolean {
  if (error instanceof HttpError) return false;
  if (error instanceof RangeError || error instanceof TypeError) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // PostgreSQL data exceptions (22…) and integrity violations (23…); SQLite constraint and type errors.
  return /^2[23]/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

/**
 * Apply one batch. Each fact gets its own verdict (accepted, duplicate, conflict or
 * rejected with a reason). Should applying the batch still throw because of what one
 * fact held, the facts are applied one by one and the one that throws is stored as
 * rejected with the error, so it never holds back the rest.
 */
export async function applyPush(
  db: Kysely<LedgerDb>,
  engine: Engine,
  device: PushDevice,
  envelopes: readonly unknown[],
  now: Date = new Date(),
  options: { allowRevoked?: boolean } = {},
): Promise<PushOutcome> {
  try {
    return await pushBatch(db, engine, device, envelopes, now, options);
  } catch (error) {
    if (!causedByFact(error)) throw error;
    const results: PushResult[] = [];
    const counts = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
    let watermark = 0;
    for (const envelope of envelopes) {
      let outcome: PushOutcome;
      try {
        outcome = await pushBatch(db, engine, device, [envelope], now, options);
      } catch (alone) {
        if (!causedByFact(alone)) throw alone;
        const message = alone instanceof Error ? alone.message : String(alone);
        const refuse = safeText(`the ledger could not apply this fact: ${message}`);
        outcome = await pushBatch(db, engine, device, [envelope], now, { ...options, refuse });
      }
      results.push(...outcome.results);
      for (const k of Object.keys(counts) as (keyof typeof counts)[])
        counts[k] += outcome.counts[k];
      watermark = outcome.watermark;
    }
    return { results, watermark, counts };
  }
}
