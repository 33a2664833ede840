// Every failure answers in one shape with the right status: schema errors name their fields, big or flooding pushes are stopped.

import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSales,
  push,
  startLedger,
  type TestLedger,
} from './fixtures';

const errorShape = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});

/** A small envelope the schema accepts (its payload is checked later, per event). */
const envelope = (seq: number, payload: unknown = null) => ({
  id: ulid(),
  seq,
  type: 'stock.counted',
  createdAt: '2026-11-25T10:00:00.000Z',
  payload,
});

describe.each(engines)('errors on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('judges a malformed envelope alone: it is rejected naming its field, the good fact in its batch goes in', async () => {
    const [good] = makeSales(till.deviceId, till.prefix, 1, { seed: 5 });
    const res = await ledger.call('POST', '/api/v1/sync/push', till.token, {
      events: [good, { ...envelope(2), seq: 0 }, { ...envelope(3), id: 'not-a-ulid' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({ id: good!.id, status: 'accepted' });
    expect(res.body.results[1]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^invalid envelope at seq/),
    });
    expect(res.body.results[2]).toMatchObject({
      id: 'not-a-ulid',
      status: 'rejected',
      reason: expect.stringMatching(/^invalid envelope at id/),
    });
    // The broken one with a usable sequence number (3) counts as processed, the one without (0) cannot.
    expect(res.body.watermark).toBe(1);

    const stored = await ledger.database.db
      .selectFrom('events')
      .select('id')
      .where('id', '=', good!.id)
      .execute();
    expect(stored).toEqual([{ id: good!.id }]);
  });

  it('names query and path fields too', async () => {
    const report = await ledger.call(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=25-11-2026`,
      ADMIN_TOKEN,
    );
    expect(report.status).toBe(400);
    expect(report.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.date']);

    const exceptions = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/exceptions?status=pending`,
      ADMIN_TOKEN,
    );
    expect(exceptions.status).toBe(400);
    expect(exceptions.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'query.status',
    ]);
  });

  it('answers 400 in the same shape for a body that is not JSON', async () => {
    const res = await fetch(`${ledger.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${till.token}`, 'content-type': 'application/json' },
      body: '{"events": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(errorShape('bad-request'));
  });

  it('answers 404 in the error shape for a route that does not exist', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing-here'],
      ['POST', '/api/v2/sync/push'],
      ['DELETE', '/api/v1/products'],
    ] as const) {
      const res = await ledger.call(method, url, ADMIN_TOKEN);
      expect(res, `${method} ${url}`).toEqual({ status: 404, body: errorShape('not-found') });
    }
  });

  it('answers 413 for a push over 4 MiB, and takes nothing from it', async () => {
    const filler = 'x'.repeat(16_000);
    const events = Array.from({ length: 300 }, (_, i) => envelope(100 + i, { note: filler }));
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    const res = await ledger.call('POST', '/api/v1/sync/push', till.token, { events });
    expect(res).toEqual({ status: 413, body: errorShape('payload-too-large') });
    const stored = await ledger.database.db
      .selectFrom('events')
      .select('id')
      .where('id', '=', events[0]!.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it('answers 400 for more than 2,000 events in one push, naming the events list', async () => {
    const events = Array.from({ length: 2_001 }, (_, i) => envelope(1_000 + i));
    const res = await ledger.call('POST', '/api/v1/sync/push', till.token, { events });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape('bad-request'));
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.events']);

    const fine = await ledger.call('POST', '/api/v1/sync/push', till.token, {
      events: events.slice(0, 2_000),
    });
    expect(fine.status).toBe(200);
  });
});

// Its own ledger with a low limit, started after the one above has closed.
describe.each(engines)('a flooding till on %s', (engine) => {
  let limited: TestLedger;
  beforeAll(async () => {
    limited = await startLedger(engine, { rateLimitPerMinute: 5 });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 to a till that floods, without slowing another till', async () => {
    const flooding = await enrolTill(limited, 'Flooding');
    const calm = await enrolTill(limited, 'Calm');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await limited.call('GET', '/api/v1/sync/pull', flooding.token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await limited.call('GET', '/api/v1/sync/pull', flooding.token);
    expect(refused.body).toEqual(errorShape('rate-limited'));
    expect(refused.body.error.message).toMatch(/retry in \d+ s/);

    const [sale] = makeSales(calm.deviceId, calm.prefix, 1, { seed: 9 });
    expect((await push(limited, calm.token, [sale!])).results[0]!.status).toBe('accepted');
  });
});
