// Stopping the ledger with SIGTERM (a deploy, a VPS reboot) lets the pushes it already took finish, exits promptly with 0 and leaves no batch half-written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DayReport } from '../../shared/reports';
import type { PushResponse } from '../../shared/sync';
import { ADMIN_TOKEN, engines, makeSales } from './fixtures';
import {
  createPgDatabase,
  enrolTillOn,
  exitWithin,
  type LedgerProcess,
  pushInTwoHalves,
  spawnLedger,
  stopLedger,
} from './process';

const DAY = '2026-11-25';
/** A container stop (docker, Kubernetes) sends SIGKILL this long after SIGTERM. */
const STOP_GRACE_MS = 10_000;

const statusesOf = (body: PushResponse) => new Set(body.results.map((r) => r.status));

async function saleCount(ledger: LedgerProcess): Promise<number> {
  const day = await ledger.call<DayReport>(
    'GET',
    `/api/v1/reports/day?storeId=${ledger.storeId}&date=${DAY}`,
    ADMIN_TOKEN,
  );
  return day.body.combined.saleCount;
}

describe.each(engines)('ledger on %s stopped with SIGTERM', (engine) => {
  let ledger: LedgerProcess | undefined;
  let dataDir: string;
  let databaseUrl: string | undefined;
  const cleanUps: (() => Promise<void> | void)[] = [];

  async function freshLedger() {
    dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-shutdown-'));
    cleanUps.push(() => rmSync(dataDir, { recursive: true, force: true }));
    databaseUrl = undefined;
    if (engine === 'postgres') {
      const database = await createPgDatabase(process.env.DATABASE_URL!, 'shutdown');
      cleanUps.push(database.drop);
      databaseUrl = database.url;
    }
    ledger = await spawnLedger({ dataDir, databaseUrl });
    return ledger;
  }

  /** SIGTERM, and wait until the ledger has begun shutting down (it then takes no new connections). */
  async function stop(running: LedgerProcess) {
    const stopping = running.waitForOutput(/shutting down: finishing in-flight requests/);
    running.child.kill('SIGTERM');
    await stopping;
  }

  /** After a stop: how it ended; one still running past a container's grace is killed as a container runtime would. */
  async function outcomeOfStop(running: LedgerProcess) {
    const exit = await exitWithin(running, STOP_GRACE_MS);
    if (exit === 'still running') await stopLedger(running);
    return exit;
  }

  afterEach(async () => {
    await stopLedger(ledger);
    for (const clean of cleanUps.splice(0).reverse()) await clean();
  });

  it('finishes the push in flight, exits 0 and holds that batch whole after a restart', async () => {
    const first = await freshLedger();
    const till = await enrolTillOn(first, 'Front till');
    const sales = makeSales(till.deviceId, till.prefix, 1_000, { seed: 3 });
    const earlier = sales.slice(0, 500);
    const inFlight = sales.slice(500);
    const before = await first.call<PushResponse>('POST', '/api/v1/sync/push', till.token, {
      events: earlier,
    });
    expect(before.status).toBe(200);

    const push = await pushInTwoHalves(first, till.token, inFlight);
    await stop(first);
    push.sendRest();

    const res = await push.response;
    expect(res.status).toBe(200);
    expect(statusesOf(res.body)).toEqual(new Set(['accepted']));
    expect(res.body.watermark).toBe(1_000);
    expect
      .soft(await outcomeOfStop(first), `exit within ${STOP_GRACE_MS / 1000} s of SIGTERM`)
      .toEqual({ code: 0, signal: null });

    ledger = await spawnLedger({ dataDir, databaseUrl });
    const retry = await ledger.call<PushResponse>('POST', '/api/v1/sync/push', till.token, {
      events: inFlight,
    });
    expect(retry.status).toBe(200);
    expect(statusesOf(retry.body)).toEqual(new Set(['duplicate']));
    expect(await saleCount(ledger)).toBe(1_000);
  });

  it('finishes the pushes of several tills in flight at once before it exits', async () => {
    const first = await freshLedger();
    const tills = [];
    for (const name of ['Till A', 'Till B', 'Till C', 'Till D'])
      tills.push(await enrolTillOn(first, name));
    const batches = tills.map((t, i) => makeSales(t.deviceId, t.prefix, 500, { seed: 10 + i }));

    const pushes = [];
    for (const [i, t] of tills.entries())
      pushes.push(await pushInTwoHalves(first, t.token, batches[i]!));
    await stop(first);
    for (const p of pushes) p.sendRest();

    const results = await Promise.all(pushes.map((p) => p.response));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const r of results) expect(statusesOf(r.body)).toEqual(new Set(['accepted']));
    expect
      .soft(await outcomeOfStop(first), `exit within ${STOP_GRACE_MS / 1000} s of SIGTERM`)
      .toEqual({ code: 0, signal: null });

    ledger = await spawnLedger({ dataDir, databaseUrl });
    for (const [i, t] of tills.entries()) {
      const retry = await ledger.call<PushResponse>('POST', '/api/v1/sync/push', t.token, {
        events: batches[i],
      });
      expect(statusesOf(retry.body)).toEqual(new Set(['duplicate']));
    }
    expect(await saleCount(ledger)).toBe(2_000);
  });

  it('exits at once when no push is in flight', async () => {
    const first = await freshLedger();
    const till = await enrolTillOn(first, 'Front till');
    const sales = makeSales(till.deviceId, till.prefix, 100, { seed: 4 });
    expect(
      (await first.call<PushResponse>('POST', '/api/v1/sync/push', till.token, { events: sales }))
        .status,
    ).toBe(200);
    await stop(first);
    expect(await outcomeOfStop(first)).toEqual({ code: 0, signal: null });
  });
});
