// Promo campaigns at the ledger: managers save them (with plain refusals), tills pull them with the keys to check codes offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, PromoKey } from '../../shared/promo';
import { issueCode, promoSigningKeyPair, verifyCode } from '../../shared/promo-code';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

const creator: Campaign = {
  id: 'cara-live',
  name: 'Cara live stream',
  prefix: 'CARA',
  offer: { kind: 'percent', bp: 1500 },
  scope: { kind: 'categories', categories: ['Tees'] },
  startsAt: '2026-11-01T00:00:00.000Z',
  endsAt: '2026-12-31T00:00:00.000Z',
  audience: { kind: 'anyone' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: null,
  budget: 20_000,
  channel: 'live-stream',
  promoter: 'Cara',
  promoterCost: 9_000,
  tillsMayIssue: false,
  status: 'active',
};
const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(engines)('promo campaigns on %s', (engine) => {
  let ledger: TestLedger;
  let manager: string;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  const campaignUrl = (id: string, storeId = ledger.storeId) =>
    `/api/v1/stores/${storeId}/campaigns/${id}`;
  const pull = async (token: string, cursor?: string) => {
    const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const res = await ledger.call('GET', `/api/v1/sync/pull${q}`, token);
    expect(res.status).toBe(200);
    return res.body as {
      cursor: string;
      campaigns: Campaign[];
      promoKeys: PromoKey[];
      codeUsage: unknown[];
    };
  };

  beforeAll(async () => {
    ledger = await startLedger(engine);
    manager = await loginManager(ledger, ledger.storeId, 'staff-niamh', '9999');
    till = await enrolTill(ledger, 'Till A');
  });
  afterAll(async () => ledger?.close());

  it('the demo store has the creator and next-visit campaigns', async () => {
    const res = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/campaigns`, manager);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.campaigns.map((c: Campaign) => [c.id, c]));
    expect(byId.get('maya-creates')).toMatchObject({
      promoter: 'Maya Creates',
      promoterCost: 15_000,
      offer: { kind: 'percent', bp: 1000 },
      tillsMayIssue: true,
    });
    expect(byId.get('next-visit')).toMatchObject({ channel: 'receipt', maxUsesPerCode: 1 });
  });

  it('a manager creates, reads and changes a campaign', async () => {
    const { id, ...body } = creator;
    const put = await ledger.call('PUT', campaignUrl(id), manager, body);
    expect(put.status).toBe(200);
    expect(put.body.campaign).toEqual(creator);
    expect((await ledger.call('GET', campaignUrl(id), manager)).body.campaign).toEqual(creator);
    const paused = { ...creator, status: 'paused', budget: null };
    expect((await ledger.call('PUT', campaignUrl(id), manager, paused)).status).toBe(200);
    expect((await ledger.call('GET', campaignUrl(id), manager)).body.campaign).toEqual(paused);
    await ledger.call('PUT', campaignUrl(id), manager, creator);
  });

  it('refuses bad campaigns with a plain reason and changes nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...creator, endsAt: creator.startsAt }, /must end after it starts/],
      [{ ...creator, prefix: 'ca' }, /prefix is 2–6 capital letters/],
      [{ ...creator, offer: { kind: 'percent', bp: 0 } }, /Invalid body/],
      [{ ...creator, id: 'other-id' }, /must match the path/],
      [
        {
          ...creator,
          offer: { kind: 'fixed-price', sku: 'HAT-1', price: 100 },
          scope: { kind: 'skus', skus: ['TEE-1'] },
        },
        /HAT-1 is not in the campaign's SKUs/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await ledger.call('PUT', campaignUrl('cara-live'), manager, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('bad-request');
      expect(res.body.error.message).toMatch(message);
    }
    // MAIL and MALL read alike once I and L count as 1.
    await ledger.call('PUT', campaignUrl('mail-1'), manager, {
      ...creator,
      id: 'mail-1',
      prefix: 'MAIL',
    });
    const clash = await ledger.call('PUT', campaignUrl('mall-1'), manager, {
      ...creator,
      id: 'mall-1',
      prefix: 'MALL',
    });
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).toBe('Prefix MALL reads like MAIL (campaign mail-1).');
    const stored = await ledger.call('GET', campaignUrl('cara-live'), manager);
    expect(stored.body.campaign).toEqual(creator);
    expect((await ledger.call('GET', campaignUrl('mall-1'), manager)).status).toBe(404);
  });

  it('keeps campaigns to their store and their managers', async () => {
    expect((await ledger.call('PUT', campaignUrl('x-1'), undefined, creator)).status).toBe(401);
    expect((await ledger.call('PUT', campaignUrl('x-1'), till.token, creator)).status).toBe(403);
    await ledger.call('PUT', '/api/v1/stores/southside', ADMIN_TOKEN, storeSettings('southside'));
    const other = await loginManager(ledger, 'southside', 'staff-sam', '4321');
    const theirs = await ledger.call('GET', campaignUrl('cara-live'), other);
    expect(theirs.status).toBe(403);
    const taken = await ledger.call('PUT', campaignUrl('cara-live', 'southside'), other, creator);
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe('Campaign id cara-live is taken by another store.');
  });

  it('a till pulls campaigns and the store key, and checks ledger codes offline with them', async () => {
    const first = await pull(till.token);
    expect(first.campaigns.map((c) => c.id)).toEqual(
      expect.arrayContaining(['cara-live', 'maya-creates', 'next-visit']),
    );
    const hmac = first.promoKeys.filter((k) => k.kind === 'hmac');
    expect(hmac).toHaveLength(1);
    expect(hmac[0]).toMatchObject({ retired: false });

    const batch = await ledger.call('POST', `${campaignUrl('maya-creates')}/codes`, manager, {
      count: 50,
    });
    expect(batch.status).toBe(200);
    const codes: string[] = batch.body.codes;
    expect(new Set(codes).size).toBe(50);
    for (const code of codes) {
      const v = verifyCode(code, { keys: first.promoKeys, campaigns: first.campaigns, now: NOW });
      expect(v, code).toMatchObject({ ok: true, code, deviceNo: 0 });
    }
    const more = await ledger.call('POST', `${campaignUrl('maya-creates')}/codes`, manager, {
      count: 10,
    });
    expect(more.body.codes.filter((c: string) => codes.includes(c))).toEqual([]);

    // Nothing changed since: an incremental pull brings no campaigns or keys again.
    const again = await pull(till.token, first.cursor);
    expect(again.campaigns).toEqual([]);
    expect(again.promoKeys).toEqual([]);
    await ledger.call('PUT', campaignUrl('cara-live'), manager, {
      ...creator,
      name: 'Cara (extended)',
    });
    const changed = await pull(till.token, again.cursor);
    expect(changed.campaigns.map((c) => c.name)).toEqual(['Cara (extended)']);
  });

  it('exports a batch as CSV for printing cards', async () => {
    const res = await fetch(`${ledger.url}${campaignUrl('maya-creates')}/codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 3, format: 'csv' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await res.text()).trim().split('\n');
    expect(rows[0]).toBe('code,campaign,offer,starts,ends');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(
      /^MAYA(-[0-9A-Z*~$=]{4}){4},Maya Creates,10% off everything,2026-01-01/,
    );
  });

  it('old codes keep verifying after the store key is rotated', async () => {
    const before = await pull(till.token);
    const key = before.promoKeys.find((k) => k.kind === 'hmac' && !k.retired)!;
    if (key.kind !== 'hmac') throw new Error('no key');
    const old = issueCode({
      campaign: { id: 'next-visit', prefix: 'BACK' },
      deviceNo: 1,
      seq: 1,
      key,
    });
    expect(
      (await ledger.call('POST', `/api/v1/stores/${ledger.storeId}/promo-keys/rotate`, manager))
        .status,
    ).toBe(403);
    const rotated = await ledger.call(
      'POST',
      `/api/v1/stores/${ledger.storeId}/promo-keys/rotate`,
      ADMIN_TOKEN,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.retired).toEqual([key.id]);
    const after = await pull(till.token);
    const hmac = after.promoKeys.filter((k) => k.kind === 'hmac');
    expect(hmac.map((k) => k.kind === 'hmac' && k.retired).sort()).toEqual([false, true]);
    expect(
      verifyCode(old, { keys: after.promoKeys, campaigns: after.campaigns, now: NOW }).ok,
    ).toBe(true);
  });

  it("a till's signing key reaches the other tills, and leaves with a revoked till", async () => {
    const other = await enrolTill(ledger, 'Till B');
    const pair = promoSigningKeyPair(new Uint8Array(32).fill(3));
    const reg = await ledger.call('POST', '/api/v1/devices/me/promo-key', till.token, {
      publicKey: pair.publicKeyHex,
    });
    expect(reg.status).toBe(200);
    expect(reg.body.keyId).toBe(`ed-${pair.publicKeyHex.slice(0, 16)}`);
    // Sending it again is harmless; another till claiming it is refused.
    expect(
      (
        await ledger.call('POST', '/api/v1/devices/me/promo-key', till.token, {
          publicKey: pair.publicKeyHex,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await ledger.call('POST', '/api/v1/devices/me/promo-key', other.token, {
          publicKey: pair.publicKeyHex,
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await ledger.call('POST', '/api/v1/devices/me/promo-key', other.token, {
          publicKey: 'nope',
        })
      ).status,
    ).toBe(400);

    const seen = await pull(other.token);
    expect(seen.promoKeys).toContainEqual({
      kind: 'ed25519',
      id: reg.body.keyId,
      deviceId: till.deviceId,
      publicKey: pair.publicKeyHex,
    });
    await ledger.call('POST', `/api/v1/devices/${till.deviceId}/revoke`, manager);
    const full = await pull(other.token);
    expect(full.promoKeys.some((k) => k.kind === 'ed25519')).toBe(false);
  });
});
