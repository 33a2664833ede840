// Each store's secret member-contact key (made on first need, pulled to its tills) and contact hashing at the ledger with it.
import { randomBytes, scrypt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { storeSettingsSchema } from '../../shared/catalog';
import { CONTACT_KDF, contactDigest, normaliseContact } from '../../shared/members';
import { regionOfLocale } from '../../shared/phone-number';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';

/** The store's member key, made (once, whoever asks first) when it has none. */
export async function memberKeyOf(
  db: Kysely<LedgerDb>,
  storeId: string,
  now: Date,
): Promise<string> {
  const existing = await db
    .selectFrom('store_secrets')
    .select('member_key')
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  if (existing) return existing.member_key;
  await db
    .insertInto('store_secrets')
    .values({
      store_id: storeId,
      member_key: randomBytes(32).toString('hex'),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('store_id').doNothing())
    .execute();
  const made = await db
    .selectFrom('store_secrets')
    .select('member_key')
    .where('store_id', '=', storeId)
    .executeTakeFirstOrThrow();
  return made.member_key;
}

/**
 * The same hash as `contactHash` in shared/members.ts, with Node's native scrypt (a few times
 * faster than the tills' JavaScript, and off the event loop); a test holds the two equal.
 */
export function keyedDigest(memberKey: string, digest: string): Promise<string> {
  const { N, r, p, dkLen } = CONTACT_KDF;
  return new Promise((resolve, reject) =>
    scrypt(digest, Buffer.from(memberKey, 'hex'), dkLen, { N, r, p }, (error, key) =>
      error ? reject(error) : resolve(key.toString('hex')),
    ),
  );
}

/** Hashes a member's phone or e-mail the way the store's tills will look it up. */
export async function hashContactAtLedger(
  db: Kysely<LedgerDb>,
  storeId: string,
  phoneOrEmail: string,
  now: Date,
): Promise<string> {
  const store = await db
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) throw notFound(`Store ${storeId}`);
  const { locale } = storeSettingsSchema.parse(JSON.parse(store.settings));
  const normalised = normaliseContact(phoneOrEmail, regionOfLocale(locale));
  return keyedDigest(await memberKeyOf(db, storeId, now), contactDigest(storeId, normalised));
}
