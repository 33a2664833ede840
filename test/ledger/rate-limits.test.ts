// Rate limits that hold: a stranger rotating Authorization or X-Forwarded-For stays in one bucket; proxies are trusted only when named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startLedger, type TestLedger } from './fixtures';

const bogus = (i: number) => ({
  authorization: `Bearer pt_dev_guess-${i}-${Math.random().toString(36).slice(2)}`,
  'x-forwarded-for': `203.0.113.${i % 250}`,
});

async function status(
  ledger: TestLedger,
  method: string,
  url: string,
  headers = {},
  body?: unknown,
) {
  const res = await fetch(ledger.url + url, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: json.error?.code };
}

describe.each(engines)('rate limits on %s, no proxy trusted', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine, {
      ledger: { rateLimits: { perAddress: 16, guessesPerAddress: 6 } },
    });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('cuts off pairing-code guesses after the set number, however the headers rotate', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) {
      answers.push(
        await status(ledger, 'POST', '/api/v1/devices/enroll', bogus(i), {
          pairingCode: `AAAA-AA${String(i).padStart(2, '0')}`,
          name: 'Guess',
        }),
      );
    }
    expect(answers.slice(0, 6).map((a) => a.code)).toEqual(Array(6).fill('not-found'));
    expect(answers.slice(6)).toEqual(Array(4).fill({ status: 429, code: 'rate-limited' }));
  });

  it('counts requests with tokens it does not know against the address, not the token', async () => {
    // The 10 guesses above count against the address (16 a minute); bogus tokens on a private route add to them.
    const statuses = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await status(ledger, 'GET', '/api/v1/sync/pull', bogus(i))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const res = await fetch(`${ledger.url}/api/v1/health`, { headers: bogus(99) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe.each(engines)('rate limits on %s behind a trusted proxy', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine, {
      ledger: { trustProxy: '127.0.0.1', rateLimits: { perAddress: 3, strangers: 10 } },
    });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('keys strangers on the client the proxy names, and limits all strangers together', async () => {
    const one = { 'x-forwarded-for': '198.51.100.7' };
    const fromOne = [];
    for (let i = 0; i < 4; i++)
      fromOne.push((await status(ledger, 'GET', '/api/v1/health', one)).status);
    expect(fromOne).toEqual([200, 200, 200, 429]);

    // Every other address is a new client of the proxy, until strangers together reach 10.
    const many = [];
    for (let i = 0; i < 9; i++)
      many.push(
        (
          await status(ledger, 'GET', '/api/v1/health', {
            'x-forwarded-for': `198.51.100.${20 + i}`,
          })
        ).status,
      );
    expect(many).toEqual([200, 200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
