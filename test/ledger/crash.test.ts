// A ledger killed with SIGKILL in the middle of a till's upload loses no acknowledged sale and counts none twice once the till resends everything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import type { EventEnvelope } from '../../shared/events';
import type { DayReport } from '../../shared/reports';
import type { Sale } from '../../shared/sale';
import type { PushResponse } from '../../shared/sync';
import { ADMIN_TOKEN, chunk, engines, makeSales } from './fixtures';
import {
  connectionErrorCode,
  createPgDatabase,
  enrolTillOn,
  type LedgerProcess,
  spawnLedger,
  stopLedger,
} from './process';

const SALES = 5_000;
const BATCH = 500;
const PUSHERS = 3;
const DAY = '2026-11-25';

/** One push: the ledger's answer, or the connection error that cut it off. */
type Outcome = { batch: number; status?: number; body?: PushResponse; error?: string };

/**
 * Push batches from several pushers at once, as a till's sync loop with parallel uploads
 * would; a push that fails on the connection is recorded, not retried (the caller decides).
 */
async function pushConcurrently(
  ledger: LedgerProcess,
  token: string,
  batches: EventEnvelope[][],
  onOutcome: (outcomes: Outcome[], inFlight: number) => void = () => {},
): Promise<Outcome[]> {
  const queue = batches.map((_, i) => i);
  const outcomes: Outcome[] = [];
  let inFlight = 0;
  const pusher = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      inFlight += 1;
      try {
        const res = await ledger.call<PushResponse>('POST', '/api/v1/sync/push', token, {
          events: batches[i],
        });
        outcomes.push({ batch: i, ...res });
      } catch (error) {
        const code = connectionErrorCode(error);
        if (code === null) throw error;
        outcomes.push({ batch: i, error: code });
      }
      inFlight -= 1;
      onOutcome(outcomes, inFlight);
    }
  };
  await Promise.all(Array.from({ length: PUSHERS }, pusher));
  return outcomes.sort((a, b) => a.batch - b.batch);
}

/** What the day report and the stock levels must say, summed here from the events themselves. */
function expectedFrom(events: EventEnvelope[]) {
  const sold = new Map<string, number>();
  const totals = { saleCount: 0, itemCount: 0, takings: 0, tax: 0, cash: 0, card: 0 };
  for (const e of events) {
    const sale = e.payload as Sale;
    totals.saleCount += 1;
    totals.takings += sale.total + sale.rounding;
    totals.tax += sale.tax;
    for (const l of sale.lines) {
      totals.itemCount += l.qty;
      sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.qty);
    }
    for (const t of sale.tenders) {
      if (t.kind === 'card') totals.card += t.amount;
      // Cash kept in the drawer: what was handed over less the change given back.
      if (t.kind === 'cash') totals.cash += t.amount;
    }
    totals.cash -= sale.change;
  }
  const opening = demo.stock as Record<string, number>;
  const stock = new Map<string, number>();
  for (const sku of new Set([...Object.keys(opening), ...sold.keys()]))
    stock.set(sku, (opening[sku] ?? 0) - (sold.get(sku) ?? 0));
  return { totals, stock };
}

describe.each(engines)('ledger on %s killed mid-push', (engine) => {
  let ledger: LedgerProcess | undefined;
  const cleanUps: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await stopLedger(ledger);
    for (const clean of cleanUps.splice(0).reverse()) await clean();
  });

  it('keeps exactly the 5,000 sales, their stock and their takings after kill -9 and a full resend', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-crash-'));
    cleanUps.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (engine === 'postgres') {
      const database = await createPgDatabase(process.env.DATABASE_URL!, 'crash');
      cleanUps.push(database.drop);
      databaseUrl = database.url;
    }

    ledger = await spawnLedger({ dataDir, databaseUrl });
    const till = await enrolTillOn(ledger, 'Front till');
    const sales = makeSales(till.deviceId, till.prefix, SALES, { seed: 5_000 });
    const batches = chunk(sales, BATCH);
    const expected = expectedFrom(sales);

    // Kill the ledger as soon as two batches are acknowledged, while the other pushers wait on theirs.
    const doomed = ledger;
    let inFlightAtKill = 0;
    const first = await pushConcurrently(doomed, till.token, batches, (outcomes, inFlight) => {
      const acknowledged = outcomes.filter((o) => o.status === 200).length;
      if (acknowledged === 2 && !doomed.child.killed) {
        inFlightAtKill = inFlight;
        doomed.child.kill('SIGKILL');
      }
    });
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const acknowledged = first.filter((o) => o.status === 200).map((o) => o.batch);
    const failed = first.filter((o) => o.status !== 200);
    expect(acknowledged).toHaveLength(2);
    expect(inFlightAtKill).toBeGreaterThan(0);
    // Pushes that were already at the ledger lost their connection (not just refused after it died).
    const cutOff = failed.filter((o) => o.error !== undefined && o.error !== 'ECONNREFUSED');
    expect(cutOff.length, JSON.stringify(failed)).toBeGreaterThan(0);
    expect(failed.every((o) => o.error !== undefined)).toBe(true);

    ledger = await spawnLedger({ dataDir, databaseUrl });
    // Each batch is one transaction: the crash kept whole batches, at least the acknowledged ones.
    const survived = await ledger.call<DayReport>(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=${DAY}`,
      ADMIN_TOKEN,
    );
    const kept = survived.body.combined.saleCount;
    expect(kept % BATCH).toBe(0);
    expect(kept).toBeGreaterThanOrEqual(acknowledged.length * BATCH);
    expect(kept).toBeLessThan(SALES);

    // The till cannot know which of its failed pushes went in: it sends all 5,000 again.
    const retry = await pushConcurrently(ledger, till.token, batches);
    expect(retry.map((o) => o.status)).toEqual(batches.map(() => 200));
    const statuses = retry.flatMap((o) =>
      o.status === 200 ? (o.body?.results.map((r) => r.status) ?? []) : [],
    );
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(SALES - kept);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(kept);
    for (const b of acknowledged) {
      const again = retry.find((o) => o.batch === b)!;
      expect(new Set(again.body?.results.map((r) => r.status))).toEqual(new Set(['duplicate']));
    }
    expect(Math.max(...retry.map((o) => o.body?.watermark ?? 0))).toBe(SALES);

    const day = await ledger.call<DayReport>(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=${DAY}`,
      ADMIN_TOKEN,
    );
    expect(day.status).toBe(200);
    expect(day.body.combined).toMatchObject(expected.totals);
    expect(day.body.combined.takings).toBe(day.body.combined.cash + day.body.combined.card);
    expect(day.body.tills).toHaveLength(1);
    expect(day.body.tills[0]?.totals).toMatchObject(expected.totals);

    const stock = await ledger.call<{ levels: { sku: string; qty: number }[] }>(
      'GET',
      `/api/v1/stores/${ledger.storeId}/stock`,
      ADMIN_TOKEN,
    );
    expect(stock.status).toBe(200);
    const levels = new Map<string, number>(stock.body.levels.map((l) => [l.sku, l.qty]));
    expect(levels).toEqual(expected.stock);
  }, 90_000);
});
