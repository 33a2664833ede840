// Who may do what: tokens, roles, revoked tills, one store never reading another, one-time pairing codes and PIN lockout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  makeSale,
  managerPassword,
  openingStock,
  push,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

const unauthorized = { error: { code: 'unauthorized', message: expect.any(String) } };
const forbidden = { error: { code: 'forbidden', message: expect.any(String) } };

describe.each(engines)('access on %s', (engine) => {
  let ledger: TestLedger;
  let clock = Date.now();
  const storeB = `pop-up-b-${engine}`;

  beforeAll(async () => {
    ledger = await startLedger(engine, { now: () => new Date(clock) });
    const res = await ledger.call(
      'PUT',
      `/api/v1/stores/${storeB}`,
      ADMIN_TOKEN,
      storeSettings(storeB, 'Southside Pop-Up'),
    );
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  const pairingCode = async (storeId: string, token = ADMIN_TOKEN) => {
    const res = await ledger.call('POST', `/api/v1/stores/${storeId}/pairing-codes`, token);
    expect(res.status).toBe(200);
    return res.body.code as string;
  };
  const enrol = (pairingCode: string, name = 'Till') =>
    ledger.call('POST', '/api/v1/devices/enroll', undefined, { pairingCode, name });

  it('answers 401 in the one error shape without a token or with one it does not know', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/v1/sync/push'],
      ['GET', '/api/v1/sync/pull'],
      ['GET', `/api/v1/stores/${ledger.storeId}/exceptions`],
      ['PUT', '/api/v1/products'],
    ];
    for (const [method, url] of routes) {
      const body = method === 'GET' ? undefined : {};
      for (const token of [undefined, 'pt_dev_not-a-real-token', 'pt_mgr_forged', 'letmein']) {
        const res = await ledger.call(method, url, token, body);
        expect(res, `${method} ${url} with ${token}`).toEqual({ status: 401, body: unauthorized });
      }
    }
  });

  it('answers 403 when a till token asks for manager or admin work', async () => {
    const till = await enrolTill(ledger);
    const calls: [string, string, unknown?][] = [
      ['PUT', '/api/v1/products', { products: [] }],
      ['PUT', `/api/v1/stores/${ledger.storeId}`, storeSettings(ledger.storeId)],
      ['GET', `/api/v1/stores/${ledger.storeId}/exceptions`],
      ['POST', `/api/v1/stores/${ledger.storeId}/pairing-codes`],
      ['POST', `/api/v1/devices/${till.deviceId}/revoke`],
    ];
    for (const [method, url, body] of calls) {
      const res = await ledger.call(method, url, till.token, body);
      expect(res, `${method} ${url}`).toEqual({ status: 403, body: forbidden });
    }
  });

  it('shuts a revoked till out at once, and only that till', async () => {
    const revoked = await enrolTill(ledger, 'Lost laptop');
    const kept = await enrolTill(ledger, 'Counter');
    expect((await ledger.call('GET', '/api/v1/sync/pull', revoked.token)).status).toBe(200);

    const res = await ledger.call(
      'POST',
      `/api/v1/devices/${revoked.deviceId}/revoke`,
      ADMIN_TOKEN,
    );
    expect(res).toEqual({ status: 200, body: { ok: true } });

    const sale = makeSale(revoked.deviceId, revoked.prefix, 1, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }]);
    const pushed = await ledger.call('POST', '/api/v1/sync/push', revoked.token, {
      events: [sale],
    });
    expect(pushed).toEqual({ status: 401, body: unauthorized });
    const pulled = await ledger.call('GET', '/api/v1/sync/pull', revoked.token);
    expect(pulled).toEqual({ status: 401, body: unauthorized });

    expect((await ledger.call('GET', '/api/v1/sync/pull', kept.token)).status).toBe(200);
    const devices = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/devices`,
      ADMIN_TOKEN,
    );
    const status = Object.fromEntries(
      devices.body.devices.map((d: { id: string; status: string }) => [d.id, d.status]),
    );
    expect(status[revoked.deviceId]).toBe('revoked');
    expect(status[kept.deviceId]).toBe('active');
  });

  it("keeps a manager of store B out of store A's tills, inbox, report, codes and stock", async () => {
    const tillA = await enrolTill(ledger, 'A till');
    const managerB = await loginManager(ledger, storeB, 'staff-b-manager', '7391');
    const a = ledger.storeId;
    const unknownSku = makeSale(tillA.deviceId, tillA.prefix, 1, [
      { sku: 'NOT-IN-CATALOG', qty: 1 },
    ]);
    await push(ledger, tillA.token, [unknownSku]);
    const inbox = await ledger.call('GET', `/api/v1/stores/${a}/exceptions`, ADMIN_TOKEN);
    const exceptionA = inbox.body.exceptions[0].id as string;
    const calls: [string, string, unknown?][] = [
      ['POST', `/api/v1/exceptions/${exceptionA}/resolve`, { resolution: 'Not mine to close' }],
      ['GET', `/api/v1/stores/${a}/devices`],
      ['GET', `/api/v1/stores/${a}/exceptions`],
      ['GET', `/api/v1/reports/day?storeId=${a}&date=2026-11-25`],
      ['POST', `/api/v1/stores/${a}/pairing-codes`],
      ['GET', `/api/v1/stores/${a}/stock`],
      ['POST', `/api/v1/stores/${a}/stock/receive`, { lines: [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }] }],
      [
        'PUT',
        `/api/v1/stores/${a}/staff/intruder`,
        { name: 'Intruder', role: 'manager', pin: '1111' },
      ],
      ['POST', `/api/v1/devices/${tillA.deviceId}/revoke`],
      // Admin-only, whatever the store.
      ['PUT', `/api/v1/stores/${storeB}`, storeSettings(storeB)],
    ];
    for (const [method, url, body] of calls) {
      const res = await ledger.call(method, url, managerB, body);
      expect(res, `${method} ${url}`).toEqual({ status: 403, body: forbidden });
    }
    // Nothing of A changed, and B's own store is open to its manager.
    const pullA = await ledger.call('GET', '/api/v1/sync/pull', tillA.token);
    expect(pullA.status).toBe(200);
    expect(pullA.body.staff.map((s: { id: string }) => s.id)).not.toContain('staff-b-manager');
    const stillOpen = await ledger.call('GET', `/api/v1/stores/${a}/exceptions`, ADMIN_TOKEN);
    expect(stillOpen.body.exceptions.map((x: { id: string }) => x.id)).toContain(exceptionA);
    const login = await ledger.call('POST', '/api/v1/auth/manager', undefined, {
      storeId: a,
      pin: '1111',
    });
    expect(login.status).toBe(401);
    expect((await ledger.call('GET', `/api/v1/stores/${storeB}/devices`, managerB)).status).toBe(
      200,
    );
  });

  it("gives a till of store B only B's staff and stock, and files its sales under B", async () => {
    const managerB = await loginManager(ledger, storeB, 'staff-b-lead', '5820');
    const received = await ledger.call('POST', `/api/v1/stores/${storeB}/stock/receive`, managerB, {
      lines: [{ sku: 'TEE-LOGO-BLK-S', qty: 5 }],
    });
    expect(received.body.levels).toEqual([{ sku: 'TEE-LOGO-BLK-S', qty: 5 }]);
    const enrolled = await enrol(await pairingCode(storeB, managerB), 'B till');
    expect(enrolled.status).toBe(200);
    const tillB = enrolled.body as {
      deviceId: string;
      storeId: string;
      prefix: string;
      token: string;
    };
    expect(tillB.storeId).toBe(storeB);

    const pulled = await ledger.call('GET', '/api/v1/sync/pull', tillB.token);
    expect(pulled.body.full).toBe(true);
    expect(pulled.body.store.storeId).toBe(storeB);
    expect(pulled.body.staff.map((s: { id: string }) => s.id).sort()).toEqual(
      ['staff-b-lead', 'staff-b-manager'].sort(),
    );
    expect(pulled.body.stock).toEqual([{ sku: 'TEE-LOGO-BLK-S', qty: 5 }]);

    const sale = makeSale(tillB.deviceId, tillB.prefix, 1, [{ sku: 'TEE-LOGO-BLK-S', qty: 2 }]);
    await push(ledger, tillB.token, [sale]);
    const levelsB = await ledger.call('GET', `/api/v1/stores/${storeB}/stock`, managerB);
    expect(levelsB.body.levels).toEqual([{ sku: 'TEE-LOGO-BLK-S', qty: 3 }]);
    const levelsA = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/stock?sku=TEE-LOGO-BLK-S`,
      ADMIN_TOKEN,
    );
    expect(levelsA.body.levels).toEqual([
      { sku: 'TEE-LOGO-BLK-S', qty: openingStock['TEE-LOGO-BLK-S'] },
    ]);
  });

  it('refuses a pairing code the second time, even when both tries come at once', async () => {
    const code = await pairingCode(ledger.storeId);
    const first = await enrol(code, 'First');
    expect(first.status).toBe(200);
    const second = await enrol(code, 'Second');
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already used/),
    });

    const raced = await pairingCode(ledger.storeId);
    const tries = await Promise.all(['A', 'B', 'C', 'D'].map((n) => enrol(raced, `Till ${n}`)));
    expect(tries.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('enrols several tills at once, each with its own receipt prefix', async () => {
    const codes = await Promise.all([1, 2, 3, 4].map(() => pairingCode(ledger.storeId)));
    const enrolled = await Promise.all(codes.map((code, i) => enrol(code, `Opening day ${i}`)));
    expect(enrolled.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const prefixes = enrolled.map((r) => r.body.prefix as string);
    expect(new Set(prefixes).size).toBe(4);
  });

  it('takes a pairing code typed in lower case without its dash', async () => {
    const code = await pairingCode(ledger.storeId);
    const res = await enrol(code.replace('-', '').toLowerCase(), 'Typed by hand');
    expect(res.status).toBe(200);
    expect(res.body.storeId).toBe(ledger.storeId);
  });

  it('refuses a pairing code after its 15 minutes', async () => {
    const early = await pairingCode(ledger.storeId);
    const late = await pairingCode(ledger.storeId);
    clock += 14 * 60_000;
    expect((await enrol(early, 'In time')).status).toBe(200);
    clock += 2 * 60_000;
    const res = await enrol(late, 'Too late');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/expired/),
    });
  });

  it('answers a wrong manager PIN with 401 and locks logins after five wrong ones', async () => {
    const store = `lockout-${engine}`;
    expect(
      (await ledger.call('PUT', `/api/v1/stores/${store}`, ADMIN_TOKEN, storeSettings(store)))
        .status,
    ).toBe(200);
    await loginManager(ledger, store, 'staff-lock-manager', '2468');
    const password = managerPassword('staff-lock-manager');
    const login = (pin: string) =>
      ledger.call('POST', '/api/v1/auth/manager', undefined, { storeId: store, pin, password });

    for (let i = 0; i < 5; i++)
      expect(await login('0000')).toEqual({ status: 401, body: unauthorized });
    const locked = await login('2468');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate-limited');

    clock += 31_000;
    expect((await login('2468')).status).toBe(200);
  });

  it('ends a manager session after 12 hours', async () => {
    const store = `session-${engine}`;
    await ledger.call('PUT', `/api/v1/stores/${store}`, ADMIN_TOKEN, storeSettings(store));
    const token = await loginManager(ledger, store, 'staff-session-manager', '8642');
    const devices = `/api/v1/stores/${store}/devices`;
    expect((await ledger.call('GET', devices, token)).status).toBe(200);
    clock += 12 * 3600_000 + 1_000;
    expect(await ledger.call('GET', devices, token)).toEqual({ status: 401, body: unauthorized });
  });
});
