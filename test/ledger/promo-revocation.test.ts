// A till against the real ledger: a code under a revoked key is refused offline after the next pull, and a signed-only campaign takes its QR but not the typed code.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openPosDb, type PosDb } from '../../renderer/db/db';
import { allProducts } from '../../renderer/db/product-pages';
import { issueCodeBatch } from '../../renderer/db/promo-issue-repo';
import { checkCartPromo } from '../../renderer/db/promo-repo';
import { SyncEngine } from '../../renderer/sync/engine';
import { enrolTill } from '../../renderer/sync/enrol';
import { readDeviceToken } from '../../renderer/sync/token';
import type { CartLine } from '../../shared/cart';
import type { Campaign, PromoKey } from '../../shared/promo';
import { issueQr, promoSigningKeyPair } from '../../shared/promo-code';
import { ADMIN_TOKEN, enrolTill as enrolApiTill, startLedger, type TestLedger } from './fixtures';

// Browser mode: a window without the Electron bridge (token and signing key in IndexedDB).
vi.hoisted(() => vi.stubGlobal('window', globalThis));

const DAY = 86_400_000;
const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};

let ledger: TestLedger;
let db: PosDb;
let n = 0;

beforeEach(async () => {
  ledger = await startLedger('sqlite');
  db = openPosDb(`promo-revocation-${process.pid}-${++n}`);
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  expect(
    await enrolTill(db, { url: ledger.url, pairingCode: code.body.code, name: 'Till' }),
  ).toEqual({ ok: true });
  expect(await sync()).toBe('synced');
});

afterEach(async () => {
  await db.delete();
  await ledger.close();
});

const sync = (fetchImpl?: typeof fetch) =>
  new SyncEngine({
    db,
    token: () => readDeviceToken(db),
    ...(fetchImpl ? { fetchImpl } : {}),
  }).syncOnce();

function campaign(id: string, prefix: string, extra: Partial<Campaign> = {}): Campaign {
  const now = Date.now();
  return {
    id,
    name: `Campaign ${id}`,
    prefix,
    offer: { kind: 'percent', bp: 1000 },
    scope: { kind: 'all' },
    startsAt: new Date(now - DAY).toISOString(),
    endsAt: new Date(now + 30 * DAY).toISOString(),
    audience: { kind: 'anyone' },
    maxUsesPerCode: 1,
    maxUsesPerCustomer: null,
    budget: null,
    channel: 'receipt',
    promoter: null,
    promoterCost: 0,
    tillsMayIssue: true,
    status: 'active',
    ...extra,
  };
}

