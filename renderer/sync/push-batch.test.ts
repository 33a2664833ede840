// A till's backlog against the real ledger over HTTP: pushes of up to 2,000 facts, gzip on the wire, only to a ledger that says it takes them, and back to 500 uncompressed when refused.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import {
  LEDGER_MAX_PUSH_BYTES,
  LEDGER_MAX_PUSH_EVENTS,
  LEDGER_PUSH_LIMITS,
  MAX_PUSH_BYTES,
  MAX_PUSH_EVENTS,
} from '../../shared/sync';
import { ADMIN_TOKEN, makeSales, startLedger, type TestLedger } from '../../test/ledger/fixtures';
import { type PushRecorder, type SeenPush, startPushRecorder } from '../../test/sync/push-recorder';
import { getSetting, type OutboxRow, openPosDb, type PosDb } from '../db/db';
import { SyncEngine } from './engine';
import { enrolTill } from './enrol';
import { EVERY_LEDGER, FIRST_PUSH_EVENTS, GZIP_MIN_BYTES, takeBatch } from './push-batch';
import { readDeviceToken } from './token';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
vi.hoisted(() => vi.stubGlobal('window', globalThis));

let ledger: TestLedger;
let edge: PushRecorder | undefined;
let db: PosDb;
let dbCount = 0;

beforeEach(async () => {
  ledger = await startLedger('sqlite', { rateLimitPerMinute: 100_000 });
  db = openPosDb(`push-batch-${process.pid}-${++dbCount}`);
});

afterEach(async () => {
  await edge?.close();
  edge = undefined;
  await db.delete();
  await ledger.close();
});

const engine = () => new SyncEngine({ db, token: () => readDeviceToken(db) });

/** A till enrolled through `edge` (every call goes through it), with its first snapshot. */
async function tillBehind(recorder: PushRecorder) {
  edge = recorder;
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  expect(
    await enrolTill(db, { url: recorder.url, pairingCode: code.body.code, name: 'Till' }),
  ).toEqual({ ok: true });
  const device = await getSetting(db, 'device');
  if (!device) throw new Error('not enrolled');
  return device;
}

/** A day's sales made offline, waiting in the outbox as the till records them (seq 1…). */
async function backlog(deviceId: string, prefix: string, count: number, startSeq = 1) {
  const sales = makeSales(deviceId, prefix, count, { seed: 7 + startSeq, startSeq });
  await db.outbox.bulkAdd(sales.map(rowOf));
  return sales;
}

const rowOf = (e: EventEnvelope): OutboxRow => ({
  seq: e.seq,
  eventId: e.id,
  type: e.type as OutboxRow['type'],
  createdAt: e.createdAt,
  payload: e.payload,
});

/** Each sale is in the ledger once, the till's watermark covers them all and nothing is left or refused. */
async function expectAllOnce(deviceId: string, sales: readonly EventEnvelope[]) {
  const stored = await ledger.database.db
    .selectFrom('sales')
    .select('id')
    .where('device_id', '=', deviceId)
    .execute();
  expect(stored).toHaveLength(sales.length);
  expect(new Set(stored.map((s) => s.id))).toEqual(new Set(sales.map((s) => s.id)));
  const device = await ledger.database.db
    .selectFrom('devices')
    .select('watermark')
    .where('id', '=', deviceId)
    .executeTakeFirstOrThrow();
  expect(Number(device.watermark)).toBe(Math.max(...sales.map((s) => s.seq)));
  expect(await db.outbox.count()).toBe(0);
  expect(await db.rejected.count()).toBe(0);
}

const withinEveryLedger = (p: SeenPush) =>
  p.encoding === 'identity' && p.events <= MAX_PUSH_EVENTS && p.jsonBytes <= MAX_PUSH_BYTES;

