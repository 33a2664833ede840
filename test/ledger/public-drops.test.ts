// The public drop pages at a real ledger: cache headers and 304s, one snapshot read a second for a crowd, nothing private, their own rate limit and load shedding that spares the tills.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDrop, dropSeller, liveDrop, pullAs } from './drop-fixtures';
import { ADMIN_TOKEN, engines, enrolTill, push, startLedger, type TestLedger } from './fixtures';

const CAP = 'HAT-CAP-REF';
const MEMBER = {
  id: 'M7K3MQ9XT',
  name: 'Saoirse Byrne',
  phone: '+353 87 100 0001',
  email: 'saoirse@example.ie',
};

async function snapshotReads(ledger: TestLedger): Promise<number> {
  const res = await fetch(`${ledger.url}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const line = (await res.text())
    .split('\n')
    .find((l) => l.startsWith('ledger_public_snapshot_reads_total '));
  return Number(line?.split(' ')[1]);
}

describe.each(engines)('public drop pages on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let pages: string[];
  beforeAll(async () => {
    // Shedding is off here (its own suite below): this process also runs the crowd's fetches.
    ledger = await startLedger(engine, {
      ledger: { publicPages: { maxInFlight: 10_000, busyAbove: 1 } },
    });
    till = await enrolTill(ledger);
    await createDrop(
      ledger,
      liveDrop('public-1', {
        name: 'Public Drop',
        access: [{ tier: 'members', minutesBefore: 30 }],
        items: [
          {
            sku: CAP,
            quantity: 10,
            ladder: [
              { label: 'Early bird', price: 2500, untilUnits: 3, fastFulfilment: false },
              { label: 'Full price', price: 3500, fastFulfilment: false },
            ],
          },
        ],
      }),
    );
    const member = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/members/${MEMBER.id}`,
      ADMIN_TOKEN,
      {
        name: MEMBER.name,
        tiers: ['members'],
        phone: MEMBER.phone,
        email: MEMBER.email,
        active: true,
      },
    );
    expect(member.status).toBe(200);
    await pullAs(ledger, till);
    const sell = dropSeller(till);
    const answer = await push(ledger, till.token, [sell('public-1', CAP, 2, MEMBER.id)]);
    expect(answer.results.map((r) => r.status)).toEqual(['accepted']);
    pages = [
      `/s/${ledger.storeId}`,
      `/s/${ledger.storeId}/drops/public-1`,
      `/api/v1/public/stores/${ledger.storeId}/drops`,
    ];
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('shows units left, the ladder price and when it changes, the tiers and the promises', async () => {
    const res = await fetch(`${ledger.url}/api/v1/public/stores/${ledger.storeId}/drops`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const drop = body.drops.find((d: { id: string }) => d.id === 'public-1');
    expect(drop.phase).toBe('live');
    expect(drop.items[0]).toMatchObject({
      sku: CAP,
      quantity: 10,
      left: 8,
      price: 2500,
      stepLabel: 'Early bird',
      priceChanges: { afterUnits: 1 },
      nextPrice: 3500,
    });
    expect(drop.opens.map((o: { tier: string }) => o.tier)).toEqual(['members', 'everyone']);
    expect(drop.restockAt).toBeNull();
    const html = await (await fetch(`${ledger.url}/s/${ledger.storeId}/drops/public-1`)).text();
    expect(html).toContain('8 of 10 left');
    expect(html).toContain('No restock');
  });

  it('answers every public page with CDN cache headers and a 304 for the tag the client holds', async () => {
    for (const page of pages) {
      const first = await fetch(ledger.url + page);
      expect(first.status, page).toBe(200);
      const cache = first.headers.get('cache-control') ?? '';
      expect(cache, page).toMatch(/\bpublic\b/);
      expect(cache, page).toMatch(/s-maxage=\d+/);
      expect(cache, page).toMatch(/stale-while-revalidate=\d+/);
      const etag = first.headers.get('etag');
      expect(etag, page).toMatch(/^"[^"]+"$/);
      const again = await fetch(ledger.url + page, { headers: { 'if-none-match': etag! } });
      expect(again.status, page).toBe(304);
      expect(await again.text(), page).toBe('');
      const other = await fetch(ledger.url + page, { headers: { 'if-none-match': '"stale"' } });
      expect(other.status, page).toBe(200);
    }
  });

  it('gives a new tag once a sale changes the count', async () => {
    const url = `${ledger.url}/api/v1/public/stores/${ledger.storeId}/drops`;
    const before = (await fetch(url)).headers.get('etag')!;
    await push(ledger, till.token, [dropSeller(till, 2)('public-1', CAP, 1)]);
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await fetch(url, { headers: { 'if-none-match': before } });
    expect(after.status).toBe(200);
    const drop = (await after.json()).drops.find((d: { id: string }) => d.id === 'public-1');
    expect(drop.items[0].left).toBe(7);
    expect(drop.items[0].price).toBe(3500);
  });

  it('reads the snapshot from the database about once a second, however many ask at once', async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    const before = await snapshotReads(ledger);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetch(ledger.url + pages[i % pages.length]!)),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await snapshotReads(ledger)) - before).toBeLessThanOrEqual(2);
  });

  it('sends counts over server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${ledger.url}/api/v1/public/stores/${ledger.storeId}/drops/events`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
    expect(data.left).toContainEqual({ dropId: 'public-1', sku: CAP, left: 7 });
  });

  it('shows nothing private: no member, contact, sale, receipt, till or token', async () => {
    const secrets = [
      MEMBER.id,
      MEMBER.name,
      'Saoirse',
      MEMBER.phone,
      '87 100',
      MEMBER.email,
      till.deviceId,
      till.token,
      `${till.prefix}-0`,
      ADMIN_TOKEN,
      'memberId',
      'deviceId',
      'saleId',
    ];
    const urls = [
      ...pages,
      `/api/v1/public/stores/${ledger.storeId}/drops/events`,
      '/s/assets/page.js',
    ];
    for (const page of urls) {
      const controller = new AbortController();
      const res = await fetch(ledger.url + page, { signal: controller.signal });
      let text = '';
      if (page.endsWith('/events')) {
        const reader = res.body!.getReader();
        while (!text.includes('\n\n'))
          text += new TextDecoder().decode((await reader.read()).value);
        controller.abort();
      } else text = await res.text();
      for (const s of secrets) expect(text, `${page} shows ${s}`).not.toContain(s);
    }
  });

  it('answers an unknown store or drop 404 and a malformed one without a 5xx', async () => {
    for (const page of [
      '/s/no-such-store',
      `/s/${ledger.storeId}/drops/no-such-drop`,
      `/s/${ledger.storeId}/drops/${'x'.repeat(70)}`,
      '/api/v1/public/stores/no-such-store/drops',
      `/s/${'%C3%28'.repeat(3)}`,
    ]) {
      const res = await fetch(ledger.url + page);
      expect(res.status, page).toBeGreaterThanOrEqual(400);
      expect(res.status, page).toBeLessThan(500);
    }
  });
});