async function saveCampaign(c: Campaign) {
  const { id, ...body } = c;
  const res = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/campaigns/${id}`,
    ADMIN_TOKEN,
    body,
  );
  expect(res.status).toBe(200);
}

/** What the till makes of the code at checkout, with one product in the basket. */
async function atCheckout(promoCode: string) {
  const product = (await allProducts(db)).find((p) => p.active && p.price > 0)!;
  const lines: CartLine[] = [
    {
      lineId: 'a',
      sku: product.sku,
      name: product.name,
      unitPrice: product.price,
      qty: 1,
      taxClassId: product.taxClassId,
    },
  ];
  return checkCartPromo(
    db,
    { promoCode, claimCampaignId: null, memberId: null, lines },
    new Date(),
  );
}

describe('promo keys a till honours', () => {
  it('a code under a revoked key is refused offline after the next pull', async () => {
    await saveCampaign(campaign('cards', 'CARD', { tillsMayIssue: false }));
    const batch = await ledger.call(
      'POST',
      `/api/v1/stores/${ledger.storeId}/campaigns/cards/codes`,
      ADMIN_TOKEN,
      { count: 1 },
    );
    expect(batch.status).toBe(200);
    const [code] = batch.body.codes as string[];
    expect(await sync()).toBe('synced');
    expect(await atCheckout(code!)).toMatchObject({ state: 'applied' });

    const keys = await db.promoKeys.toArray();
    const current = keys.find((k) => k.kind === 'hmac' && !k.retired)!;
    const revoked = await ledger.call(
      'POST',
      `/api/v1/stores/${ledger.storeId}/promo-keys/${current.id}/revoke`,
      ADMIN_TOKEN,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ keyId: current.id, revoked: true });
    expect(revoked.body.current).not.toBe(current.id);

    // Not pulled yet: the till cannot know.
    expect(await atCheckout(code!)).toMatchObject({ state: 'applied' });
    expect(await sync()).toBe('synced');
    expect(await sync(offline)).not.toBe('synced');
    expect(await atCheckout(code!)).toMatchObject({
      state: 'refused',
      message:
        'This code was made with a key the store has withdrawn — it is no longer valid. Ask a manager.',
    });

    // New codes come from the new key and check as before.
    const fresh = await ledger.call(
      'POST',
      `/api/v1/stores/${ledger.storeId}/campaigns/cards/codes`,
      ADMIN_TOKEN,
      { count: 1 },
    );
    expect(await atCheckout(fresh.body.codes[0])).toMatchObject({ state: 'applied' });
  });

  it("a revoked till's signed QR codes are refused offline by the other tills after their next pull", async () => {
    await saveCampaign(campaign('thanks', 'THX'));
    const stolen = await enrolApiTill(ledger, 'Stolen till');
    const pair = promoSigningKeyPair(new Uint8Array(32).fill(11));
    const reg = await ledger.call('POST', '/api/v1/devices/me/promo-key', stolen.token, {
      publicKey: pair.publicKeyHex,
    });
    expect(reg.status).toBe(200);
    expect(await sync()).toBe('synced');
    const storeKey = (await db.promoKeys.toArray()).find(
      (k): k is Extract<PromoKey, { kind: 'hmac' }> => k.kind === 'hmac' && !k.retired,
    )!;
    const { qr } = issueQr({
      campaign: (await db.campaigns.get('thanks'))!,
      deviceNo: 2,
      seq: 1,
      key: storeKey,
      signer: { keyId: reg.body.keyId, secretKeyHex: pair.secretKeyHex },
    });
    expect(await atCheckout(qr)).toMatchObject({ state: 'applied', via: 'qr' });

    const revoked = await ledger.call(
      'POST',
      `/api/v1/devices/${stolen.deviceId}/revoke`,
      ADMIN_TOKEN,
    );
    expect(revoked.status).toBe(200);
    expect(await sync()).toBe('synced');
    expect(await sync(offline)).not.toBe('synced');
    expect(await atCheckout(qr)).toMatchObject({ state: 'refused' });
    expect(await db.promoKeys.get(reg.body.keyId)).toMatchObject({ revoked: true });
  });

  it('only an admin revokes, and an unknown key is a 404', async () => {
    const url = `/api/v1/stores/${ledger.storeId}/promo-keys/no-such-key/revoke`;
    expect((await ledger.call('POST', url, ADMIN_TOKEN)).status).toBe(404);
    const token = await readDeviceToken(db);
    expect((await ledger.call('POST', url, token!)).status).toBe(403);
  });

  it('a signed-only campaign refuses the typed code and takes its signed QR, offline', async () => {
    await saveCampaign(campaign('vip', 'VIP', { signedOnly: true }));
    // The first sync registers this till's signing key; the next one brings it back with the campaign.
    expect(await sync()).toBe('synced');
    expect(await sync()).toBe('synced');
    const stored = await db.campaigns.get('vip');
    expect(stored?.signedOnly).toBe(true);
    const [issued] = await issueCodeBatch(db, { campaignId: 'vip', count: 1 });
    expect(await sync(offline)).not.toBe('synced');
    expect(await atCheckout(issued!.code)).toMatchObject({
      state: 'refused',
      message:
        "This offer takes its QR code only — scan the customer's coupon or phone instead of typing the code.",
    });
    expect(await atCheckout(issued!.qr!)).toMatchObject({
      state: 'applied',
      via: 'qr',
      code: issued!.code,
    });
  });
});
