// Promo campaigns at the ledger: saving and reading campaigns, the store's MAC keys, tills' signing keys and batches of codes.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Audience, Campaign, Offer, PromoKey, Scope } from '../../shared/promo';
import { issueCode, LEDGER_DEVICE_NO, MAX_CODE_SEQ, prefixKey } from '../../shared/promo-code';
import { nextVersion } from '../db/database';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError, notFound } from '../http/api';
import { requireStore } from './write';

type CampaignRow = Selectable<LedgerDb['campaigns']>;

export function campaignFromRow(r: CampaignRow): Campaign {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    offer: JSON.parse(r.offer) as Offer,
    scope: JSON.parse(r.scope) as Scope,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    audience: JSON.parse(r.audience) as Audience,
    maxUsesPerCode: r.max_uses_per_code === null ? null : Number(r.max_uses_per_code),
    maxUsesPerCustomer: r.max_uses_per_customer === null ? null : Number(r.max_uses_per_customer),
    budget: r.budget === null ? null : Number(r.budget),
    channel: r.channel,
    promoter: r.promoter,
    promoterCost: Number(r.promoter_cost),
    tillsMayIssue: r.tills_may_issue === 1,
    ...(r.signed_only === 1 ? { signedOnly: true } : {}),
    status: r.status,
  };
}

const invalid = (message: string, path: string) =>
  new HttpError(400, 'bad-request', message, [{ path, message }]);

/** Create or replace a campaign of a store. Rules zod cannot see are refused here with a plain reason. */
export async function upsertCampaign(
  db: Kysely<LedgerDb>,
  storeId: string,
  c: Campaign,
  now: Date,
): Promise<Campaign> {
  if (Date.parse(c.endsAt) <= Date.parse(c.startsAt)) {
    throw invalid('A campaign must end after it starts.', 'body.endsAt');
  }
  if (
    c.offer.kind === 'fixed-price' &&
    c.scope.kind === 'skus' &&
    !c.scope.skus.includes(c.offer.sku)
  ) {
    throw invalid(
      `The fixed-price item ${c.offer.sku} is not in the campaign's SKUs.`,
      'body.offer.sku',
    );
  }
  await requireStore(db, storeId);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('campaigns')
      .select(['store_id', 'created_at'])
      .where('id', '=', c.id)
      .executeTakeFirst();
    if (existing && existing.store_id !== storeId) {
      throw conflict(`Campaign id ${c.id} is taken by another store.`);
    }
    // Readers take I and L for 1 and O for 0: two prefixes that read alike would be one to a till.
    const others = await trx
      .selectFrom('campaigns')
      .select(['id', 'prefix'])
      .where('store_id', '=', storeId)
      .where('id', '!=', c.id)
      .execute();
    const clash = others.find(
      (o) => o.prefix !== c.prefix && prefixKey(o.prefix) === prefixKey(c.prefix),
    );
    if (clash) {
      throw invalid(
        `Prefix ${c.prefix} reads like ${clash.prefix} (campaign ${clash.id}).`,
        'body.prefix',
      );
    }
    const version = await nextVersion(trx);
    const row = {
      store_id: storeId,
      name: c.name,
      prefix: c.prefix,
      offer: JSON.stringify(c.offer),
      scope: JSON.stringify(c.scope),
      starts_at: c.startsAt,
      ends_at: c.endsAt,
      audience: JSON.stringify(c.audience),
      max_uses_per_code: c.maxUsesPerCode,
      max_uses_per_customer: c.maxUsesPerCustomer,
      budget: c.budget,
      channel: c.channel,
      promoter: c.promoter,
      promoter_cost: c.promoterCost,
      tills_may_issue: c.tillsMayIssue ? (1 as const) : (0 as const),
      signed_only: c.signedOnly ? (1 as const) : (0 as const),
      status: c.status,
      version,
    };
    await trx
      .insertInto('campaigns')
      .values({ id: c.id, ...row, created_at: existing?.created_at ?? now.toISOString() })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    return c;
  });
}

export async function listCampaigns(db: Kysely<LedgerDb>, storeId: string): Promise<Campaign[]> {
  const rows = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map(campaignFromRow);
}

export async function getCampaign(
  db: Kysely<LedgerDb>,
  storeId: string,
  campaignId: string,
): Promise<Campaign> {
  const row = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!row) throw notFound(`Campaign ${campaignId}`);
  return campaignFromRow(row);
}

const newSecret = () => randomBytes(32).toString('base64url');

/**
 * The store's MAC keys (current first, then retired ones that still verify old codes, and
 * revoked ones that verify nothing).
 * The first key is made on first need, under a fixed id so two concurrent first pulls make one.
 */
