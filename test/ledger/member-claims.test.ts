// Member claims at a real ledger: the personal link is keyed, one code per member and offer however often or concurrently they tap, only member offers, the code verifies with the tills' keys, and the page is never cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCode } from '../../shared/promo-code';
import { pullAs } from './drop-fixtures';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  membersCampaign,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

const MEMBER = 'M7K3MQ9XT';
const OTHER = 'M4DRG8KYZ';

const campaign = membersCampaign;

const claimedCodes = (html: string) =>
  [...html.matchAll(/data-testid="claimed-code">([^<]+)</g)].map((m) => m[1]!);

describe.each(engines)('member claims on %s', (engine) => {
  let ledger: TestLedger;
  let link: string;
  beforeAll(async () => {
    ledger = await startLedger(engine);
    for (const [id, name, tiers] of [
      [MEMBER, 'Saoirse Byrne', ['members', 'subscribers']],
      [OTHER, 'Darragh Kelly', ['members']],
    ] as const) {
      const res = await ledger.call(
        'PUT',
        `/api/v1/stores/${ledger.storeId}/members/${id}`,
        ADMIN_TOKEN,
        { name, tiers, phone: '+353 87 100 0001', active: true },
      );
      expect(res.status).toBe(200);
    }
    for (const c of [
      campaign({}),
      campaign({
        id: 'subs-5',
        name: 'Subscribers €5',
        prefix: 'SUBS',
        audience: { kind: 'tier', tier: 'subscribers' },
        offer: { kind: 'amount', amount: 500 },
      }),
      campaign({ id: 'anyone', name: 'Anyone', prefix: 'ANYO', audience: { kind: 'anyone' } }),
    ]) {
      const res = await ledger.call(
        'PUT',
        `/api/v1/stores/${ledger.storeId}/campaigns/${c.id}`,
        ADMIN_TOKEN,
        c,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`,
      ADMIN_TOKEN,
    );
    expect(res.status).toBe(200);
    link = res.body.path;
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('opens only with the keyed tag: a member id alone, a changed tag or another member’s tag is a 404', async () => {
    const ok = await fetch(ledger.url + link);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('private, no-store');
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await ok.text();
    expect(html).not.toContain('Saoirse');
    expect(html).toContain('Claim Members 15% off');
    expect(html).toContain('Claim Subscribers €5');
    expect(html).not.toContain('Anyone');
    const tag = link.split('/').pop()!;
    const flipped = tag.slice(0, -1) + (tag.endsWith('A') ? 'B' : 'A');
    for (const bad of [
      `/m/${ledger.storeId}/${MEMBER}`,
      `/m/${ledger.storeId}/${MEMBER}/${flipped}`,
      `/m/${ledger.storeId}/${OTHER}/${tag}`,
      `/m/other-store/${MEMBER}/${tag}`,
      `/m/${ledger.storeId}/${MEMBER}/${tag}x`,
    ]) {
      expect((await fetch(ledger.url + bad)).status, bad).toBe(404);
      expect(
        (await fetch(`${ledger.url + bad}/claim/members-15`, { method: 'POST' })).status,
        bad,
      ).toBe(404);
    }
  });

  it('gives one code per member and offer, however many taps arrive at once', async () => {
    const taps = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${ledger.url}${link}/claim/members-15`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: '',
          redirect: 'manual',
        }),
      ),
    );
    expect(taps.map((t) => t.status)).toEqual(Array(8).fill(303));
    const rows = await ledger.database.db
      .selectFrom('promo_codes')
      .select(['code', 'member_id', 'device_id'])
      .where('campaign_id', '=', 'members-15')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ member_id: MEMBER, device_id: null });
    const page = await (await fetch(ledger.url + link)).text();
    expect(claimedCodes(page)).toEqual([rows[0]!.code]);
    expect(page).toContain('<svg');
  });

  it('makes a code every till verifies offline with the keys and campaigns it pulls', async () => {
    const till = await enrolTill(ledger);
    const pull = await pullAs(ledger, till);
    const [code] = claimedCodes(await (await fetch(ledger.url + link)).text());
    const verdict = verifyCode(code!, {
      keys: pull.promoKeys,
      campaigns: pull.campaigns,
      now: new Date(),
    });
    expect(verdict).toMatchObject({ ok: true, deviceNo: 0, campaign: { id: 'members-15' } });
  });

  it('refuses an offer that is not for the member, and one for everyone, changing nothing', async () => {
    const other = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/members/${OTHER}/link`,
      ADMIN_TOKEN,
    );
    for (const id of ['subs-5', 'anyone']) {
      const res = await fetch(`${ledger.url}${other.body.path}/claim/${id}`, { method: 'POST' });
      expect(res.status, id).toBe(409);
      expect(await res.text()).toContain('not for your membership');
    }
    const rows = await ledger.database.db
      .selectFrom('promo_codes')
      .select('code')
      .where('member_id', '=', OTHER)
      .execute();
    expect(rows).toEqual([]);
    const missing = await fetch(`${ledger.url}${link}/claim/no-such-offer`, { method: 'POST' });
    expect(missing.status).toBe(404);
  });

  it('is not available to the public without a manager', async () => {
    const res = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`);
    expect(res.status).toBe(401);
  });

  it('gives a manager signed in at a till the full address phones open; the till alone gets nothing', async () => {
    const till = await enrolTill(ledger, 'Links till');
    const asTill = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`,
      till.token,
    );
    expect(asTill.status).toBe(403);
    const manager = await loginManager(ledger, ledger.storeId, 'staff-links', '8642');
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`,
      manager,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ path: link, url: ledger.url + link });
    const page = await fetch(res.body.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Your member offers');
    // The stall sign's address and the page its QR names.
    const sign = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/public-page`, manager);
    expect(sign.body).toEqual({
      storePage: `${ledger.url}/s/${ledger.storeId}`,
      sign: `${ledger.url}/s/${ledger.storeId}/sign`,
    });
    const signHtml = await (await fetch(sign.body.sign)).text();
    expect(signHtml).toContain(`aria-label="QR code of ${ledger.url}/s/${ledger.storeId}"`);
    const other = await ledger.call('GET', '/api/v1/stores/another-store/public-page', manager);
    expect(other.status).toBe(403);
    expect(
      (await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/public-page`, till.token)).status,
    ).toBe(403);
  });

  it('states money offers in the store’s own currency (a pound shop sees £, not €)', async () => {
    const before = await fetch(ledger.url + link).then((r) => r.text());
    expect(before).toContain('€5.00 off everything');
    const res = await ledger.call('PUT', `/api/v1/stores/${ledger.storeId}`, ADMIN_TOKEN, {
      ...storeSettings(ledger.storeId, 'Camden Pop-Up'),
      currency: 'GBP',
      locale: 'en-GB',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    try {
      const html = await fetch(ledger.url + link).then((r) => r.text());
      expect(html).toContain('£5.00 off everything');
      expect(html).not.toContain('€5.00 off');
      expect(html).toContain('Camden Pop-Up');
    } finally {
      await ledger.call(
        'PUT',
        `/api/v1/stores/${ledger.storeId}`,
        ADMIN_TOKEN,
        storeSettings(ledger.storeId),
      );
    }
  });
});

describe.each(engines)('public addresses behind a configured public URL on %s', (engine) => {
  it('names the public address (a CDN’s) in the member link and the stall sign', async () => {
    const ledger = await startLedger(engine, {
      ledger: { publicPages: { publicUrl: 'https://drops.example.ie/' } },
    });
    try {
      const member = await ledger.call(
        'PUT',
        `/api/v1/stores/${ledger.storeId}/members/${MEMBER}`,
        ADMIN_TOKEN,
        { name: 'Saoirse Byrne', tiers: ['members'], phone: '+353 87 100 0001', active: true },
      );
      expect(member.status).toBe(200);
      const res = await ledger.call(
        'GET',
        `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`,
        ADMIN_TOKEN,
      );
      expect(res.body.url).toBe(`https://drops.example.ie${res.body.path}`);
      const sign = await ledger.call(
        'GET',
        `/api/v1/stores/${ledger.storeId}/public-page`,
        ADMIN_TOKEN,
      );
      expect(sign.body).toEqual({
        storePage: `https://drops.example.ie/s/${ledger.storeId}`,
        sign: `https://drops.example.ie/s/${ledger.storeId}/sign`,
      });
    } finally {
      await ledger.close();
    }
  });
});
