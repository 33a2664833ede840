// A manager's ledger credential is stronger than the PIN a till holds: PIN + the till's own token (ended with the till), or PIN + a password tills never see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER_PASSWORD } from '../../server/demo';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  managerPassword,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

describe.each(engines)('manager credentials on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  const signIn = (body: Record<string, unknown>, token?: string) =>
    ledger.call('POST', '/api/v1/auth/manager', token, { storeId: ledger.storeId, ...body });

  it('gives no session for the PIN alone, the one a stolen till could find from its PIN hashes', async () => {
    const till = await enrolTill(ledger);
    const pulled = await ledger.call('GET', '/api/v1/sync/pull', till.token);
    const niamh = pulled.body.staff.find((s: { id: string }) => s.id === 'staff-niamh');
    expect(niamh.pinHash).toBeTruthy();
    expect(JSON.stringify(pulled.body)).not.toMatch(/scrypt\$/);

    const res = await signIn({ pin: '9999' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.body.error.message).toMatch(/enrolled till|ledger password/);
  });

  it('signs in with the PIN and the ledger password, and refuses either one wrong', async () => {
    expect((await signIn({ pin: '9999', password: 'not-the-password' })).status).toBe(401);
    expect((await signIn({ pin: '1111', password: DEMO_MANAGER_PASSWORD })).status).toBe(401);
    const ok = await signIn({ pin: '9999', password: DEMO_MANAGER_PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.staffId).toBe('staff-niamh');
    const devices = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/devices`,
      ok.body.token,
    );
    expect(devices.status).toBe(200);
  });

  it('signs a manager in with the PIN on an enrolled till, and ends that session when the till is revoked', async () => {
    const till = await enrolTill(ledger, 'Counter');
    const res = await signIn({ pin: '9999' }, till.token);
    expect(res.status).toBe(200);
    const devices = `/api/v1/stores/${ledger.storeId}/devices`;
    expect((await ledger.call('GET', devices, res.body.token)).status).toBe(200);

    await ledger.call('POST', `/api/v1/devices/${till.deviceId}/revoke`, ADMIN_TOKEN);
    const after = await ledger.call('GET', devices, res.body.token);
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked/);
    expect((await signIn({ pin: '9999' }, till.token)).status).toBe(401);
  });

  it("refuses a till of another store, and lets only the admin set a manager's password", async () => {
    const other = `other-${engine}`;
    await ledger.call('PUT', `/api/v1/stores/${other}`, ADMIN_TOKEN, storeSettings(other));
    const manager = await loginManager(ledger, other, 'staff-other-manager', '6173');
    const pairing = await ledger.call('POST', `/api/v1/stores/${other}/pairing-codes`, manager);
    const otherTill = await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
      pairingCode: pairing.body.code,
      name: 'Other till',
    });
    const crossed = await signIn({ pin: '9999' }, otherTill.body.token);
    expect(crossed.status).toBe(403);

    const url = `/api/v1/stores/${other}/staff/staff-other-manager/password`;
    const byManager = await ledger.call('PUT', url, manager, { password: 'a-new-long-password' });
    expect(byManager.status).toBe(403);
    const tooShort = await ledger.call('PUT', url, ADMIN_TOKEN, { password: 'short' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.details[0].path).toBe('body.password');
    const cashier = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/staff/staff-aoife/password`,
      ADMIN_TOKEN,
      { password: 'a-new-long-password' },
    );
    expect(cashier.status).toBe(400);
    const changed = await ledger.call('PUT', url, ADMIN_TOKEN, { password: 'a-new-long-password' });
    expect(changed.status).toBe(200);
    const old = await ledger.call('POST', '/api/v1/auth/manager', undefined, {
      storeId: other,
      pin: '6173',
      password: managerPassword('staff-other-manager'),
    });
    expect(old.status).toBe(401);
  });
});
