// The ledger's basic loop over real HTTP: enrol a till, push its sales, pull the store back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  chunk,
  engines,
  enrolTill,
  makeSales,
  startLedger,
  type TestLedger,
} from './fixtures';

describe.each(engines)('ledger on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('says which database it runs on', async () => {
    const res = await ledger.call('GET', '/api/v1/health');
    expect(res.body).toMatchObject({ ok: true, db: engine });
  });

  it('takes a till from pairing to pushed sales and pulled stock', async () => {
    const till = await enrolTill(ledger, 'Front till');
    expect(till.prefix).toBe('T1');
    const first = await ledger.call('GET', '/api/v1/sync/pull', till.token);
    expect(first.status).toBe(200);
    expect(first.body.full).toBe(true);
    expect(first.body.products.length).toBeGreaterThan(200);
    const stockBefore = new Map<string, number>(
      first.body.stock.map((s: { sku: string; qty: number }) => [s.sku, s.qty]),
    );

    const sales = makeSales(till.deviceId, till.prefix, 30, { seed: 7 });
    for (const batch of chunk(sales, 10)) {
      const res = await ledger.call('POST', '/api/v1/sync/push', till.token, { events: batch });
      expect(res.status).toBe(200);
      expect(res.body.results.every((r: { status: string }) => r.status === 'accepted')).toBe(true);
    }
    const again = await ledger.call('POST', '/api/v1/sync/push', till.token, {
      events: sales.slice(0, 10),
    });
    expect(again.body.results.every((r: { status: string }) => r.status === 'duplicate')).toBe(
      true,
    );
    expect(again.body.watermark).toBe(30);

    const sold = new Map<string, number>();
    for (const e of sales)
      for (const l of (e.payload as { lines: { sku: string; qty: number }[] }).lines)
        sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.qty);
    const delta = await ledger.call(
      'GET',
      `/api/v1/sync/pull?cursor=${encodeURIComponent(first.body.cursor)}`,
      till.token,
    );
    expect(delta.body.full).toBe(false);
    expect(delta.body.products).toEqual([]);
    for (const s of delta.body.stock as { sku: string; qty: number }[]) {
      expect(s.qty).toBe((stockBefore.get(s.sku) ?? 0) - (sold.get(s.sku) ?? 0));
    }
    expect(new Set(delta.body.stock.map((s: { sku: string }) => s.sku))).toEqual(
      new Set(sold.keys()),
    );
    const day = await ledger.call(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=2026-11-25`,
      ADMIN_TOKEN,
    );
    expect(day.body.combined.saleCount).toBe(30);
  });
});
