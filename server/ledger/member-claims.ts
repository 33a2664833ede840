// Member claims at the ledger: personal links keyed with a ledger secret, the offers a member may claim, and one code per member and offer, issued by the ledger (device 0) so every till verifies it offline.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { storeSettingsSchema } from '../../shared/catalog';
import { type ClaimCheck, mayClaim } from '../../shared/member-claim';
import type { Campaign } from '../../shared/promo';
import { issueCode, LEDGER_DEVICE_NO, MAX_CODE_SEQ } from '../../shared/promo-code';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError } from '../http/api';
import { campaignFromRow, storeHmacKeys } from './campaigns';

/**
 * The tag in a member's link: HMAC-SHA256 of the store and member under a secret only the ledger
 * holds (never the member key tills pull), 128 bits, so a member id alone opens nothing.
 */
export function memberLinkTag(secret: string, storeId: string, memberId: string): string {
  return createHmac('sha256', secret)
    .update(`poptill-member-link-v1|${storeId}|${memberId}`)
    .digest('base64url')
    .slice(0, 22);
}

export function memberLinkPath(secret: string, storeId: string, memberId: string): string {
  return `/m/${encodeURIComponent(storeId)}/${memberId}/${memberLinkTag(secret, storeId, memberId)}`;
}

const linkRefused = () => new HttpError(404, 'not-found', 'This member link is not valid.');

export interface LinkedMember {
  storeId: string;
  memberId: string;
  tiers: string[];
  active: boolean;
  timeZone: string;
}

/** The member a link names, if its tag is right and the member exists; else 404 (the same for both). */
export async function memberOfLink(
  db: Kysely<LedgerDb>,
  secret: string,
  link: { storeId: string; memberId: string; tag: string },
): Promise<LinkedMember> {
  const expected = Buffer.from(memberLinkTag(secret, link.storeId, link.memberId));
  const given = Buffer.from(link.tag);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw linkRefused();
  const row = await db
    .selectFrom('members')
    .innerJoin('stores', 'stores.id', 'members.store_id')
    .select(['members.tiers', 'members.active', 'stores.settings'])
    .where('members.store_id', '=', link.storeId)
    .where('members.id', '=', link.memberId)
    .executeTakeFirst();
  if (!row) throw linkRefused();
  return {
    storeId: link.storeId,
    memberId: link.memberId,
    tiers: JSON.parse(row.tiers),
    active: row.active === 1,
    timeZone: storeSettingsSchema.parse(JSON.parse(row.settings)).timeZone,
  };
}

export interface MemberOffer {
  campaign: Campaign;
  check: ClaimCheck;
  /** The code this member claimed, if they have. */
  code: string | null;
}

type Db = Kysely<LedgerDb>;

async function usesOf(db: Db, storeId: string, memberId: string, campaignId: string) {
  const row = await db
    .selectFrom('redemptions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('store_id', '=', storeId)
    .where('member_id', '=', memberId)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function claimedCode(db: Db, storeId: string, memberId: string, campaignId: string) {
  const row = await db
    .selectFrom('promo_codes')
    .select('code')
    .where('store_id', '=', storeId)
    .where('campaign_id', '=', campaignId)
    .where('member_id', '=', memberId)
    .where('device_id', 'is', null)
    .orderBy('issued_at')
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Member offers the member holds or could claim now (others are not shown). */
export async function memberOffers(
  db: Db,
  member: LinkedMember,
  now: Date,
): Promise<MemberOffer[]> {
  const rows = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('store_id', '=', member.storeId)
    .orderBy('id')
    .execute();
  const offers: MemberOffer[] = [];
  for (const campaign of rows.map(campaignFromRow)) {
    if (campaign.audience.kind === 'anyone') continue;
    const uses = await usesOf(db, member.storeId, member.memberId, campaign.id);
    const check = mayClaim(campaign, member, uses, now, member.timeZone);
    const code = await claimedCode(db, member.storeId, member.memberId, campaign.id);
    if (check.ok || code || check.code === 'used') offers.push({ campaign, check, code });
  }
  return offers;
}

/**
 * Claim a code of the campaign for the member: the same code again if they claimed before (one
 * claim per member and offer), else a new ledger-issued code recorded with the member. Checked and
 * written in one transaction holding the campaign row, so two taps on two ledgers make one code.
 */
export async function claimOffer(
  db: Db,
  engine: Engine,
  member: LinkedMember,
  campaignId: string,
  now: Date,
): Promise<string> {
  const [key] = await storeHmacKeys(db, member.storeId, now);
  if (!key || key.retired) throw conflict('The store has no current promo key.');
  return db.transaction().execute(async (trx) => {
    let lock = trx
      .selectFrom('campaigns')
      .selectAll()
      .where('store_id', '=', member.storeId)
      .where('id', '=', campaignId);
    if (engine === 'postgres') lock = lock.forUpdate();
    const row = await lock.executeTakeFirst();
    if (!row) throw new HttpError(404, 'not-found', 'No such offer.');
    const campaign = campaignFromRow(row);
    const tx = trx as unknown as Db;
    const existing = await claimedCode(tx, member.storeId, member.memberId, campaignId);
    if (existing) return existing;
    const uses = await usesOf(tx, member.storeId, member.memberId, campaignId);
    const check = mayClaim(campaign, member, uses, now, member.timeZone);
    if (!check.ok) throw conflict(check.message, { code: check.code });
    const issued = await trx
      .selectFrom('promo_codes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('device_id', 'is', null)
      .executeTakeFirstOrThrow();
    const seq = Number(issued.n) + 1;
    if (seq > MAX_CODE_SEQ) throw conflict('This offer has run out of codes.');
    const code = issueCode({ campaign, deviceNo: LEDGER_DEVICE_NO, seq, key });
    await trx
      .insertInto('promo_codes')
      .values({
        code,
        store_id: member.storeId,
        campaign_id: campaignId,
        device_id: null,
        sale_id: null,
        member_id: member.memberId,
        issued_at: now.toISOString(),
      })
      .execute();
    return code;
  });
}
