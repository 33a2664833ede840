// Issuing promo codes on the till: which campaigns it may issue for, and codes with signed QR forms as one fact each.
import { type Campaign, describeOffer } from '../../shared/promo';
import { deviceNoFromPrefix, type HmacKey, issueQr } from '../../shared/promo-code';
import { getSetting, type IssuedCodeRow, type PosDb } from './db';
import { newId, nextCounters } from './event-seq';
import { ensurePromoDevice, promoSigner } from './promo-repo';

/** Campaigns a till may hand out codes for right now (next-visit coupons, creator batches, member claims). */
export function issuable(campaigns: readonly Campaign[], now: Date): Campaign[] {
  const t = now.getTime();
  return campaigns.filter(
    (c) =>
      c.tillsMayIssue &&
      c.status === 'active' &&
      Date.parse(c.startsAt) <= t &&
      t < Date.parse(c.endsAt),
  );
}

/** Campaigns this till can give a code for now: it has a till number and the store's current key. */
export async function issuableHere(db: PosDb, now: Date): Promise<Campaign[]> {
  const device = await getSetting(db, 'device');
  const keys = await db.promoKeys.toArray();
  const hasKey = keys.some((k) => k.kind === 'hmac' && !k.retired);
  if (!hasKey || deviceNoFromPrefix(device?.prefix ?? '') === null) return [];
  return issuable(await db.campaigns.toArray(), now);
}

/** Tables `issueCodesInTransaction` writes or reads. */
export const issueTables = (db: PosDb) => [
  db.settings,
  db.campaigns,
  db.promoKeys,
  db.issuedCodes,
  db.outbox,
];

/**
 * Issue `count` codes for a campaign inside the caller's transaction: this till's number and
 * its own code sequence make them unique without the ledger; each gets a signed QR form. Writes
 * the issuedCodes rows and one 'promo.issued' fact (next event sequence).
 */
export async function issueCodesInTransaction(
  db: PosDb,
  input: { campaignId: string; count: number; saleId: string | null; memberId: string | null },
  now: Date,
): Promise<IssuedCodeRow[]> {
  const campaign = await db.campaigns.get(input.campaignId);
  if (!campaign) throw new Error(`Campaign ${input.campaignId} is not on this till.`);
  if (!campaign.tillsMayIssue) throw new Error(`Tills may not issue codes for “${campaign.name}”.`);
  const device = await getSetting(db, 'device');
  const deviceNo = deviceNoFromPrefix(device?.prefix ?? '');
  if (!device || deviceNo === null) {
    throw new Error(
      'This till has no till number (receipt prefix T1, T2…): it cannot issue codes.',
    );
  }
  const key = (await db.promoKeys.toArray()).find(
    (k): k is HmacKey => k.kind === 'hmac' && !k.retired,
  );
  if (!key) throw new Error('This till has no store promo key yet: sync with the ledger first.');
  const promo = await getSetting(db, 'promo');
  if (!promo) throw new Error('This till has no promo signing key yet.');
  const signer = promoSigner(promo);
  const rows: IssuedCodeRow[] = [];
  for (let i = 1; i <= input.count; i++) {
    const { code, qr } = issueQr({ campaign, deviceNo, seq: promo.codeSeq + i, key, signer });
    rows.push({
      code,
      qr,
      campaignId: campaign.id,
      saleId: input.saleId,
      memberId: input.memberId,
      issuedAt: now.toISOString(),
    });
  }
  await db.settings.put({
    key: 'promo',
    value: { ...promo, codeSeq: promo.codeSeq + input.count },
  });
  await db.issuedCodes.bulkAdd(rows);
  const { seq } = await nextCounters(db, false);
  await db.outbox.add({
    seq,
    eventId: newId(now.getTime()),
    type: 'promo.issued',
    createdAt: now.toISOString(),
    payload: {
      deviceId: device.deviceId,
      campaignId: campaign.id,
      codes: rows.map((r) => r.code),
      saleId: input.saleId,
      memberId: input.memberId,
    },
  });
  return rows;
}

/** What the customer is told a code gives. */
export function couponHeadline(campaign: Campaign, currency: string): string {
  return `${describeOffer(campaign, currency)} on your next visit`;
}

/** A batch of codes for a creator (or a stack of cards), issued offline and queued as one fact. */
export async function issueCodeBatch(
  db: PosDb,
  input: { campaignId: string; count: number },
  now = new Date(),
): Promise<IssuedCodeRow[]> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > 5_000) {
    throw new RangeError('A batch is 1–5000 codes.');
  }
  await ensurePromoDevice(db);
  return db.transaction('rw', issueTables(db), () =>
    issueCodesInTransaction(db, { ...input, saleId: null, memberId: null }, now),
  );
}
