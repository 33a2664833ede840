// The stall hub forwards its tills' facts to the central ledger in sequence order, each with its own id and seq, keeping central's verdicts so a restart resends only what central has not judged.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type PushResponse, pushResponseSchema } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import { CentralError, centralCall } from './central';
import type { HubLink } from './link';

/** Facts per forward: well inside what central takes (2,000 facts, 4 MiB); a fact is ≤ 256 KiB, so big ones go fewer at a time. */
const BATCH_FACTS = 500;
const BATCH_BYTES = 3 * 1024 * 1024;

const keyAnswerSchema = z.object({ keyId: z.string() });

interface Pending {
  id: string;
  seq: number;
  type: string;
  createdAt: string;
  payload: unknown;
}

async function pendingOf(
  db: Kysely<LedgerDb>,
  deviceId: string,
  after: number,
): Promise<Pending[]> {
  const rows = await db
    .selectFrom('events')
    .select(['id', 'seq', 'type', 'device_time', 'payload'])
    .where('device_id', '=', deviceId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(BATCH_FACTS)
    .execute();
  const out: Pending[] = [];
  let bytes = 0;
  for (const r of rows) {
    bytes += r.payload.length + 200;
    if (out.length > 0 && bytes > BATCH_BYTES) break;
    // Exactly what the till sent (the payload is stored as it came), so central's content hash is the hub's.
    out.push({
      id: r.id,
      seq: Number(r.seq),
      type: r.type,
      createdAt: r.device_time,
      payload: JSON.parse(r.payload) as unknown,
    });
  }
  return out;
}

/** Central's verdicts and the till's new progress, in one transaction: a kill before it resends the batch (answered duplicate). */
async function recordVerdicts(
  db: Kysely<LedgerDb>,
  deviceId: string,
  batch: Pending[],
  answer: PushResponse,
  at: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [i, fact] of batch.entries()) {
      const result = answer.results[i] as PushResponse['results'][number];
      const row = { status: result.status, reason: result.reason ?? null, at };
      await trx
        .insertInto('upstream_verdicts')
        .values({ device_id: deviceId, seq: fact.seq, event_id: fact.id, ...row })
        .onConflict((oc) => oc.columns(['device_id', 'seq']).doUpdateSet(row))
        .execute();
    }
    const forwarded = (batch[batch.length - 1] as Pending).seq;
    await trx
      .insertInto('upstream_progress')
      .values({ device_id: deviceId, forwarded_seq: forwarded, forwarded_at: at })
      .onConflict((oc) =>
        oc.column('device_id').doUpdateSet({ forwarded_seq: forwarded, forwarded_at: at }),
      )
      .execute();
    await trx.updateTable('hub_link').set({ last_push_at: at }).where('id', '=', 1).execute();
  });
}

/**
 * Forward every fact central has not judged yet, till by till, in each till's sequence order.
 * Throws (a CentralError) when central does not answer or refuses a batch: nothing is recorded
 * for that batch and the next round sends it again. Returns how many facts central judged.
 */
export async function forwardPending(
  db: Kysely<LedgerDb>,
  link: HubLink,
  now: () => Date = () => new Date(),
): Promise<number> {
  const tills = await db
    .selectFrom('devices')
    .leftJoin('upstream_progress', 'upstream_progress.device_id', 'devices.id')
    .select(['devices.id', 'upstream_progress.forwarded_seq'])
    .where('devices.kind', '=', 'till')
    .orderBy('devices.id')
    .execute();
  let judged = 0;
  for (const till of tills) {
    let after = Number(till.forwarded_seq ?? 0);
    for (;;) {
      const batch = await pendingOf(db, till.id, after);
      if (batch.length === 0) break;
      const answer = await centralCall(link.upstreamUrl, '/api/v1/hub/push', {
        method: 'POST',
        token: link.token,
        body: { deviceId: till.id, events: batch },
        schema: pushResponseSchema,
        timeoutMs: 60_000,
      });
      if (answer.results.length !== batch.length)
        throw new CentralError(
          `The central ledger answered ${answer.results.length} verdicts for ${batch.length} facts.`,
          200,
        );
      await recordVerdicts(db, till.id, batch, answer, now().toISOString());
      judged += batch.length;
      after = (batch[batch.length - 1] as Pending).seq;
    }
  }
  return judged;
}

/**
 * The signing keys the hub's tills registered here, passed on to central once per run (central
 * takes a key it has again as a no-op), so tills elsewhere in the store verify their QR codes.
 */
export async function forwardTillKeys(
  db: Kysely<LedgerDb>,
  link: HubLink,
  sent: Set<string>,
): Promise<void> {
  const keys = await db
    .selectFrom('promo_keys')
    .innerJoin('devices', 'devices.id', 'promo_keys.device_id')
    .select(['promo_keys.id', 'promo_keys.device_id', 'promo_keys.public_key'])
    .where('promo_keys.kind', '=', 'ed25519')
    .where('promo_keys.revoked', '=', 0)
    .where('devices.kind', '=', 'till')
    .execute();
  for (const k of keys) {
    if (sent.has(k.id) || !k.device_id || !k.public_key) continue;
    await centralCall(link.upstreamUrl, '/api/v1/hub/keys', {
      method: 'POST',
      token: link.token,
      body: { deviceId: k.device_id, publicKey: k.public_key },
      schema: keyAnswerSchema,
    });
    sent.add(k.id);
  }
}

/** How the link stands, for a manager at the stall: when central last took facts and gave a pull, and how many facts wait. */
export async function hubStatus(db: Kysely<LedgerDb>) {
  const link = await db.selectFrom('hub_link').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!link) return null;
  const tills = await db
    .selectFrom('devices')
    .leftJoin('upstream_progress', 'upstream_progress.device_id', 'devices.id')
    .select(['devices.id', 'upstream_progress.forwarded_seq'])
    .where('devices.kind', '=', 'till')
    .execute();
  let waiting = 0;
  for (const t of tills) {
    const row = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('device_id', '=', t.id)
      .where('seq', '>', Number(t.forwarded_seq ?? 0))
      .executeTakeFirstOrThrow();
    waiting += Number(row.n);
  }
  return {
    upstream: link.upstream_url,
    storeId: link.store_id,
    lastForwardAt: link.last_push_at,
    lastPullAt: link.last_pull_at,
    waitingFacts: waiting,
  };
}
