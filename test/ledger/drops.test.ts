// Drops at the ledger: allotments split over tills and taken by sales, oversell caught as an exception, manual allotments, requests and returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allotmentOf,
  createDrop,
  dropSeller,
  liveDrop,
  openExceptions,
  progressOf,
  pullAs,
  type Till,
} from './drop-fixtures';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  push,
  startLedger,
  type TestLedger,
} from './fixtures';

const CAP = 'HAT-CAP-REF';

describe.each(engines)('drops and allotments on %s', (engine) => {
  let ledger: TestLedger;
  let a: Till;
  let b: Till;
  let sellA: ReturnType<typeof dropSeller>;
  let sellB: ReturnType<typeof dropSeller>;

  beforeAll(async () => {
    ledger = await startLedger(engine);
    a = await enrolTill(ledger, 'Till A');
    b = await enrolTill(ledger, 'Till B');
    sellA = dropSeller(a);
    sellB = dropSeller(b);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('splits an auto drop 5/5 over two tills; sales on both take from their allotments and count in the progress', async () => {
    const created = await createDrop(ledger, liveDrop('auto-split'));
    expect(created.progress).toEqual([{ sku: CAP, quantity: 10, sold: 0, allotted: 10, pool: 0 }]);
    expect(await allotmentOf(ledger, a, 'auto-split', CAP)).toBe(5);
    expect(await allotmentOf(ledger, b, 'auto-split', CAP)).toBe(5);

    const before = await pullAs(ledger, a);
    await push(ledger, a.token, [sellA('auto-split', CAP, 2), sellA('auto-split', CAP, 1)]);
    await push(ledger, b.token, [sellB('auto-split', CAP, 5)]);

    expect(await allotmentOf(ledger, a, 'auto-split', CAP)).toBe(2);
    expect(await allotmentOf(ledger, b, 'auto-split', CAP)).toBe(0);
    expect(await progressOf(ledger, 'auto-split', CAP)).toEqual({
      sku: CAP,
      quantity: 10,
      sold: 8,
      allotted: 2,
      pool: 0,
    });
    // A delta pull carries the changed allotment and the drop's progress across both tills.
    const delta = await pullAs(ledger, a, before.cursor);
    expect(delta.full).toBe(false);
    expect(delta.allotments).toEqual([{ dropId: 'auto-split', sku: CAP, qty: 2 }]);
    expect(delta.dropProgress).toContainEqual({ dropId: 'auto-split', sku: CAP, sold: 8 });
    // No exception: nothing was oversold.
    expect(await openExceptions(ledger, 'oversold')).toEqual([]);

    const moves = await ledger.database.db
      .selectFrom('allotment_movements')
      .select(['device_id', 'delta', 'reason'])
      .where('drop_id', '=', 'auto-split')
      .orderBy('id')
      .execute();
    expect(moves.map((m) => [m.device_id, Number(m.delta), m.reason])).toEqual([
      [a.deviceId, 5, 'allot'],
      [b.deviceId, 5, 'allot'],
      [a.deviceId, -3, 'sale'],
      [b.deviceId, -5, 'sale'],
    ]);
  });

  it('gives the remainder of an odd split to the first till by name', async () => {
    await createDrop(ledger, liveDrop('odd', { items: [{ sku: CAP, quantity: 7, ladder: [] }] }));
    expect(await allotmentOf(ledger, a, 'odd', CAP)).toBe(4);
    expect(await allotmentOf(ledger, b, 'odd', CAP)).toBe(3);
  });

  it('with allotments off, 12 sold of 10 raises one oversold exception of 2 units, naming the sales and tills', async () => {
    await createDrop(ledger, liveDrop('no-escrow', { allotments: 'off' }));
    expect(await allotmentOf(ledger, a, 'no-escrow', CAP)).toBe(0);
    const fromA = Array.from({ length: 6 }, () => sellA('no-escrow', CAP, 1));
    const fromB = Array.from({ length: 6 }, () => sellB('no-escrow', CAP, 1));
    await push(ledger, a.token, fromA);
    expect(await openExceptions(ledger, 'oversold')).toEqual([]);
    await push(ledger, b.token, fromB);
    // The same batch again (a timeout retry) flags nothing twice.
    await push(ledger, b.token, fromB);

    const oversold = await openExceptions(ledger, 'oversold');
    expect(oversold).toHaveLength(1);
    const x = oversold[0]!;
    expect(x.details).toMatchObject({ dropId: 'no-escrow', sku: CAP, oversold: 2, sold: 12 });
    expect(x.details.saleIds).toEqual([fromB[5]!.id, fromB[4]!.id]);
    expect(new Set(x.details.deviceIds as string[])).toEqual(new Set([a.deviceId, b.deviceId]));
    expect(x.message).toContain('2 sold beyond the 10');
    expect(x.message).toContain(`${b.prefix}-000`);

    // One more sale later: one more unit oversold, flagged for that sale only.
    const late = sellA('no-escrow', CAP, 1);
    await push(ledger, a.token, [late]);
    const after = await openExceptions(ledger, 'oversold');
    expect(after).toHaveLength(2);
    expect(after.find((e) => e.id !== x.id)?.details).toMatchObject({
      oversold: 1,
      saleIds: [late.id],
    });

    const resolved = await ledger.call('POST', `/api/v1/exceptions/${x.id}/resolve`, ADMIN_TOKEN, {
      resolution: 'Backorder: posting next week',
      outcome: 'backorder',
    });
    expect(resolved.status).toBe(200);
  });

  it('manual allotments refuse more than the unsold units, and change nothing then', async () => {
    await createDrop(ledger, liveDrop('manual', { allotments: 'manual' }));
    expect(await allotmentOf(ledger, a, 'manual', CAP)).toBe(0);
    const url = `/api/v1/stores/${ledger.storeId}/drops/manual/allotments`;
    const set = await ledger.call('PUT', url, ADMIN_TOKEN, {
      allotments: [
        { deviceId: a.deviceId, sku: CAP, qty: 4 },
        { deviceId: b.deviceId, sku: CAP, qty: 4 },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.body.allotments).toHaveLength(2);
    await push(ledger, a.token, [sellA('manual', CAP, 3)]);

    // 10 in the drop, 3 sold: 7 can be held; B keeps 4, so A may hold at most 3.
    const tooMany = await ledger.call('PUT', url, ADMIN_TOKEN, {
      allotments: [{ deviceId: a.deviceId, sku: CAP, qty: 4 }],
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toBe(
      `Only 7 units of ${CAP} can be allotted in Drop manual (10 in the drop, 3 sold); these allotments come to 8.`,
    );
    expect(await allotmentOf(ledger, a, 'manual', CAP)).toBe(1);

    const ok = await ledger.call('PUT', url, ADMIN_TOKEN, {
      allotments: [{ deviceId: a.deviceId, sku: CAP, qty: 3 }],
    });
    expect(ok.status).toBe(200);
    expect(await progressOf(ledger, 'manual', CAP)).toMatchObject({
      sold: 3,
      allotted: 7,
      pool: 0,
    });
  });

  it('a till requests units from the pool (getting what is left) and returns unsold ones', async () => {
    await createDrop(ledger, liveDrop('pool', { allotments: 'manual' }));
    const request = (till: Till, qty: number) =>
      ledger.call('POST', '/api/v1/drops/pool/allotments/request', till.token, { sku: CAP, qty });
    expect((await request(a, 6)).body).toEqual({ granted: 6, allotment: 6 });
    const partial = await request(b, 6);
    expect(partial.body).toMatchObject({ granted: 4, allotment: 4 });
    expect(partial.body.reason).toContain('Only 4');
    const none = await request(b, 1);
    expect(none.body.granted).toBe(0);
    expect(none.body.reason).toContain('No units of HAT-CAP-REF left');

    const back = await ledger.call('POST', '/api/v1/drops/pool/allotments/return', a.token, {
      sku: CAP,
      qty: 2,
    });
    expect(back.body).toEqual({ returned: 2, allotment: 4 });
    expect((await request(b, 5)).body).toMatchObject({ granted: 2, allotment: 6 });
    expect(await progressOf(ledger, 'pool', CAP)).toMatchObject({ allotted: 10, pool: 0 });

    const reasons = await ledger.database.db
      .selectFrom('allotment_movements')
      .select('reason')
      .where('drop_id', '=', 'pool')
      .execute();
    expect(reasons.map((r) => r.reason).sort()).toEqual([
      'request',
      'request',
      'request',
      'return',
    ]);

    // Allotments off: nothing to request, and the till is told why.
    await createDrop(ledger, liveDrop('pool', { allotments: 'off' }));
    const off = await request(a, 1);
    expect(off.body.granted).toBe(0);
    expect(off.body.reason).toContain('Allotments are off');
    expect(await allotmentOf(ledger, a, 'pool', CAP)).toBe(0);
  });

  it('refuses a drop that ends before it starts or sells an unknown SKU, and a till cannot define drops', async () => {
    const bad = liveDrop('bad');
    const backwards = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/drops/bad`,
      ADMIN_TOKEN,
      { ...bad, endsAt: bad.startsAt },
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe('Drop bad must end after it starts.');
    const unknown = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/drops/bad`,
      ADMIN_TOKEN,
      { ...bad, items: [{ sku: 'NO-SUCH-SKU', quantity: 1, ladder: [] }] },
    );
    expect(unknown.status).toBe(400);
    const asTill = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/drops/bad`,
      a.token,
      bad,
    );
    expect(asTill.status).toBe(403);
    // A manager of the store may define drops (the till's drops screen signs one in).
    const manager = await loginManager(ledger, ledger.storeId, 'staff-drops-mgr', '4713');
    const asManager = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/drops/by-manager`,
      manager,
      liveDrop('by-manager'),
    );
    expect(asManager.status).toBe(200);
    const moves = await ledger.database.db
      .selectFrom('allotment_movements')
      .select('actor')
      .where('drop_id', '=', 'by-manager')
      .execute();
    expect(new Set(moves.map((m) => m.actor))).toEqual(new Set(['manager:staff-drops-mgr']));
  });
});
