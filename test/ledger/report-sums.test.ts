// The day report's sums equal the sums of the sales pushed, whatever batches they came in, and sales at the money bound cannot overflow it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '../../shared/bounds';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  chunk,
  engines,
  enrolTill,
  makeSale,
  products,
  push,
  startLedger,
  type TestLedger,
} from './fixtures';

/** What the report should say, added up in plain code from the sales themselves. */
function expectedTotals(events: readonly EventEnvelope[]) {
  const t = { saleCount: 0, subtotal: 0, discounts: 0, tax: 0, takings: 0, cash: 0, card: 0 };
  for (const e of events) {
    const s = e.payload as Sale;
    const given = (kind: 'cash' | 'card') =>
      s.tenders.reduce((n, x) => (x.kind === kind ? n + x.amount : n), 0);
    t.saleCount += 1;
    t.subtotal += s.subtotal;
    t.discounts += s.discountTotal;
    t.tax += s.tax;
    t.takings += s.total + s.rounding;
    t.cash += given('cash') - s.change;
    t.card += given('card');
  }
  return t;
}

async function dayTotals(ledger: TestLedger, date: string) {
  const res = await ledger.call(
    'GET',
    `/api/v1/reports/day?storeId=${ledger.storeId}&date=${date}`,
    ADMIN_TOKEN,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.combined as Record<string, number>;
}

const lineArb = fc.record({
  product: fc.nat({ max: products.length - 1 }),
  qty: fc.integer({ min: 1, max: 5 }),
  percent: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
});
const saleArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
  tender: fc.constantFrom('cash' as const, 'card' as const, 'split' as const),
});

describe.each(engines)('report sums on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('adds up random sales pushed in random batches exactly as plain code does', async () => {
    let day = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(saleArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 15 }),
        async (specs, batchSize) => {
          // Each run sells on its own day, so the report of that day holds only this run's sales.
          day += 1;
          const date = `2026-03-${String(day).padStart(2, '0')}`;
          const till = await enrolTill(ledger, `Run ${day}`);
          const events = specs.map((spec, i) =>
            makeSale(
              till.deviceId,
              till.prefix,
              i + 1,
              spec.lines.map((l) => ({
                sku: products[l.product]!.sku,
                qty: l.qty,
                ...(l.percent ? { discount: { kind: 'percent' as const, bp: l.percent } } : {}),
              })),
              {
                at: new Date(`${date}T12:00:${String(i % 60).padStart(2, '0')}Z`),
                tender: spec.tender,
              },
            ),
          );
          for (const batch of chunk(events, batchSize)) {
            const res = await push(ledger, till.token, batch);
            expect(res.results.every((r) => r.status === 'accepted')).toBe(true);
          }
          expect(await dayTotals(ledger, date)).toMatchObject(expectedTotals(events));
        },
      ),
      { numRuns: engine === 'postgres' ? 4 : 8 },
    );
  });

  it('sums 1,500 sales at the largest amount a fact may hold exactly, and refuses one beyond it alone', async () => {
    const till = await enrolTill(ledger, 'Big spender');
    const at = (i: number) => new Date(Date.UTC(2026, 3, 1, 9, 0, i % 60, Math.floor(i / 60)));
    const sales = Array.from({ length: 1_500 }, (_, i) =>
      makeSale(
        till.deviceId,
        till.prefix,
        i + 1,
        [{ sku: 'TEE-LOGO-BLK-M', qty: 1, unitPrice: MAX_AMOUNT }],
        { at: at(i), tender: 'card' },
      ),
    );
    for (const batch of chunk(sales, 500)) {
      const res = await push(ledger, till.token, batch);
      expect(res.results.filter((r) => r.status !== 'accepted')).toEqual([]);
    }
    // 2^53 − 1 on one line: what made the day report fail for good before the bounds.
    const normal = makeSale(
      till.deviceId,
      till.prefix,
      1_501,
      [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }],
      {
        at: at(1_500),
        tender: 'card',
      },
    );
    const big = Number.MAX_SAFE_INTEGER;
    const p = structuredClone(normal.payload) as Sale;
    Object.assign(p.lines[0]!, { unitPrice: big, gross: big, net: big, total: big, tax: 0 });
    Object.assign(p, { subtotal: big, total: big, tax: 0, taxBands: [] });
    p.tenders = [{ kind: 'card', amount: big, reference: 'AUTH-BIG' }];
    const huge = { ...normal, payload: p };
    const res = await push(ledger, till.token, [huge]);
    expect(res.results[0]).toMatchObject({ status: 'rejected' });
    expect(res.results[0]!.reason).toMatch(/10\^11/);
    expect(res.watermark).toBe(1_501);

    const totals = await dayTotals(ledger, '2026-04-01');
    expect(totals).toMatchObject(expectedTotals(sales));
    expect(totals.takings).toBe(1_500 * MAX_AMOUNT);
  }, 60_000);
});
