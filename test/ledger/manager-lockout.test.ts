// Manager PIN lockout: parallel wrong PINs are cut off at the set number per store and client, strangers cannot lock a manager out elsewhere, locks back off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PIN_FAILURES } from '../../shared/pin';
import {
  ADMIN_TOKEN,
  engines,
  loginManager,
  managerPassword,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

describe.each(engines)('manager PIN lockout on %s', (engine) => {
  let ledger: TestLedger;
  let clock = Date.now();
  beforeAll(async () => {
    // Behind a proxy on this machine, so a test can speak as several clients.
    ledger = await startLedger(engine, {
      now: () => new Date(clock),
      ledger: { trustProxy: '127.0.0.1', rateLimits: { guessesPerAddress: 1_000 } },
    });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  const newStore = async (name: string, pin: string) => {
    const store = `${name}-${engine}`;
    const res = await ledger.call(
      'PUT',
      `/api/v1/stores/${store}`,
      ADMIN_TOKEN,
      storeSettings(store),
    );
    expect(res.status).toBe(200);
    await loginManager(ledger, store, `staff-${name}-manager`, pin);
    passwords.set(store, managerPassword(`staff-${name}-manager`));
    return store;
  };
  const passwords = new Map<string, string>();
  const login = async (storeId: string, pin: string, client: string) => {
    const res = await fetch(`${ledger.url}/api/v1/auth/manager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ storeId, pin, password: passwords.get(storeId) }),
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
  };

  it('checks no more than the set number of 50 parallel wrong PINs, then refuses even the right one from that client', async () => {
    const store = await newStore('race', '4826');
    const wrong = Array.from({ length: 50 }, (_, i) => String(1000 + i));
    const answers = await Promise.all(wrong.map((pin) => login(store, pin, '198.51.100.1')));
    const checked = answers.filter((a) => a.status === 401).length;
    expect(checked).toBe(MAX_PIN_FAILURES);
    expect(answers.filter((a) => a.status === 429).length).toBe(50 - MAX_PIN_FAILURES);
    for (const a of answers.filter((x) => x.status === 429))
      expect(a.body.error?.code).toBe('rate-limited');
    expect((await login(store, '4826', '198.51.100.1')).status).toBe(429);
  });

  it("lets the manager sign in from another client while a stranger's guesses lock theirs", async () => {
    const store = await newStore('stranger', '7315');
    for (let i = 0; i < MAX_PIN_FAILURES; i++)
      expect((await login(store, '0000', '203.0.113.66')).status).toBe(401);
    expect((await login(store, '7315', '203.0.113.66')).status).toBe(429);
    const manager = await login(store, '7315', '192.0.2.10');
    expect(manager.status).toBe(200);
  });

  it('doubles the lock each time the same client runs out of guesses again', async () => {
    const store = await newStore('backoff', '5937');
    const client = '203.0.113.77';
    const fail = async () => {
      for (let i = 0; i < MAX_PIN_FAILURES; i++)
        expect((await login(store, '0000', client)).status).toBe(401);
    };
    await fail();
    clock += 31_000;
    await fail();
    clock += 31_000;
    expect((await login(store, '5937', client)).status).toBe(429);
    clock += 30_000;
    expect((await login(store, '5937', client)).status).toBe(200);
  });
});
