// At a stall hub: a till's request the hub's own pool cannot cover is topped up from central first, and a manager returns the stall's unsold units to central, once per key.
import type { Kysely } from 'kysely';
import { allotmentGrantSchema, CLOCK_SKEW_MS, type Drop } from '../../shared/drops';
import { type HubReturn, type HubReturnRequest, hubReturnResponseSchema } from '../../shared/hub';
import { nextVersion } from '../db/database';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError, notFound } from '../http/api';
import { dropProgress, lockDrop, moveForTillIn, type TillMove } from '../ledger/allotments';
import { type Db, loadDrops } from '../ledger/drop-rows';
import { CentralError, centralCall } from './central';
import type { HubLink } from './link';

/** The actor of the hub's own movements: units central granted it, or it gave back. */
const CENTRAL_ACTOR = 'central';
const returnActor = (key: string) => `central-return:${key}`;

/** One hub-level allotment change at a time, so a pool checked here is the pool central is asked about. */
export function serialized() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = last.then(fn, fn);
    last = run.catch(() => undefined);
    return run;
  };
}

async function dropAt(db: Db, storeId: string, dropId: string, sku: string): Promise<Drop> {
  const row = await db.selectFrom('drops').selectAll().where('id', '=', dropId).executeTakeFirst();
  if (!row || row.store_id !== storeId) throw notFound(`Drop ${dropId}`);
  const [drop] = await loadDrops(db, [row]);
  if (!drop?.items.some((i) => i.sku === sku)) throw notFound(`${sku} in drop ${dropId}`);
  return drop;
}

async function stallPool(db: Db, drop: Drop, sku: string): Promise<number> {
  return (await dropProgress(db, drop)).find((p) => p.sku === sku)?.pool ?? 0;
}

/**
 * The hub's item quantity becomes its allotment at central (what the mirror keeps it at), and
 * the change is a movement of the hub's own device.
 */
async function recordCentral(
  trx: Db,
  link: HubLink,
  c: { dropId: string; sku: string; delta: number; allotment: number },
  reason: 'request' | 'return',
  actor: string,
  at: string,
) {
  await trx
    .updateTable('drop_items')
    .set({ quantity: c.allotment })
    .where('drop_id', '=', c.dropId)
    .where('sku', '=', c.sku)
    .execute();
  if (c.delta === 0) return;
  await trx
    .insertInto('allotment_movements')
    .values({
      drop_id: c.dropId,
      sku: c.sku,
      device_id: link.deviceId,
      delta: c.delta,
      reason,
      actor,
      created_at: at,
    })
    .execute();
}

/**
 * A till at the hub asks for more: what the stall's pool lacks is asked of central first (with
 * the hub's token, granted from central's pool as for any allottee), recorded here, then the
 * till is granted as usual. Central out of reach: the till is told so and nothing changes.
 */
