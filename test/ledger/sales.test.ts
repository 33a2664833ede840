// GET /api/v1/sales/:saleId over real HTTP: a manager reprints a sale exactly as the till recorded it, only in their own store.

import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreSettings } from '../../server/demo';
import type { EventEnvelope } from '../../shared/events';
import {
  ADMIN_TOKEN,
  demo,
  engines,
  enrolTill,
  loginManager,
  makeSales,
  makeVoid,
  push,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

describe.each(engines)('sale lookup on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let sales: EventEnvelope[];
  let voided: EventEnvelope;
  let managerA: string;
  let managerB: string;
  const storeB = 'store-lookup-b';

  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger);
    sales = makeSales(till.deviceId, till.prefix, 3, { seed: 7 });
    voided = makeVoid(till.deviceId, 4, { at: new Date('2026-11-25T10:05:00Z') });
    await push(ledger, till.token, [...sales, voided]);
    const created = await ledger.call(
      'PUT',
      `/api/v1/stores/${storeB}`,
      ADMIN_TOKEN,
      storeSettings(storeB, 'Southside Pop-Up'),
    );
    expect(created.status).toBe(200);
    managerA = await loginManager(ledger, ledger.storeId, 'staff-lookup-a', '4817');
    managerB = await loginManager(ledger, storeB, 'staff-lookup-b', '6392');
  });
  afterAll(() => ledger?.close());

  it('returns the sale exactly as the till pushed it, with the store settings', async () => {
    const wanted = sales[1]!;
    const res = await ledger.call('GET', `/api/v1/sales/${wanted.id}`, managerA);
    expect(res.status).toBe(200);
    expect(res.body.sale).toEqual(wanted.payload);
    expect(res.body.store).toEqual(demoStoreSettings(demo.store));
  });

  it('lets the admin read any store’s sale', async () => {
    const res = await ledger.call('GET', `/api/v1/sales/${sales[0]!.id}`, ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body.sale).toEqual(sales[0]!.payload);
  });

  it('refuses a manager of another store with 403', async () => {
    const res = await ledger.call('GET', `/api/v1/sales/${sales[0]!.id}`, managerB);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('refuses callers that are not managers', async () => {
    expect((await ledger.call('GET', `/api/v1/sales/${sales[0]!.id}`)).status).toBe(401);
    expect((await ledger.call('GET', `/api/v1/sales/${sales[0]!.id}`, till.token)).status).toBe(
      403,
    );
  });

  it('answers 404 for an unknown id and for a fact that is not a sale', async () => {
    const unknown = await ledger.call('GET', `/api/v1/sales/${ulid()}`, ADMIN_TOKEN);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not-found');
    const notASale = await ledger.call('GET', `/api/v1/sales/${voided.id}`, ADMIN_TOKEN);
    expect(notASale.status).toBe(404);
  });
});
