// At the central ledger: stall hubs, the tills they enrol, and the facts they forward for those tills (judged as if each till pushed them).
import type { Kysely } from 'kysely';
import { ulid } from 'ulid';
import type { HubReturn, HubReturnRequest, HubTill } from '../../shared/hub';
import { nextVersion } from '../db/database';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, forbidden, HttpError, notFound } from '../http/api';
import { hashToken, newToken } from '../http/auth';
import { heldBy, lockDrop, takeUnits } from './allotments';
import { registerDeviceKey } from './campaigns';
import { freePrefix } from './devices';
import { applyPush, type PushOutcome } from './push';

export interface Hub {
  id: string;
  storeId: string;
}

/** The calling device, when it is an active stall hub; 403 for a till. */
export async function requireHub(
  db: Kysely<LedgerDb>,
  device: { id: string; storeId: string },
): Promise<Hub> {
  const row = await db
    .selectFrom('devices')
    .select(['kind', 'status'])
    .where('id', '=', device.id)
    .executeTakeFirst();
  if (row?.kind !== 'hub' || row.status !== 'active')
    throw forbidden('Only a stall hub may do this: tills push their own facts.');
  return { id: device.id, storeId: device.storeId };
}

/**
 * A till pairing with a hub gets its id and receipt prefix here, so receipt numbers stay unique
 * in the store and central knows the till before any of its facts arrive. Its token at central
 * is one nobody holds: the till talks to central only after re-pairing (it keeps its id then).
 */
export async function registerHubTill(
  db: Kysely<LedgerDb>,
  engine: Engine,
  hub: Hub,
  name: string,
  now: Date,
): Promise<HubTill> {
  return db.transaction().execute(async (trx) => {
    if (engine === 'postgres') {
      await trx
        .selectFrom('stores')
        .select('id')
        .where('id', '=', hub.storeId)
        .forUpdate()
        .execute();
    }
    const prefix = await freePrefix(trx, hub.storeId, 'T');
    const deviceId = ulid();
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        store_id: hub.storeId,
        name,
        prefix,
        token_hash: hashToken(newToken('dev')),
        status: 'active',
        watermark: 0,
        created_at: now.toISOString(),
        last_seen_at: null,
        last_push_at: null,
        last_sale_at: null,
        kind: 'till',
        hub_id: hub.id,
      })
      .execute();
    return { deviceId, prefix };
  });
}

/** 403 unless the till was enrolled through this hub. */
async function requireHubTill(db: Kysely<LedgerDb>, hub: Hub, tillId: string): Promise<void> {
  const till = await db
    .selectFrom('devices')
    .select(['store_id', 'hub_id', 'kind'])
    .where('id', '=', tillId)
    .executeTakeFirst();
  if (till?.kind !== 'till' || till.store_id !== hub.storeId || till.hub_id !== hub.id)
    throw new HttpError(
      403,
      'forbidden',
      `Till ${tillId} was not enrolled through this hub: the hub may act only for its own tills.`,
    );
}

/** A hub's till's signing key, so every till of the store can verify the QR codes it signs. */
export async function registerHubTillKey(
  db: Kysely<LedgerDb>,
  hub: Hub,
  tillId: string,
  publicKey: string,
  now: Date,
): Promise<{ keyId: string }> {
  await requireHubTill(db, hub, tillId);
  return registerDeviceKey(db, { id: tillId, storeId: hub.storeId }, publicKey, now);
}

/**
 * Facts of one of the hub's tills, with the till's own ids and sequence numbers: the same
 * judging, watermark and per-fact verdicts as the till's own push. A till that has since
 * re-paired with central still belongs to its hub here, so what the hub held is delivered too.
 */
export async function hubPush(
  db: Kysely<LedgerDb>,
  engine: Engine,
  hub: Hub,
  tillId: string,
  events: readonly unknown[],
  now: Date,
): Promise<PushOutcome> {
  await requireHubTill(db, hub, tillId);
  // A till revoked at central still sold what it sold: its facts are kept and a manager is told.
  return applyPush(db, engine, { id: tillId, storeId: hub.storeId }, events, now, {
    allowRevoked: true,
  });
}

/** The actor of a hub's return at central: the key makes a retried return a replay. */
const returnActor = (hub: Hub, key: string) => `hub-return:${hub.id}:${key}`;

/**
 * A hub gives unsold units of its allotment back to central's pool: at most what it holds here,
 * once per key. A retry with the same key (the answer was lost on the way) moves nothing and
 * answers what the first one moved; the key used for another item is refused.
 */
export async function returnFromHub(
  db: Kysely<LedgerDb>,
  engine: Engine,
  hub: Hub,
  dropId: string,
  ask: HubReturnRequest,
  now: Date,
): Promise<HubReturn> {
  return db.transaction().execute(async (trx) => {
    // The drop's lock (PostgreSQL) makes two deliveries of one key apply one after the other.
    const row = await lockDrop(trx, engine, dropId);
    if (!row || row.store_id !== hub.storeId) throw notFound(`Drop ${dropId}`);
    const item = await trx
      .selectFrom('drop_items')
      .select('sku')
      .where('drop_id', '=', dropId)
      .where('sku', '=', ask.sku)
      .executeTakeFirst();
    if (!item) throw notFound(`${ask.sku} in drop ${dropId}`);
    const actor = returnActor(hub, ask.key);
    const done = await trx
      .selectFrom('allotment_movements')
      .select(['drop_id', 'sku', 'delta'])
      .where('device_id', '=', hub.id)
      .where('actor', '=', actor)
      .executeTakeFirst();
    if (done && (done.drop_id !== dropId || done.sku !== ask.sku))
      throw conflict(
        `Return key ${ask.key} was already used for ${done.sku} in drop ${done.drop_id}: use a new key for another return.`,
      );
    const held = await heldBy(trx, dropId, ask.sku, hub.id);
    if (done) return { returned: -Number(done.delta), allotment: held };
    const version = await nextVersion(trx);
    const unit = { dropId, sku: ask.sku, deviceId: hub.id };
    const taken = await takeUnits(
      trx,
      unit,
      ask.qty,
      { reason: 'return', actor },
      version,
      now.toISOString(),
    );
    return { returned: taken, allotment: held - taken };
  });
}
