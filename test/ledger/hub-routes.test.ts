// The central ledger's routes for stall hubs: only a hub may register tills and forward facts, only for its own tills; a hub's till may re-pair under its own id, no other device may.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveDrop, progressOf, putDrop } from './drop-fixtures';
import { ADMIN_TOKEN, engines, enrolTill, startLedger, type TestLedger } from './fixtures';

describe.each(engines)('stall hub routes at the central ledger (%s)', (engine) => {
  let ledger: TestLedger;
  let hub: { deviceId: string; token: string; prefix: string };
  let till: { deviceId: string; token: string; prefix: string };

  const code = async () =>
    (await ledger.call('POST', `/api/v1/stores/${ledger.storeId}/pairing-codes`, ADMIN_TOKEN)).body
      .code as string;
  const forward = (token: string, body: string) =>
    fetch(`${ledger.url}/api/v1/hub/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    }).then(async (res) => ({ status: res.status, body: await res.json() }));

  beforeAll(async () => {
    ledger = await startLedger(engine);
    const res = await ledger.call('POST', '/api/v1/hubs/enroll', undefined, {
      pairingCode: await code(),
      name: 'Stall hub',
    });
    expect(res.status).toBe(200);
    hub = res.body;
    till = await enrolTill(ledger, 'Direct till');
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('enrols a hub with its own prefix, and refuses a hub that asks for an existing id', async () => {
    expect(hub.prefix).toBe('H1');
    const res = await ledger.call('POST', '/api/v1/hubs/enroll', undefined, {
      pairingCode: await code(),
      name: 'Hub again',
      deviceId: till.deviceId,
    });
    expect(res.status).toBe(400);
  });

  it('lets only a hub register a till, which gets a T prefix and belongs to the hub', async () => {
    const byTill = await ledger.call('POST', '/api/v1/hub/tills', till.token, { name: 'X' });
    expect(byTill.status).toBe(403);
    const bad = await ledger.call('POST', '/api/v1/hub/tills', hub.token, { name: 'A\u0000' });
    expect(bad.status).toBe(400);
    const res = await ledger.call('POST', '/api/v1/hub/tills', hub.token, { name: 'Hub till' });
    expect(res.status).toBe(200);
    expect(res.body.prefix).toMatch(/^T\d+$/);
    const row = await ledger.database.db
      .selectFrom('devices')
      .select(['hub_id', 'kind'])
      .where('id', '=', res.body.deviceId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ hub_id: hub.deviceId, kind: 'till' });
  });

  it("refuses to forward a till's facts from a till, or another till's from a hub, and stores nothing", async () => {
    const fact = {
      id: ulid(),
      seq: 1,
      type: 'complaint.logged',
      createdAt: new Date().toISOString(),
      payload: {},
    };
    const asTill = await forward(
      till.token,
      JSON.stringify({ deviceId: till.deviceId, events: [fact] }),
    );
    expect(asTill.status).toBe(403);
    const notItsOwn = await forward(
      hub.token,
      JSON.stringify({ deviceId: till.deviceId, events: [fact] }),
    );
    expect(notItsOwn.status).toBe(403);
    expect(notItsOwn.body.error.message).toMatch(/not enrolled through this hub/);
    const badId = await forward(hub.token, JSON.stringify({ deviceId: 'nope', events: [fact] }));
    expect(badId.status).toBe(400);
    const stored = await ledger.database.db
      .selectFrom('events')
      .select('id')
      .where('id', '=', fact.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it("judges a forwarded fact alone, as the till's own push would (a __proto__ key rejects only that fact)", async () => {
    const mine = await ledger.call('POST', '/api/v1/hub/tills', hub.token, { name: 'Hub till 2' });
    const id = ulid();
    const body = `{"deviceId":"${mine.body.deviceId}","events":[{"id":"${id}","seq":1,"type":"complaint.logged","createdAt":"${new Date().toISOString()}","payload":{"__proto__":{"x":1}}}]}`;
    const res = await forward(hub.token, body);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ id, status: 'rejected' })]);
    expect(res.body.watermark).toBe(1);
    // Sent again (a hub that restarted before it kept the verdict): the same answer, nothing new.
    const again = await forward(hub.token, body);
    expect(again.body.results).toEqual(res.body.results);
  });

  it("passes on a hub's till's signing key (again is a no-op), never another till's", async () => {
    const mine = await ledger.call('POST', '/api/v1/hub/tills', hub.token, {
      name: 'Signing till',
    });
    const publicKey = 'ab'.repeat(32);
    const body = { deviceId: mine.body.deviceId, publicKey };
    const first = await ledger.call('POST', '/api/v1/hub/keys', hub.token, body);
    expect(first.status).toBe(200);
    expect((await ledger.call('POST', '/api/v1/hub/keys', hub.token, body)).body).toEqual(
      first.body,
    );
    const other = { deviceId: till.deviceId, publicKey: 'cd'.repeat(32) };
    expect((await ledger.call('POST', '/api/v1/hub/keys', hub.token, other)).status).toBe(403);
    expect((await ledger.call('POST', '/api/v1/hub/keys', till.token, body)).status).toBe(403);
    // Every till of the store now gets it with its pull.
    const pull = await ledger.call('GET', '/api/v1/sync/pull', till.token);
    expect(pull.body.promoKeys).toContainEqual(
      expect.objectContaining({ kind: 'ed25519', deviceId: mine.body.deviceId, publicKey }),
    );
  });

  it("re-pairs a hub's till under its own id and prefix, but no till that is not a hub's", async () => {
    const mine = await ledger.call('POST', '/api/v1/hub/tills', hub.token, { name: 'Moving till' });
    const other = await code();
    const refused = await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
      pairingCode: other,
      name: 'Thief',
      deviceId: till.deviceId,
    });
    expect(refused.status).toBe(409);
    // The refused attempt did not use the code up.
    const moved = await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
      pairingCode: other,
      name: 'Moving till',
      deviceId: mine.body.deviceId,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ deviceId: mine.body.deviceId, prefix: mine.body.prefix });
    const pull = await ledger.call('GET', '/api/v1/sync/pull', moved.body.token);
    expect(pull.status).toBe(200);
  });

  it("takes a hub's unsold drop units back once per key, even when the same return arrives twice at once", async () => {
    const drop = liveDrop('hub-return', {
      allotments: 'manual',
      items: [{ sku: 'HAT-CAP-REF', quantity: 10, ladder: [] }],
    });
    expect((await putDrop(ledger, drop)).status).toBe(200);
    const allot = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/drops/${drop.id}/allotments`,
      ADMIN_TOKEN,
      { allotments: [{ deviceId: hub.deviceId, sku: 'HAT-CAP-REF', qty: 6 }] },
    );
    expect(allot.status).toBe(200);
    const give = (token: string, body: unknown) =>
      ledger.call('POST', `/api/v1/hub/drops/${drop.id}/allotments/return`, token, body);
    const ask = { sku: 'HAT-CAP-REF', qty: 2, key: 'same-return-1' };

    expect((await give(till.token, ask)).status).toBe(403);
    expect((await give(hub.token, { ...ask, qty: 0 })).status).toBe(400);
    expect((await give(hub.token, { ...ask, key: 'x' })).status).toBe(400);
    expect((await give(hub.token, { ...ask, sku: 'NOPE' })).status).toBe(404);
    expect(await progressOf(ledger, drop.id, 'HAT-CAP-REF')).toMatchObject({
      allotted: 6,
      pool: 4,
    });

    const both = await Promise.all([give(hub.token, ask), give(hub.token, ask)]);
    for (const r of both) expect(r.body).toEqual({ returned: 2, allotment: 4 });
    expect(await progressOf(ledger, drop.id, 'HAT-CAP-REF')).toMatchObject({
      allotted: 4,
      pool: 6,
    });
    const moves = await ledger.database.db
      .selectFrom('allotment_movements')
      .select(['delta', 'reason'])
      .where('drop_id', '=', drop.id)
      .where('reason', '=', 'return')
      .execute();
    expect(moves.map((m) => Number(m.delta))).toEqual([-2]);

    // The key once used for this item is not another item's.
    const other = liveDrop('hub-return-2', { allotments: 'manual' });
    expect((await putDrop(ledger, other)).status).toBe(200);
    const reused = await ledger.call(
      'POST',
      `/api/v1/hub/drops/${other.id}/allotments/return`,
      hub.token,
      ask,
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/already used/);
    // More than the hub holds: only what it holds goes back.
    const rest = await give(hub.token, { ...ask, qty: 9, key: 'same-return-2' });
    expect(rest.body).toEqual({ returned: 4, allotment: 0 });
    expect(await progressOf(ledger, drop.id, 'HAT-CAP-REF')).toMatchObject({
      allotted: 0,
      pool: 10,
    });
  });
});
