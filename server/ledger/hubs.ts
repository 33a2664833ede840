// At the central ledger: stall hubs, the tills they enrol, and the facts they forward for those tills (judged as if each till pushed them).
import type { Kysely } from 'kysely';
import { ulid } from 'ulid';
import type { HubTill } from '../../shared/hub';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { forbidden, HttpError } from '../http/api';
import { hashToken, newToken } from '../http/auth';
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
