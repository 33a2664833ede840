// Sending the same facts again, in any order and at the same time, changes nothing: each sale counts once and stock moves once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { PushResult } from '../../shared/sync';
import {
  ADMIN_TOKEN,
  chunk,
  engines,
  enrolTill,
  makeSales,
  openingStock,
  push,
  rng,
  startLedger,
  stockLevels,
  type TestLedger,
  unitsSold,
} from './fixtures';

/** The events in a shuffled order, cut into batches of mixed sizes (1 to 500). */
function shuffledBatches(events: readonly EventEnvelope[], seed: number): EventEnvelope[][] {
  const random = rng(seed);
  const order = [...events];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const sizes = [1, 7, 500, 42, 133, 3, 250, 64];
  const out: EventEnvelope[][] = [];
  for (let at = 0, k = 0; at < order.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(order.slice(at, at + size));
    at += size;
  }
  return out;
}

/** Rows the ledger holds: sales (of one till, or all) and their lines. */
async function countRows(ledger: TestLedger, deviceId?: string) {
  const { db } = ledger.database;
  const sales = await db
    .selectFrom('sales')
    .select((eb) => eb.fn.countAll().as('n'))
    .$if(deviceId !== undefined, (q) => q.where('device_id', '=', deviceId!))
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('sale_lines')
    .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .$if(deviceId !== undefined, (q) => q.where('sales.device_id', '=', deviceId!))
    .executeTakeFirstOrThrow();
  return { sales: Number(sales.n), lines: Number(lines.n) };
}

const linesIn = (events: readonly EventEnvelope[]) =>
  events.reduce((n, e) => n + (e.payload as { lines: unknown[] }).lines.length, 0);

function expectedStock(events: readonly EventEnvelope[]): Map<string, number> {
  const sold = unitsSold(events);
  return new Map(
    Object.entries(openingStock).map(([sku, qty]) => [sku, qty - (sold.get(sku) ?? 0)]),
  );
}

describe.each(engines)('pushing the same facts again on %s', (engine) => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await startLedger(engine);
  });
  afterEach(async () => {
    await ledger?.close();
  });

  it('keeps 1,000 sales pushed three times (shuffled, then concurrently) as 1,000 sales and the right stock', async () => {
    const till = await enrolTill(ledger, 'Front till');
    const sales = makeSales(till.deviceId, till.prefix, 1_000, { seed: 11 });
    const seen = new Map<string, PushResult['status'][]>();
    const record = (results: readonly PushResult[]) => {
      for (const r of results) seen.set(r.id, [...(seen.get(r.id) ?? []), r.status]);
    };

    for (const batch of shuffledBatches(sales, 1))
      record((await push(ledger, till.token, batch)).results);
    for (const batch of shuffledBatches(sales, 2))
      record((await push(ledger, till.token, batch)).results);
    const third = await Promise.all(
      shuffledBatches(sales, 3).map((batch) => push(ledger, till.token, batch)),
    );
    for (const res of third) record(res.results);

    expect(seen.size).toBe(1_000);
    for (const e of sales)
      expect(seen.get(e.id), e.id).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(third.map((r) => r.watermark)).toEqual(third.map(() => 1_000));
    expect(await countRows(ledger)).toEqual({ sales: 1_000, lines: linesIn(sales) });
    expect(await stockLevels(ledger)).toEqual(expectedStock(sales));
  });

  it('counts a batch resent while the first send is still in flight once', async () => {
    const till = await enrolTill(ledger);
    const sales = makeSales(till.deviceId, till.prefix, 300, { seed: 12 });
    const [a, b, c] = await Promise.all([
      push(ledger, till.token, sales),
      push(ledger, till.token, sales),
      push(ledger, till.token, sales),
    ]);
    for (let i = 0; i < sales.length; i++) {
      const statuses = [a!, b!, c!].map((r) => r.results[i]!.status).sort();
      expect(statuses).toEqual(['accepted', 'duplicate', 'duplicate']);
    }
    expect(await countRows(ledger)).toEqual({ sales: 300, lines: linesIn(sales) });
    expect(await stockLevels(ledger)).toEqual(expectedStock(sales));
  });

  it('counts a fact that appears twice in one batch once', async () => {
    const till = await enrolTill(ledger);
    const sales = makeSales(till.deviceId, till.prefix, 3, { seed: 14 });
    const res = await push(ledger, till.token, [sales[0]!, sales[1]!, sales[0]!, sales[2]!]);
    expect(res.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'duplicate',
      'accepted',
    ]);
    expect(res.watermark).toBe(3);
    expect(await countRows(ledger)).toEqual({ sales: 3, lines: linesIn(sales) });
    expect(await stockLevels(ledger)).toEqual(expectedStock(sales));
  });

  it('recognises a resent fact by its id when an earlier one is still missing, and closes the gap later', async () => {
    const till = await enrolTill(ledger);
    const sales = makeSales(till.deviceId, till.prefix, 10, { seed: 13 });
    const first = await push(ledger, till.token, sales.slice(1));
    expect(first.results.map((r) => r.status)).toEqual(Array(9).fill('accepted'));
    expect(first.watermark).toBe(0);

    const again = await push(ledger, till.token, sales.slice(1));
    expect(again.results.map((r) => r.status)).toEqual(Array(9).fill('duplicate'));
    expect(again.watermark).toBe(0);

    const gap = await push(ledger, till.token, sales.slice(0, 1));
    expect(gap.results).toEqual([{ id: sales[0]!.id, status: 'accepted' }]);
    expect(gap.watermark).toBe(10);
    expect(await countRows(ledger)).toEqual({ sales: 10, lines: linesIn(sales) });
    expect(await stockLevels(ledger)).toEqual(expectedStock(sales));
  });

  it('keeps two tills pushing at the same time apart and complete', async () => {
    const front = await enrolTill(ledger, 'Front');
    const back = await enrolTill(ledger, 'Back');
    const frontSales = makeSales(front.deviceId, front.prefix, 500, { seed: 21 });
    const backSales = makeSales(back.deviceId, back.prefix, 500, { seed: 22 });
    const sends = [
      ...chunk(frontSales, 100).map((b) => push(ledger, front.token, b)),
      ...chunk(backSales, 100).map((b) => push(ledger, back.token, b)),
      // Each till also retries its first batch while the rest are in flight.
      push(ledger, front.token, frontSales.slice(0, 100)),
      push(ledger, back.token, backSales.slice(0, 100)),
    ];
    const results = (await Promise.all(sends)).flatMap((r) => r.results);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1_000);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(200);

    expect(await countRows(ledger, front.deviceId)).toEqual({
      sales: 500,
      lines: linesIn(frontSales),
    });
    expect(await countRows(ledger, back.deviceId)).toEqual({
      sales: 500,
      lines: linesIn(backSales),
    });
    const devices = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/devices`,
      ADMIN_TOKEN,
    );
    expect(
      devices.body.devices.map((d: { name: string; watermark: number }) => [d.name, d.watermark]),
    ).toEqual([
      ['Front', 500],
      ['Back', 500],
    ]);
    expect(await stockLevels(ledger)).toEqual(expectedStock([...frontSales, ...backSales]));
  });
});