export async function storeHmacKeys(
  db: Kysely<LedgerDb>,
  storeId: string,
  now: Date,
): Promise<Extract<PromoKey, { kind: 'hmac' }>[]> {
  const read = () =>
    db
      .selectFrom('promo_keys')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('kind', '=', 'hmac')
      .orderBy('revoked')
      .orderBy('retired')
      .orderBy('created_at', 'desc')
      .execute();
  let rows = await read();
  if (rows.length === 0) {
    const version = await nextVersion(db);
    await db
      .insertInto('promo_keys')
      .values({
        id: `hmac-${storeId}-1`,
        store_id: storeId,
        kind: 'hmac',
        secret: newSecret(),
        device_id: null,
        public_key: null,
        retired: 0,
        version,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    rows = await read();
  }
  return rows.map((r) => ({
    kind: 'hmac',
    id: r.id,
    secret: r.secret ?? '',
    retired: r.retired === 1,
    ...(r.revoked === 1 ? { revoked: true } : {}),
  }));
}

/**
 * Withdraw a promo key for good (a store MAC key taken from a stolen till, or a till's signing
 * key): tills refuse everything made with it from their next pull, offline too, and so does the
 * ledger. Revoking the current MAC key starts a new one, as rotating does.
 */
export async function revokePromoKey(
  db: Kysely<LedgerDb>,
  storeId: string,
  keyId: string,
  now: Date,
): Promise<{ keyId: string; revoked: true; current: string | null }> {
  await requireStore(db, storeId);
  const key = await db
    .selectFrom('promo_keys')
    .select(['kind', 'retired'])
    .where('store_id', '=', storeId)
    .where('id', '=', keyId)
    .executeTakeFirst();
  if (!key) throw notFound(`Promo key ${keyId}`);
  const wasCurrent = key.kind === 'hmac' && key.retired === 0;
  await db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    await trx
      .updateTable('promo_keys')
      .set({ revoked: 1, retired: 1, version })
      .where('store_id', '=', storeId)
      .where('id', '=', keyId)
      .execute();
  });
  const current = wasCurrent ? (await rotateHmacKey(db, storeId, now)).keyId : null;
  return { keyId, revoked: true, current };
}

/** Retire the current MAC key (it keeps verifying) and make a new one that tills issue with from their next pull. */
export async function rotateHmacKey(
  db: Kysely<LedgerDb>,
  storeId: string,
  now: Date,
): Promise<{ keyId: string; retired: string[] }> {
  await requireStore(db, storeId);
  return db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    const current = await trx
      .selectFrom('promo_keys')
      .select('id')
      .where('store_id', '=', storeId)
      .where('kind', '=', 'hmac')
      .where('retired', '=', 0)
      .execute();
    await trx
      .updateTable('promo_keys')
      .set({ retired: 1, version })
      .where('store_id', '=', storeId)
      .where('kind', '=', 'hmac')
      .where('retired', '=', 0)
      .execute();
    const keyId = `hmac-${storeId}-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
    await trx
      .insertInto('promo_keys')
      .values({
        id: keyId,
        store_id: storeId,
        kind: 'hmac',
        secret: newSecret(),
        device_id: null,
        public_key: null,
        retired: 0,
        version,
        created_at: now.toISOString(),
      })
      .execute();
    return { keyId, retired: current.map((k) => k.id) };
  });
}

/** Record a till's Ed25519 public key; its id is what the till writes into its QR codes. */
export async function registerDeviceKey(
  db: Kysely<LedgerDb>,
  device: { id: string; storeId: string },
  publicKey: string,
  now: Date,
): Promise<{ keyId: string }> {
  const keyId = `ed-${publicKey.slice(0, 16)}`;
  await db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('promo_keys')
      .select(['device_id', 'public_key'])
      .where('id', '=', keyId)
      .executeTakeFirst();
    if (taken) {
      if (taken.device_id === device.id && taken.public_key === publicKey) return;
      throw conflict('That public key is registered to another till.');
    }
    const version = await nextVersion(trx);
    await trx
      .insertInto('promo_keys')
      .values({
        id: keyId,
        store_id: device.storeId,
        kind: 'ed25519',
        secret: null,
        device_id: device.id,
        public_key: publicKey,
        retired: 0,
        version,
        created_at: now.toISOString(),
      })
      .execute();
  });
  return { keyId };
}

/**
 * Issue `count` codes from the ledger itself (device number 0): for a creator's cards, labels
 * or CSV. Sequences continue from the campaign's last ledger-issued code.
 */
export async function issueCodeBatch(
  db: Kysely<LedgerDb>,
  engine: Engine,
  storeId: string,
  campaignId: string,
  count: number,
  now: Date,
): Promise<{ campaign: Campaign; codes: string[] }> {
  const campaign = await getCampaign(db, storeId, campaignId);
  const [key] = await storeHmacKeys(db, storeId, now);
  if (!key || key.retired) throw conflict('The store has no current promo key; rotate keys first.');
  return db.transaction().execute(async (trx) => {
    // One batch at a time per campaign, so two batches never take the same sequence numbers.
    let lock = trx.selectFrom('campaigns').select('id').where('id', '=', campaignId);
    if (engine === 'postgres') lock = lock.forUpdate();
    await lock.executeTakeFirst();
    const issued = await trx
      .selectFrom('promo_codes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('device_id', 'is', null)
      .executeTakeFirstOrThrow();
    const first = Number(issued.n) + 1;
    if (first + count - 1 > MAX_CODE_SEQ)
      throw conflict('This campaign has run out of ledger codes.');
    const codes = Array.from({ length: count }, (_, i) =>
      issueCode({ campaign, deviceNo: LEDGER_DEVICE_NO, seq: first + i, key }),
    );
    const at = now.toISOString();
    for (let i = 0; i < codes.length; i += 1_000) {
      await trx
        .insertInto('promo_codes')
        .values(
          codes.slice(i, i + 1_000).map((code) => ({
            code,
            store_id: storeId,
            campaign_id: campaignId,
            device_id: null,
            sale_id: null,
            member_id: null,
            issued_at: at,
          })),
        )
        .execute();
    }
    return { campaign, codes };
  });
}