describe('a backlog, to a ledger that says it takes 2,000 facts and gzip', () => {
  it('goes in gzip pushes of up to 2,000 once the ledger has said so, each sale accepted once', async () => {
    const recorder = await startPushRecorder({ target: ledger.url });
    const device = await tillBehind(recorder);
    const sales = await backlog(device.deviceId, device.prefix, 4_500);

    expect(await engine().syncOnce()).toBe('synced');

    await expectAllOnce(device.deviceId, sales);
    const pushes = recorder.pushes;
    // The first answer is where the till learns what this ledger takes: until then, a small plain push.
    expect(pushes[0]).toMatchObject({ events: FIRST_PUSH_EVENTS, encoding: 'identity' });
    expect(pushes.map((p) => [p.events, p.encoding, p.status])).toEqual([
      [100, 'identity', 200],
      [2_000, 'gzip', 200],
      [2_000, 'gzip', 200],
      [400, 'gzip', 200],
    ]);
    for (const p of pushes.slice(1)) {
      expect(p.jsonBytes).toBeLessThanOrEqual(LEDGER_MAX_PUSH_BYTES);
      // Sales are repetitive JSON: a fifth or less of it crosses the Wi-Fi.
      expect(p.wireBytes).toBeLessThan(p.jsonBytes / 5);
    }
  });

  it('sends a lone sale uncompressed, and a few sales gzipped, once it knows the ledger takes gzip', async () => {
    const recorder = await startPushRecorder({ target: ledger.url });
    const device = await tillBehind(recorder);
    const sync = engine();
    await backlog(device.deviceId, device.prefix, 1);
    expect(await sync.syncOnce()).toBe('synced');
    const [lone] = makeSales(device.deviceId, device.prefix, 1, { startSeq: 2, linesPerSale: 1 });
    await db.outbox.add(rowOf(lone!));
    expect(await sync.syncOnce()).toBe('synced');
    await backlog(device.deviceId, device.prefix, 5, 3);
    expect(await sync.syncOnce()).toBe('synced');

    expect(recorder.pushes.map((p) => [p.events, p.encoding])).toEqual([
      [1, 'identity'],
      [1, 'identity'],
      [5, 'gzip'],
    ]);
    expect(recorder.pushes[1]!.jsonBytes).toBeLessThan(GZIP_MIN_BYTES);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('a backlog, to a ledger that does not say what it takes (older than pushLimits)', () => {
  it('goes in uncompressed pushes of at most 500 facts and 1 MiB, each sale accepted once', async () => {
    const recorder = await startPushRecorder({ target: ledger.url, advertise: false });
    const device = await tillBehind(recorder);
    const sales = await backlog(device.deviceId, device.prefix, 1_200);

    expect(await engine().syncOnce()).toBe('synced');

    await expectAllOnce(device.deviceId, sales);
    expect(recorder.pushes.map((p) => [p.events, p.encoding])).toEqual([
      [100, 'identity'],
      [500, 'identity'],
      [500, 'identity'],
      [100, 'identity'],
    ]);
    expect(recorder.pushes.every(withinEveryLedger)).toBe(true);
  });
});

describe('a ledger (or a proxy before it) that refuses a push it said it takes', () => {
  const refusals: [string, number][] = [
    ['413, body too large', 413],
    ['415, encoding not supported', 415],
    ['400, a gzip body read as bad JSON', 400],
  ];

  it.each(refusals)(
    '%s: the same facts go again at once as every ledger takes them, nothing lost or held up',
    async (_name, status) => {
      const recorder = await startPushRecorder({
        target: ledger.url,
        refuse: (p) => (p.encoding !== 'identity' || p.events > MAX_PUSH_EVENTS ? status : null),
      });
      const device = await tillBehind(recorder);
      const sales = await backlog(device.deviceId, device.prefix, 2_600);
      const sync = engine();

      expect(await sync.syncOnce()).toBe('synced');

      await expectAllOnce(device.deviceId, sales);
      const pushes = recorder.pushes.map((p) => [p.events, p.encoding, p.status]);
      expect(pushes).toEqual([
        [100, 'identity', 200],
        [2_000, 'gzip', status],
        [500, 'identity', 200],
        [500, 'identity', 200],
        [500, 'identity', 200],
        [500, 'identity', 200],
        [500, 'identity', 200],
      ]);
      expect((await getSetting(db, 'sync'))?.problem ?? null).toBeNull();

      // And it stays there: the next backlog is not offered to the ledger big again.
      const more = await backlog(device.deviceId, device.prefix, 700, 2_601);
      expect(await sync.syncOnce()).toBe('synced');
      await expectAllOnce(device.deviceId, [...sales, ...more]);
      expect(recorder.pushes.slice(pushes.length).every(withinEveryLedger)).toBe(true);
    },
  );
});

describe('the first rows that fit one push', () => {
  /** Sales of 12 lines with long UTF-8 names: ~5 KB of JSON each. */
  const heavy = (count: number): OutboxRow[] =>
    makeSales('01J0000000000000000000DEVC', 'T1', count, { linesPerSale: 12 }).map((e) => {
      const sale = e.payload as { lines: { name: string }[] };
      for (const line of sale.lines)
        line.name = `限定ドロップ・オーガニックコットン手ぬぐい・${line.name}`;
      return rowOf(e);
    });
  const bodyBytes = (rows: readonly OutboxRow[]) =>
    Buffer.byteLength(
      JSON.stringify({
        events: rows.map((r) => ({
          id: r.eventId,
          seq: r.seq,
          type: r.type,
          createdAt: r.createdAt,
          payload: r.payload,
        })),
      }),
    );

  it('stay under the byte limit of what the ledger takes (counted in UTF-8), whatever the count allows', () => {
    const rows = heavy(LEDGER_MAX_PUSH_EVENTS);
    const big = takeBatch(rows, LEDGER_MAX_PUSH_EVENTS, LEDGER_PUSH_LIMITS);
    expect(big.rows.length).toBeGreaterThan(MAX_PUSH_EVENTS);
    expect(big.rows.length).toBeLessThan(LEDGER_MAX_PUSH_EVENTS);
    expect(bodyBytes(big.rows)).toBeLessThanOrEqual(LEDGER_MAX_PUSH_BYTES);
    expect(bodyBytes(rows.slice(0, big.rows.length + 1)) / LEDGER_MAX_PUSH_BYTES).toBeGreaterThan(
      0.9,
    );
    expect(big).toMatchObject({ gzip: true, beyondEveryLedger: true });
    expect(Math.abs(big.bytes - bodyBytes(big.rows))).toBeLessThan(100);

    const small = takeBatch(rows, LEDGER_MAX_PUSH_EVENTS, EVERY_LEDGER);
    expect(bodyBytes(small.rows)).toBeLessThanOrEqual(MAX_PUSH_BYTES);
    expect(small.rows.length).toBeLessThan(MAX_PUSH_EVENTS);
    expect(small).toMatchObject({ gzip: false, beyondEveryLedger: false });
  });
});
