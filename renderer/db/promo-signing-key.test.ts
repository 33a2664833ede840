// The till's Ed25519 signing key lives in the OS keychain where there is one (never in IndexedDB), and signed codes and credit notes keep working.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, PromoKey } from '../../shared/promo';
import { verifyCode } from '../../shared/promo-code';
import { checkCreditNote, creditIssueTables, issueCreditNoteIn } from './credit-notes-repo';
import { openPosDb, type PosDb } from './db';
import { issueCodeBatch } from './promo-issue-repo';
import {
  ensurePromoDevice,
  type PromoKeyVault,
  promoKeyId,
  promoKeyPlace,
  setPromoKeyVault,
} from './promo-repo';

/** Stands in for the OS keychain behind the Electron bridge (the edge of the world). */
function keychain(opts: { plainTextOnly?: boolean } = {}) {
  const held = { secret: null as string | null };
  const vault: PromoKeyVault = {
    get: async () => held.secret,
    set: async (secret) => {
      if (opts.plainTextOnly) {
        throw new Error(
          'PopTill will not store the promo signing key here: no OS keychain: only the plain-text backend (basic_text)',
        );
      }
      held.secret = secret;
    },
  };
  return { vault, held };
}

const now = new Date('2026-12-02T10:00:00.000Z');
const campaign: Campaign = {
  id: 'next-visit',
  name: 'Next visit 10%',
  prefix: 'NEXT',
  offer: { kind: 'percent', bp: 1000 },
  scope: { kind: 'all' },
  startsAt: '2026-12-01T00:00:00.000Z',
  endsAt: '2027-01-31T00:00:00.000Z',
  audience: { kind: 'anyone' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: null,
  budget: null,
  channel: 'receipt',
  promoter: null,
  promoterCost: 0,
  tillsMayIssue: true,
  status: 'active',
};
const storeKey: PromoKey = {
  kind: 'hmac',
  id: 'store-k1',
  secret: 'c2VjcmV0LXN0b3JlLWtleS0xMjM0NTY3OA',
  retired: false,
};

let db: PosDb;
let n = 0;
beforeEach(async () => {
  db = openPosDb(`signing-key-${++n}`);
  await db.settings.put({
    key: 'device',
    value: { deviceId: 'device-1', prefix: 'T1', name: 'Till 1' },
  });
  await db.campaigns.put(campaign);
  await db.promoKeys.put(storeKey);
});
afterEach(async () => {
  setPromoKeyVault(null);
  await db.delete();
});

/** Another till's view: the store key and this till's public key, as a pull brings them. */
async function otherTill(): Promise<PromoKey[]> {
  const promo = (await db.settings.get('promo'))?.value as { publicKey: string };
  const own: PromoKey = {
    kind: 'ed25519',
    id: promoKeyId(promo.publicKey),
    deviceId: 'device-1',
    publicKey: promo.publicKey,
  };
  return [storeKey, own];
}

describe('the promo signing key', () => {
  it('with a keychain: IndexedDB keeps only the public key, and QR codes sign after a restart', async () => {
    const { vault, held } = keychain();
    setPromoKeyVault(vault);
    const promo = await ensurePromoDevice(db);
    expect(promo.privateKey).toBe('');
    expect((await db.settings.get('promo'))?.value).toMatchObject({ privateKey: '' });
    expect(held.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(promoKeyPlace()).toEqual({ place: 'keychain' });
    const [first] = await issueCodeBatch(db, { campaignId: campaign.id, count: 1 }, now);

    // A restart: nothing in memory, the key is read back from the keychain before signing.
    setPromoKeyVault(vault);
    const [second] = await issueCodeBatch(db, { campaignId: campaign.id, count: 1 }, now);
    const keys = await otherTill();
    for (const row of [first!, second!]) {
      expect(verifyCode(row.qr!, { keys, campaigns: [campaign], now })).toMatchObject({
        ok: true,
        via: 'qr',
      });
    }
  });

  it('a key an older PopTill left in IndexedDB moves into the keychain and keeps its public key', async () => {
    const before = await ensurePromoDevice(db);
    expect(before.privateKey).toMatch(/^[0-9a-f]{64}$/);
    const { vault, held } = keychain();
    setPromoKeyVault(vault);
    const after = await ensurePromoDevice(db);
    expect(after).toMatchObject({ publicKey: before.publicKey, privateKey: '' });
    expect(held.secret).toBe(before.privateKey);
    expect(JSON.stringify(await db.settings.toArray())).not.toContain(before.privateKey);
  });

  it('refused by a plain-text-only keychain: stays in IndexedDB, says why, and still signs', async () => {
    const { vault, held } = keychain({ plainTextOnly: true });
    setPromoKeyVault(vault);
    const promo = await ensurePromoDevice(db);
    expect(promo.privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(held.secret).toBeNull();
    expect(promoKeyPlace()).toEqual({
      place: 'database',
      reason: expect.stringContaining('plain-text backend'),
    });
    const [row] = await issueCodeBatch(db, { campaignId: campaign.id, count: 1 }, now);
    expect(verifyCode(row!.qr!, { keys: await otherTill(), campaigns: [campaign], now }).ok).toBe(
      true,
    );
  });

  it('a keychain that lost the key gets a new one, to be registered with the ledger again', async () => {
    const { vault, held } = keychain();
    setPromoKeyVault(vault);
    const first = await ensurePromoDevice(db);
    await db.settings.put({ key: 'promo', value: { ...first, registeredAt: now.toISOString() } });
    held.secret = null;
    setPromoKeyVault(vault);
    const second = await ensurePromoDevice(db);
    expect(second.publicKey).not.toBe(first.publicKey);
    expect(second).toMatchObject({ privateKey: '', registeredAt: null, codeSeq: first.codeSeq });
    expect(held.secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('store-credit notes still sign with it and check on this till', async () => {
    const { vault } = keychain();
    setPromoKeyVault(vault);
    await ensurePromoDevice(db);
    const note = await db.transaction('rw', creditIssueTables(db), () =>
      issueCreditNoteIn(db, { amount: 2500, currency: 'EUR', returnId: 'ret-1' }, now),
    );
    expect(await checkCreditNote(db, note.qr)).toMatchObject({ ok: true, balance: 2500 });
    expect(await checkCreditNote(db, note.code)).toMatchObject({ ok: true, balance: 2500 });
  });
});
