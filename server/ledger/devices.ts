// Tills of a store: one-time pairing codes, enrolment that hands out a device token, listing and revoking.
import type { Kysely, Selectable } from 'kysely';
import { ulid } from 'ulid';
import type { EnrollResponse } from '../../shared/sync';
import { nextVersion } from '../db/database';
import type { LedgerDb } from '../db/schema';
import { HttpError, notFound } from '../http/api';
import { hashToken, newToken } from '../http/auth';
import { changeAllotment } from './allotments';
import { shareWithJoiningTill } from './auto-allotments';
import { requireStore } from './write';

export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;

const normalise = (code: string) => code.replace(/-/g, '').toUpperCase();

/** A code a manager reads out or types on the new till: 8 Crockford base32 characters, e.g. 7K3M-Q9XT. */
export async function createPairingCode(
  db: Kysely<LedgerDb>,
  storeId: string,
  now = new Date(),
): Promise<{ code: string; expiresAt: string }> {
  await requireStore(db, storeId);
  // The last 8 characters of a ULID are 40 bits from the CSPRNG, already in Crockford base32.
  const raw = ulid().slice(-8);
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  await db
    .insertInto('pairing_codes')
    .values({
      code_hash: hashToken(raw),
      store_id: storeId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      device_id: null,
    })
    .execute();
  return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, expiresAt };
}

const refused = (message: string) => new HttpError(409, 'conflict', message);

type PairingCodeRow = Selectable<LedgerDb['pairing_codes']>;

/** A pairing code that may still be used, or the refusal in words (404 unknown, 409 used or expired). */
export async function usablePairingCode(
  db: Kysely<LedgerDb>,
  pairingCode: string,
  now: Date,
  engine: 'sqlite' | 'postgres' = 'sqlite',
): Promise<PairingCodeRow> {
  let codeQuery = db
    .selectFrom('pairing_codes')
    .selectAll()
    .where('code_hash', '=', hashToken(normalise(pairingCode)));
  if (engine === 'postgres') codeQuery = codeQuery.forUpdate();
  const code = await codeQuery.executeTakeFirst();
  if (!code)
    throw new HttpError(
      404,
      'not-found',
      'That pairing code does not exist. Check it or ask for a new one.',
    );
  if (code.used_at)
    throw refused('That pairing code was already used. Ask a manager for a new one.');
  if (code.expires_at < now.toISOString())
    throw refused('That pairing code has expired (they last 15 minutes). Ask for a new one.');
  return code;
}

/** The first free receipt prefix of a store: T1, T2… for tills, H1, H2… for stall hubs. */
export async function freePrefix(
  trx: Kysely<LedgerDb>,
  storeId: string,
  letter: 'T' | 'H',
): Promise<string> {
  const prefixes = await trx
    .selectFrom('devices')
    .select('prefix')
    .where('store_id', '=', storeId)
    .execute();
  const taken = new Set(prefixes.map((p) => p.prefix));
  let n = 1;
  while (taken.has(`${letter}${n}`)) n += 1;
  return `${letter}${n}`;
}

export interface EnrolOptions {
  /** A stall hub enrolling at the central ledger, rather than a till. */
  kind?: 'till' | 'hub';
  /**
   * Re-pair a till of this store that a stall hub enrolled, under its own id (its hub died):
   * a new token, the same prefix and watermark, so its sequence numbers carry on.
   */
  deviceId?: string;
  /** At a stall hub: the id and prefix the central ledger gave the till. */
  assigned?: { deviceId: string; prefix: string };
}

