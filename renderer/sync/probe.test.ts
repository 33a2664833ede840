// The ledger probe against a real ledger that is stopped and started again: Offline within seconds, synced again within seconds, words and colour agreeing.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../../test/ledger/fixtures';
import { getSetting, openPosDb, type PosDb } from '../db/db';
import { SyncEngine } from './engine';
import { enrolTill } from './enrol';
import { pillText } from './pill-text';
import { readDeviceToken } from './token';

vi.hoisted(() => vi.stubGlobal('window', globalThis));

let ledger: TestLedger;
let db: PosDb;
let n = 0;
const store = { locale: 'en-IE', timeZone: 'Europe/Dublin' };

beforeEach(async () => {
  ledger = await startLedger('sqlite');
  db = openPosDb(`probe-${process.pid}-${++n}`);
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  expect(
    await enrolTill(db, { url: ledger.url, pairingCode: code.body.code, name: 'Till' }),
  ).toEqual({ ok: true });
});

afterEach(async () => {
  await db.delete();
  await ledger.close();
});

/** Stop the ledger's HTTP server for real (new connections are refused), and start it again on the same port. */
async function stopLedger() {
  const port = Number(new URL(ledger.url).port);
  const server = ledger.app.server;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return () =>
    new Promise<void>((resolve) => {
      server.listen(port, '127.0.0.1', () => resolve());
    });
}

async function pill() {
  const s = await getSetting(db, 'sync');
  return pillText(
    {
      unsyncedSales: 0,
      unsyncedFacts: 0,
      rejected: 0,
      lastSuccessAt: s?.lastSuccessAt ?? null,
      problem: s?.problem ?? null,
      needsEnrolment: false,
      offlineSince: s?.offlineSince ?? null,
    },
    Date.now(),
    store,
  );
}

describe('the ledger probe', () => {
  it('says Offline within seconds of the ledger stopping, and syncs within seconds of it starting, long before the backoff or the interval', async () => {
    const engine = new SyncEngine({
      db,
      token: () => readDeviceToken(db),
      intervalMs: 10 * 60_000,
      probeMs: 300,
    });
    engine.start();
    try {
      await vi.waitFor(async () => expect((await pill()).level).toBe('ok'), { timeout: 10_000 });
      expect((await pill()).parts.at(-1)).toBe('Online');
      const syncedBefore = (await getSetting(db, 'sync'))?.lastSuccessAt;

      const start = await stopLedger();
      await vi.waitFor(
        async () => expect((await pill()).parts.at(-1)).toMatch(/^Offline since \d\d:\d\d$/),
        {
          timeout: 2_000,
        },
      );
      expect((await pill()).level).toBe('waiting');

      await start();
      await vi.waitFor(
        async () => {
          const s = await getSetting(db, 'sync');
          expect(s?.offlineSince).toBeNull();
          expect(s?.lastSuccessAt).not.toBe(syncedBefore);
        },
        { timeout: 2_000 },
      );
      expect(await pill()).toMatchObject({ level: 'ok' });
      expect((await pill()).parts.at(-1)).toBe('Online');
    } finally {
      engine.stop();
    }
  });

  it('a ledger that answers with a fault is online (the pill says why), not offline', async () => {
    const faulty: typeof fetch = async () =>
      new Response(JSON.stringify({ error: { code: 'internal', message: 'Disk full' } }), {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '30' },
      });
    const engine = new SyncEngine({
      db,
      token: () => readDeviceToken(db),
      fetchImpl: faulty,
      probeMs: 100,
    });
    engine.start();
    try {
      await vi.waitFor(async () =>
        expect((await getSetting(db, 'sync'))?.problem?.code).toBe('ledger-fault'),
      );
      await new Promise((r) => setTimeout(r, 400));
      const s = await getSetting(db, 'sync');
      expect(s?.offlineSince ?? null).toBeNull();
      expect(s?.nextAttemptAt && Date.parse(s.nextAttemptAt) - Date.now()).toBeGreaterThan(25_000);
    } finally {
      engine.stop();
    }
  });

  it('an overloaded ledger (error answers, no Retry-After) is probed less and less often, not every few seconds', async () => {
    let probes = 0;
    const overloaded: typeof fetch = async (input) => {
      if (String(input).endsWith('/api/v1/health')) probes += 1;
      return new Response(JSON.stringify({ error: { code: 'internal', message: 'Overloaded' } }), {
        status: 502,
        headers: { 'content-type': 'application/json' },
      });
    };
    const engine = new SyncEngine({
      db,
      token: () => readDeviceToken(db),
      fetchImpl: overloaded,
      probeMs: 50,
      random: () => 0,
    });
    engine.start();
    try {
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      engine.stop();
    }
    // Every 50 ms would be ~40 probes; backing off from 1 s (then 2 s…) allows at most 3.
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(3);
  });
});
