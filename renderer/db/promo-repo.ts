// The till's promo-code records: its signing key and code sequence, and checking a cart's code offline against local usage.
import type { CartLine } from '../../shared/cart';
import type { Minor } from '../../shared/money';
import { type Campaign, type PromoUsage, promoDiscount } from '../../shared/promo';
import { promoSigningKeyPair, verifyCode } from '../../shared/promo-code';
import { getSetting, type PosDb, type PromoDeviceSettings } from './db';

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
 * Uses as the ledger counted them at the last pull, plus this till's redemptions that count
 * is missing: still in the outbox, or pushed after that pull (a push whose pull failed).
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
  const lastPull = (await getSetting(db, 'sync'))?.lastSuccessAt ?? '';
  const notInPull = (r: { id: string; createdAt: string }) =>
    unpushed.has(r.id) || r.createdAt >= lastPull;
  const all = [
    ...synced.map((u) => ({
      code: u.code,
      memberId: u.memberId,
      uses: u.uses,
      discount: u.discount,
    })),
    ...mine
      .filter(notInPull)
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
