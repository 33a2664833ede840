// Running the ledger: a big catalog in one call, refusals that change nothing, stock corrections, the API description and metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../shared/catalog';
import {
  ADMIN_TOKEN,
  demo,
  engines,
  enrolTill,
  makeSales,
  openingStock,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
} from './fixtures';

const BULK = 50_000;

function bulkProducts(count: number, price = (i: number) => 500 + (i % 97) * 25): Product[] {
  return Array.from({ length: count }, (_, i) => ({
    sku: `BULK-${String(i).padStart(6, '0')}`,
    name: `Bulk item ${i}`,
    price: price(i),
    taxClassId: i % 3 === 0 ? 'reduced' : 'standard',
    category: `Bulk ${i % 20}`,
    barcodes: [String(4_000_000_000_000 + i)],
    active: true,
  }));
}

/** `name{labels} value` lines of a Prometheus text page, for one metric. */
function metric(page: string, name: string, labels: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe.each(engines)('admin on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  const pull = async (cursor?: string) => {
    const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    return (await ledger.call('GET', `/api/v1/sync/pull${q}`, till.token)).body;
  };
  const productCount = async () =>
    Number(
      (
        await ledger.database.db
          .selectFrom('products')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('takes 50,000 products in one call, and a second call updates rather than duplicates them', async () => {
    const { cursor } = await pull();
    const started = Date.now();
    const first = await ledger.call('PUT', '/api/v1/products', ADMIN_TOKEN, {
      products: bulkProducts(BULK),
    });
    expect(first).toEqual({ status: 200, body: { upserted: BULK } });
    expect(await productCount()).toBe(demo.products.length + BULK);

    const repriced = bulkProducts(BULK, () => 999);
    const second = await ledger.call('PUT', '/api/v1/products', ADMIN_TOKEN, {
      products: repriced,
    });
    expect(second).toEqual({ status: 200, body: { upserted: BULK } });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await productCount()).toBe(demo.products.length + BULK);

    const delta = await pull(cursor);
    expect(delta.full).toBe(false);
    expect(delta.products).toHaveLength(BULK);
    expect(delta.products.every((p: Product) => p.price === 999)).toBe(true);
    expect(delta.products[BULK - 1]).toEqual(repriced[BULK - 1]);
  });

  it('refuses a catalog with an unknown tax class with 400, and changes nothing of it', async () => {
    const { cursor } = await pull();
    const known = { ...demo.products[0]!, price: 1 };
    const fresh = { ...bulkProducts(1)[0]!, sku: 'NEW-LUXURY-1', taxClassId: 'luxury' };
    const res = await ledger.call('PUT', '/api/v1/products', ADMIN_TOKEN, {
      products: [known, fresh],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('luxury'),
    });
    const delta = await pull(cursor);
    expect(delta.products).toEqual([]);
    const stored = await ledger.database.db
      .selectFrom('products')
      .select(['sku', 'price'])
      .where('sku', 'in', [known.sku, fresh.sku])
      .execute();
    expect(stored.map((p) => [p.sku, Number(p.price)])).toEqual([
      [known.sku, demo.products[0]!.price],
    ]);
  });

  it('refuses received quantities that are not positive, and corrects stock by a signed adjustment', async () => {
    const sku = 'TEE-LOGO-WHT-S';
    const url = `/api/v1/stores/${ledger.storeId}/stock`;
    const refused = await ledger.call('POST', `${url}/receive`, ADMIN_TOKEN, {
      lines: [
        { sku, qty: 4 },
        { sku: 'TEE-LOGO-WHT-M', qty: 0 },
      ],
    });
    expect(refused.status).toBe(400);
    expect((await stockLevels(ledger)).get(sku)).toBe(openingStock[sku]);

    const adjusted = await ledger.call('POST', `${url}/adjust`, ADMIN_TOKEN, {
      lines: [{ sku, qty: -2 }],
      note: 'Two shop-soiled, written off',
    });
    expect(adjusted).toEqual({
      status: 200,
      body: { levels: [{ sku, qty: openingStock[sku]! - 2 }] },
    });
    const one = await ledger.call('GET', `${url}?sku=${sku}`, ADMIN_TOKEN);
    expect(one.body.levels).toEqual([{ sku, qty: openingStock[sku]! - 2 }]);
  });

  it('describes its API as OpenAPI 3.1, push included', async () => {
    const res = await ledger.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const pushOp = res.body.paths['/api/v1/sync/push']?.post;
    expect(pushOp).toBeDefined();
    expect(pushOp.security).toEqual([{ bearer: [] }]);
    expect(pushOp.requestBody.content['application/json'].schema.properties.events).toMatchObject({
      type: 'array',
      maxItems: 2_000,
    });
    expect(res.body.paths['/api/v1/stores/{storeId}/exceptions']?.get).toBeDefined();
    expect(res.body.paths['/api/v1/health'].get.security).toBeUndefined();
  });

  it('counts pushed events by outcome in /metrics', async () => {
    const page = async () => {
      const res = await fetch(`${ledger.url}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const before = await page();
    const sales = makeSales(till.deviceId, till.prefix, 6, { seed: 77 });
    const bad = { ...sales[5]!, type: 'sale.unknown' };
    await push(ledger, till.token, [...sales.slice(0, 5), bad]);
    await push(ledger, till.token, sales.slice(0, 2));
    const after = await page();

    const rise = (labels: string, name = 'ledger_events_total') =>
      metric(after, name, labels) - metric(before, name, labels);
    expect(rise('status="accepted"')).toBe(5);
    expect(rise('status="duplicate"')).toBe(2);
    expect(rise('status="rejected"')).toBe(1);
    expect(
      rise('method="POST",route="/api/v1/sync/push",status="200"', 'ledger_http_requests_total'),
    ).toBe(2);
    expect(after).toMatch(/^ledger_push_batches_total \d+$/m);
  });
});
