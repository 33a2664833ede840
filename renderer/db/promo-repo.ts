// The till's promo-code records: its signing key (in the OS keychain where there is one) and code sequence, and checking a cart's code offline against local usage.
import { hexToBytes } from '@noble/hashes/utils.js';
import type { CartLine } from '../../shared/cart';
import type { Minor } from '../../shared/money';
import { type Campaign, type PromoUsage, promoDiscount } from '../../shared/promo';
import { promoSigningKeyPair, type SigningKey, verifyCode } from '../../shared/promo-code';
import { productReadTables, productsBySku } from './catalog-repo';
import { getSetting, type PosDb, type PromoDeviceSettings } from './db';

/** The id of this till's Ed25519 key as QR codes name it and the ledger lists it. */
export function promoKeyId(publicKeyHex: string): string {
  return `ed-${publicKeyHex.slice(0, 16)}`;
}

/**
 * Where the till's Ed25519 private key is kept when not in this database: the OS keychain through
 * the Electron bridge. `set` refuses where the OS offers only a plain-text backend.
 */
export interface PromoKeyVault {
  get(): Promise<string | null>;
  set(secretKeyHex: string): Promise<void>;
}

/** Where the key is now, for Settings to say; `reason` when the keychain refused it. */
export type PromoKeyPlace = { place: 'keychain' } | { place: 'database'; reason: string };

function bridgeVault(): PromoKeyVault | null {
  // A page in Electron has window.pos; browser mode, the sync worker and unit tests do not.
  const pos = typeof window === 'undefined' ? undefined : window.pos;
  if (!pos) return null;
  return {
    get: () => pos['secret-get']('promo-signing-key'),
    set: (secretKeyHex) => pos['secret-set']('promo-signing-key', secretKeyHex),
  };
}

let vault: PromoKeyVault | null = bridgeVault();
/** The key read from the vault this session: signing happens inside Dexie transactions, which cannot await the bridge. */
let unlocked: { publicKey: string; secretKeyHex: string } | null = null;
let place: PromoKeyPlace = vault
  ? { place: 'keychain' }
  : { place: 'database', reason: 'browser mode has no keychain' };

/** Keep the key in `next` from now on (null: in this database); tests pass a stand-in for the keychain. */
export function setPromoKeyVault(next: PromoKeyVault | null): void {
  vault = next;
  unlocked = null;
  place = next ? { place: 'keychain' } : { place: 'database', reason: 'no keychain' };
}

export function promoKeyPlace(): PromoKeyPlace {
  return place;
}

/** The key that signs this till's QR codes and credit notes; the settings row holds it only where no keychain does. */
export function promoSigner(promo: PromoDeviceSettings): SigningKey {
  const keyId = promoKeyId(promo.publicKey);
  if (promo.privateKey) return { keyId, secretKeyHex: promo.privateKey };
  if (unlocked?.publicKey === promo.publicKey)
    return { keyId, secretKeyHex: unlocked.secretKeyHex };
  throw new Error(
    'The promo signing key is in the OS keychain and has not been read yet: try again in a moment.',
  );
}

const newPromoSettings = (): PromoDeviceSettings => {
  const pair = promoSigningKeyPair(crypto.getRandomValues(new Uint8Array(32)));
  return {
    codeSeq: 0,
    privateKey: pair.secretKeyHex,
    publicKey: pair.publicKeyHex,
    registeredAt: null,
  };
};

/**
 * This till's promo settings, made on first need (a fresh Ed25519 key, code sequence 0). With a
 * keychain, a key still in this database (new, made by a credit note, or from an older PopTill)
 * moves into it and the settings row keeps only the public half; a key the keychain lost is
 * replaced by a new one, registered with the ledger at the next pull. Where the keychain refuses
 * (plain-text backend), the key stays here and `promoKeyPlace` says why.
 */
export async function ensurePromoDevice(db: PosDb): Promise<PromoDeviceSettings> {
  const promo = await db.transaction('rw', db.settings, async () => {
    const current = await getSetting(db, 'promo');
    if (current) return current;
    const value = newPromoSettings();
    await db.settings.put({ key: 'promo', value });
    return value;
  });
  const keychain = vault;
  if (!keychain) return promo;
  if (promo.privateKey) return moveIntoKeychain(db, keychain, promo);
  if (unlocked?.publicKey === promo.publicKey) return promo;
  const secretKeyHex = await keychain.get();
  if (
    secretKeyHex &&
    promoSigningKeyPair(hexToBytes(secretKeyHex)).publicKeyHex === promo.publicKey
  ) {
    unlocked = { publicKey: promo.publicKey, secretKeyHex };
    return promo;
  }
  const fresh = newPromoSettings();
  const replaced = await db.transaction('rw', db.settings, async () => {
    const current = await getSetting(db, 'promo');
    if (current?.publicKey !== promo.publicKey) return current ?? promo;
    const value = {
      ...current,
      privateKey: fresh.privateKey,
      publicKey: fresh.publicKey,
      registeredAt: null,
    };
    await db.settings.put({ key: 'promo', value });
    return value;
  });
  return replaced.privateKey ? moveIntoKeychain(db, keychain, replaced) : replaced;
}

async function moveIntoKeychain(
  db: PosDb,
  keychain: PromoKeyVault,
  promo: PromoDeviceSettings,
): Promise<PromoDeviceSettings> {
  try {
    await keychain.set(promo.privateKey);
  } catch (error) {
    place = { place: 'database', reason: (error as Error).message };
    return promo;
  }
  place = { place: 'keychain' };
  unlocked = { publicKey: promo.publicKey, secretKeyHex: promo.privateKey };
  return db.transaction('rw', db.settings, async () => {
    const current = await getSetting(db, 'promo');
    if (current?.publicKey !== promo.publicKey) return current ?? promo;
    const value = { ...current, privateKey: '' };
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
  ...productReadTables(db),
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
  const products = await productsBySku(
    db,
    input.lines.map((l) => l.sku),
  );
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
