// The till's promo-code records: its signing key and code sequence, checking a cart's code offline, and issuing codes.
import type { CartLine } from '../../shared/cart';
import type { Minor } from '../../shared/money';
import { type Campaign, describeOffer, type PromoUsage, promoDiscount } from '../../shared/promo';
import {
  deviceNoFromPrefix,
  type HmacKey,
  issueQr,
  promoSigningKeyPair,
  verifyCode,
} from '../../shared/promo-code';
import { getSetting, type IssuedCodeRow, type PosDb, type PromoDeviceSettings } from './db';
import { newId, nextCounters } from './event-seq';

/** The id of this till's Ed25519 key as QR codes name it and the ledger lists it. */
export function promoKeyId(publicKeyHex: string): string {
  return `ed-${publicKeyHex.slice(0, 16)}`;
}

/** This till's promo settings, made on first need: a fresh Ed25519 key and code sequence 0. */
export async function ensurePromoDevice(db: PosDb): Promise<PromoDeviceSettings> {
  return db.transaction('rw', db.settings, async () => {
    const current = await getSetting(db, 'promo');
    if (current) return current;
    const pair = promoSigningKeyPair(crypto.getRandomValues(new Uint8Array(32)));
    const value: PromoDeviceSettings = {
      codeSeq: 0,
      privateKey: pair.secretKeyHex,
      publicKey: pair.publicKeyHex,
      registeredAt: null,
    };
    await db.settings.put({ key: 'promo', value });
    return value;
  });
}

/** The ledger has this public key (ignored if the key changed meanwhile). */
export async function markPromoKeyRegistered(
  db: PosDb,
  publicKey: string,
  now: Date,
): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const current = await getSetting(db, 'promo');
    if (current?.publicKey !== publicKey) return;
    await db.settings.put({ key: 'promo', value: { ...current, registeredAt: now.toISOString() } });
  });
}

/** What a cart's promo code (or a member's one-tap claim) comes to. */
export type CartPromo =
  | { state: 'none' }
  | {
      state: 'applied';
      /** The canonical code; for a member claim, the code is issued when the sale commits. */
      code: string | null;
      campaign: Campaign;
      via: 'typed' | 'qr' | 'member';
      reason: string;
      lineDiscounts: { lineId: string; amount: Minor }[];
      total: Minor;
    }
  | { state: 'refused'; entered: string; code: string; message: string };

export interface CartPromoInput {
  promoCode: string | null;
  /** A member campaign claimed with one tap (no code typed). */
  claimCampaignId: string | null;
  memberId: string | null;
  lines: readonly CartLine[];
}

/** Tables `checkCartPromo` reads (for transactions that call it). */
export const promoReadTables = (db: PosDb) => [
  db.settings,
  db.campaigns,
  db.promoKeys,
  db.codeUsage,
  db.redemptions,
  db.outbox,
  db.members,
  db.products,
];

/**
 * Uses as the ledger counted them at the last pull, plus this till's redemptions it has not
 * pushed yet (pushed ones are in the ledger's count from the pull that follows every push).
 */
async function localUsage(
  db: PosDb,
  code: string | null,
  campaignId: string,
  memberId: string | null,
): Promise<PromoUsage> {
  const synced = await db.codeUsage.where('campaignId').equals(campaignId).toArray();
  const mine = await db.redemptions.where('campaignId').equals(campaignId).toArray();
  const queued = await db.outbox
    .where('eventId')
    .anyOf(mine.map((r) => r.id))
    .toArray();
  const unpushed = new Set(queued.map((o) => o.eventId));
  const all = [
    ...synced.map((u) => ({
      code: u.code,
      memberId: u.memberId,
      uses: u.uses,
      discount: u.discount,
    })),
    ...mine
      .filter((r) => unpushed.has(r.id))
      .map((r) => ({ code: r.code, memberId: r.memberId, uses: 1, discount: r.discount })),
  ];
  const sum = (rows: typeof all) => rows.reduce((n, r) => n + r.uses, 0);
  return {
    codeUses: code ? sum(all.filter((r) => r.code === code)) : 0,
    customerUses: memberId ? sum(all.filter((r) => r.memberId === memberId)) : 0,
    budgetUsed: all.reduce((n, r) => n + r.discount, 0),
  };
}

/**
 * Check the cart's code offline (check symbol, keyed tag, QR signature, campaign window) and
 * price it with the campaign's rules against local usage. Reads Dexie only: safe inside a
 * transaction and inside useLiveQuery.
 */
export async function checkCartPromo(
  db: PosDb,
  input: CartPromoInput,
  now: Date,
): Promise<CartPromo> {
  const entered = input.promoCode?.trim() ?? '';
  if (!entered && !input.claimCampaignId) return { state: 'none' };
  const store = await getSetting(db, 'store');
  const timeZone = store?.timeZone ?? 'UTC';
  const currency = store?.currency ?? 'EUR';
  let campaign: Campaign | undefined;
  let code: string | null = null;
  let via: 'typed' | 'qr' | 'member' = 'member';
  if (entered) {
    const verified = verifyCode(entered, {
      keys: await db.promoKeys.toArray(),
      campaigns: await db.campaigns.toArray(),
      now,
      timeZone,
    });
    if (!verified.ok)
      return { state: 'refused', entered, code: verified.code, message: verified.message };
    ({ campaign, code, via } = verified);
  } else {
    campaign = await db.campaigns.get(input.claimCampaignId ?? '');
    if (!campaign) {
      return {
        state: 'refused',
        entered: '',
        code: 'unknown-campaign',
        message: 'That member offer is no longer on this till.',
      };
    }
  }
  const member = input.memberId ? await db.members.get(input.memberId) : undefined;
  const products = await db.products.bulkGet(input.lines.map((l) => l.sku));
  const result = promoDiscount({
    campaign,
    lines: input.lines.map((l, i) => ({ ...l, category: products[i]?.category ?? null })),
    memberId: input.memberId,
    memberTiers: member?.tiers ?? [],
    usage: await localUsage(db, code, campaign.id, input.memberId),
    now,
    currency,
    timeZone,
  });
  if (!result.ok) {
    return {
      state: 'refused',
      entered: code ?? entered,
      code: result.code,
      message: result.message,
    };
  }
  return {
    state: 'applied',
    code,
    campaign,
    via,
    reason: result.reason,
    lineDiscounts: result.lineDiscounts,
    total: result.total,
  };
}

/** The cart's lines with their promo money off, ready for priceCart. */
export function withPromo(lines: readonly CartLine[], promo: CartPromo | undefined): CartLine[] {
  const amounts = new Map(
    promo?.state === 'applied' ? promo.lineDiscounts.map((d) => [d.lineId, d.amount]) : [],
  );
  return lines.map((l) => {
    const { promoDiscount: _old, ...line } = l;
    const amount = amounts.get(l.lineId) ?? 0;
    return amount > 0 ? { ...line, promoDiscount: amount } : line;
  });
}

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
  const signer = { keyId: promoKeyId(promo.publicKey), secretKeyHex: promo.privateKey };
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