describe.each(engines)('public drop pages under a crowd on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    // Shedding off (its own suite): only the address limit answers here.
    ledger = await startLedger(engine, {
      ledger: { rateLimits: { publicPerAddress: 5 }, publicPages: { busyAbove: 1 } },
    });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('limits one address on the public pages without touching its tills or the strangers’ share', async () => {
    const till = await enrolTill(ledger);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await fetch(`${ledger.url}/s/${ledger.storeId}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = await fetch(`${ledger.url}/s/${ledger.storeId}`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('rate-limited');
    expect((await ledger.call('GET', '/api/v1/sync/pull', till.token)).status).toBe(200);
    expect((await fetch(`${ledger.url}/api/v1/health`)).status).toBe(200);
  });
});

describe.each(engines)('public drop pages shedding load on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    // No room at all for page requests: every one is shed, the tills' routes are not.
    ledger = await startLedger(engine, { ledger: { publicPages: { maxInFlight: 0 } } });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('answers 503 with Retry-After on the pages while the tills sync as usual', async () => {
    const till = await enrolTill(ledger);
    for (const page of [`/s/${ledger.storeId}`, `/api/v1/public/stores/${ledger.storeId}/drops`]) {
      const res = await fetch(ledger.url + page);
      expect(res.status, page).toBe(503);
      expect(Number(res.headers.get('retry-after')), page).toBeGreaterThan(0);
      expect(res.headers.get('cache-control'), page).toBe('no-store');
      expect((await res.json()).error.code, page).toBe('unavailable');
    }
    // A browser asking for the page gets a page that reloads itself after the wait.
    const browserPage = await fetch(`${ledger.url}/s/${ledger.storeId}`, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(browserPage.status).toBe(503);
    expect(browserPage.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await browserPage.text()).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect((await ledger.call('GET', '/api/v1/sync/pull', till.token)).status).toBe(200);
    expect(
      (await ledger.call('POST', '/api/v1/sync/push', till.token, { events: [] })).status,
    ).not.toBeGreaterThanOrEqual(500);
  });
});

describe.each(engines)('public drop pages when the event loop is full on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    // A low bar, so two busy seconds out of the last three shed most page requests.
    ledger = await startLedger(engine, { ledger: { publicPages: { busyAbove: 0.3 } } });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('sheds page requests while the loop is saturated, and serves the till', async () => {
    const till = await enrolTill(ledger);
    // This test runs in the ledger's own process: hold its event loop for a while, as a burst would.
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      /* busy */
    }
    const answers = [];
    for (let i = 0; i < 10; i++)
      answers.push(await fetch(`${ledger.url}/api/v1/public/stores/${ledger.storeId}/drops`));
    const shed = answers.filter((a) => a.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(Number(shed[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ledger.call('GET', '/api/v1/sync/pull', till.token)).status).toBe(200);
    // Once the loop is free again, pages are served.
    await expect
      .poll(
        async () =>
          (await fetch(`${ledger.url}/api/v1/public/stores/${ledger.storeId}/drops`)).status,
        { timeout: 5_000, interval: 300 },
      )
      .toBe(200);
  });
});