export async function requestAtHub(
  db: Kysely<LedgerDb>,
  engine: Engine,
  link: HubLink,
  till: { id: string; storeId: string },
  dropId: string,
  ask: { sku: string; qty: number },
  now: Date,
): Promise<TillMove> {
  const drop = await dropAt(db, till.storeId, dropId, ask.sku);
  const live =
    drop.status !== 'cancelled' &&
    drop.allotments !== 'off' &&
    now.getTime() < Date.parse(drop.endsAt) + CLOCK_SKEW_MS;
  const pool = await stallPool(db, drop, ask.sku);
  const move = (granted?: { delta: number; allotment: number }) =>
    db.transaction().execute(async (trx) => {
      if (granted) {
        await lockDrop(trx, engine, dropId);
        const version = await nextVersion(trx);
        await trx.updateTable('drops').set({ version }).where('id', '=', dropId).execute();
        const c = { dropId, sku: ask.sku, ...granted };
        await recordCentral(trx, link, c, 'request', CENTRAL_ACTOR, now.toISOString());
      }
      return moveForTillIn(trx, engine, till, dropId, ask, 'request', now);
    });
  if (!live || pool >= ask.qty) return move();

  const held = await db
    .selectFrom('allotments')
    .select('qty')
    .where('drop_id', '=', dropId)
    .where('sku', '=', ask.sku)
    .where('device_id', '=', till.id)
    .executeTakeFirst();
  const left = Math.max(0, pool);
  let grant: { granted: number; allotment: number; reason?: string | undefined };
  try {
    grant = await centralCall(
      link.upstreamUrl,
      `/api/v1/drops/${encodeURIComponent(dropId)}/allotments/request`,
      {
        method: 'POST',
        token: link.token,
        body: { sku: ask.sku, qty: ask.qty - left },
        schema: allotmentGrantSchema,
        timeoutMs: 10_000,
      },
    );
  } catch (error) {
    if (!(error instanceof CentralError)) throw error;
    const why =
      error.status === null
        ? 'the stall hub cannot reach the central ledger'
        : `the central ledger refused more units (${error.message})`;
    return {
      moved: 0,
      allotment: Number(held?.qty ?? 0),
      reason: `Nothing was granted: ${why}; units left at the stall: ${left}.`,
    };
  }
  const r = await move({ delta: grant.granted, allotment: grant.allotment });
  if (grant.granted < ask.qty - left && grant.reason && r.moved < ask.qty)
    return { ...r, reason: `${r.reason ?? ''} Central: ${grant.reason}`.trim() };
  return r;
}

/**
 * A manager at the hub gives the stall's unsold units (its pool: not sold, not held by its tills)
 * back to central's pool. The key goes to central too, so a retry moves the units once; a key
 * this hub already recorded answers what it moved without asking central again.
 */
export async function returnToCentral(
  db: Kysely<LedgerDb>,
  engine: Engine,
  link: HubLink,
  dropId: string,
  ask: HubReturnRequest,
  now: Date,
): Promise<HubReturn> {
  const drop = await dropAt(db, link.storeId, dropId, ask.sku);
  const recorded = (on: Db = db) =>
    on
      .selectFrom('allotment_movements')
      .select(['drop_id', 'sku', 'delta'])
      .where('device_id', '=', link.deviceId)
      .where('actor', '=', returnActor(ask.key))
      .executeTakeFirst();
  const before = await recorded();
  if (before) {
    if (before.drop_id !== dropId || before.sku !== ask.sku)
      throw conflict(
        `Return key ${ask.key} was already used for ${before.sku} in drop ${before.drop_id}: use a new key for another return.`,
      );
    return {
      returned: -Number(before.delta),
      allotment: drop.items.find((i) => i.sku === ask.sku)?.quantity ?? 0,
    };
  }
  const pool = await stallPool(db, drop, ask.sku);
  if (ask.qty > pool)
    throw conflict(
      `Only ${Math.max(0, pool)} units of ${ask.sku} are unsold at the stall and not held by its tills; nothing was returned.`,
      { sku: ask.sku, available: Math.max(0, pool), requested: ask.qty },
    );
  let answer: HubReturn;
  try {
    answer = await centralCall(
      link.upstreamUrl,
      `/api/v1/hub/drops/${encodeURIComponent(dropId)}/allotments/return`,
      {
        method: 'POST',
        token: link.token,
        body: ask,
        schema: hubReturnResponseSchema,
        timeoutMs: 10_000,
      },
    );
  } catch (error) {
    if (!(error instanceof CentralError)) throw error;
    if (error.status === null)
      throw new HttpError(
        503,
        'unavailable',
        `The stall hub cannot reach the central ledger; nothing was returned (units left at the stall: ${Math.max(0, pool)}). Retry with the same key when it answers.`,
      );
    throw conflict(`${error.message}; nothing was returned.`);
  }
  await db.transaction().execute(async (trx) => {
    await lockDrop(trx, engine, dropId);
    if (await recorded(trx)) return;
    const version = await nextVersion(trx);
    await trx.updateTable('drops').set({ version }).where('id', '=', dropId).execute();
    const c = { dropId, sku: ask.sku, delta: -answer.returned, allotment: answer.allotment };
    await recordCentral(trx, link, c, 'return', returnActor(ask.key), now.toISOString());
  });
  return answer;
}