export async function enrollDevice(
  db: Kysely<LedgerDb>,
  pairingCode: string,
  name: string,
  now = new Date(),
  engine: 'sqlite' | 'postgres' = 'sqlite',
  options: EnrolOptions = {},
): Promise<EnrollResponse> {
  return db.transaction().execute(async (trx) => {
    // Lock the code, then the store: concurrent enrolments take their turn for a code and a prefix.
    const code = await usablePairingCode(trx, pairingCode, now, engine);
    if (engine === 'postgres') {
      await trx
        .selectFrom('stores')
        .select('id')
        .where('id', '=', code.store_id)
        .forUpdate()
        .execute();
    }
    const token = newToken('dev');
    const markCodeUsed = async (deviceId: string) => {
      const used = await trx
        .updateTable('pairing_codes')
        .set({ used_at: now.toISOString(), device_id: deviceId })
        .where('code_hash', '=', code.code_hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1)
        throw refused('That pairing code was already used. Ask a manager for a new one.');
    };
    if (options.deviceId) {
      const known = await trx
        .selectFrom('devices')
        .select(['id', 'store_id', 'prefix', 'kind', 'hub_id'])
        .where('id', '=', options.deviceId)
        .executeTakeFirst();
      if (!known || known.store_id !== code.store_id || known.kind !== 'till' || !known.hub_id)
        throw refused(
          `This ledger has no till ${options.deviceId} of a stall hub in this store to take over: pair it as a new till instead.`,
        );
      await trx
        .updateTable('devices')
        .set({
          token_hash: hashToken(token),
          status: 'active',
          name,
          last_seen_at: now.toISOString(),
        })
        .where('id', '=', known.id)
        .execute();
      await markCodeUsed(known.id);
      return { deviceId: known.id, storeId: code.store_id, prefix: known.prefix, token };
    }
    const kind = options.kind ?? 'till';
    const prefix =
      options.assigned?.prefix ??
      (await freePrefix(trx, code.store_id, kind === 'hub' ? 'H' : 'T'));
    const deviceId = options.assigned?.deviceId ?? ulid();
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        store_id: code.store_id,
        name,
        prefix,
        token_hash: hashToken(token),
        status: 'active',
        watermark: 0,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        last_push_at: null,
        last_sale_at: null,
        kind,
      })
      .execute();
    await markCodeUsed(deviceId);
    // A till paired while drops are live or upcoming gets its share now, not only what is left.
    await shareWithJoiningTill(trx, { id: deviceId, storeId: code.store_id }, now);
    return { deviceId, storeId: code.store_id, prefix, token };
  });
}

export async function listDevices(db: Kysely<LedgerDb>, storeId: string) {
  const rows = await db
    .selectFrom('devices')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('prefix')
    .execute();
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    prefix: d.prefix,
    status: d.status,
    watermark: Number(d.watermark),
    createdAt: d.created_at,
    lastSeenAt: d.last_seen_at,
    lastPushAt: d.last_push_at,
    lastSaleAt: d.last_sale_at,
  }));
}

/**
 * Revoke a till: its token stops working, and the units it held of drops not yet ended go back
 * to the pool (it can no longer push a sale of them), where other tills can ask for them.
 */
export async function revokeDevice(
  db: Kysely<LedgerDb>,
  deviceId: string,
  now = new Date(),
): Promise<{ storeId: string }> {
  const storeId = await deviceStore(db, deviceId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('devices')
      .set({ status: 'revoked' })
      .where('id', '=', deviceId)
      .execute();
    // Its signing key vouches for nothing from every other till's next pull (they hold it already).
    await trx
      .updateTable('promo_keys')
      .set({ revoked: 1, retired: 1, version: await nextVersion(trx) })
      .where('device_id', '=', deviceId)
      .where('kind', '=', 'ed25519')
      .execute();
    const held = await trx
      .selectFrom('allotments')
      .innerJoin('drops', 'drops.id', 'allotments.drop_id')
      .select(['allotments.drop_id', 'allotments.sku', 'allotments.qty'])
      .where('allotments.device_id', '=', deviceId)
      .where('allotments.qty', '>', 0)
      .where('drops.ends_at', '>', now.toISOString())
      .execute();
    if (held.length === 0) return;
    const version = await nextVersion(trx);
    for (const h of held) {
      const c = { dropId: h.drop_id, sku: h.sku, deviceId, delta: -Number(h.qty) };
      await changeAllotment(trx, c, 'return', 'revoked', version, now.toISOString());
    }
  });
  return { storeId };
}

export async function deviceStore(db: Kysely<LedgerDb>, deviceId: string): Promise<string> {
  const device = await db
    .selectFrom('devices')
    .select('store_id')
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (!device) throw notFound(`Device ${deviceId}`);
  return device.store_id;
}
