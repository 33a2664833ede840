// What a till pulls: a full snapshot of its own store first, then only what changed since its cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../shared/sync';
import {
  ADMIN_TOKEN,
  demo,
  engines,
  enrolTill,
  openingStock,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';

const DAY = 24 * 3600 * 1000;

describe.each(engines)('pull on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let clock = Date.now();
  const otherStore = `elsewhere-${engine}`;

  const pull = async (cursor?: string): Promise<PullResponse> => {
    const q = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    const res = await ledger.call('GET', `/api/v1/sync/pull${q}`, till.token);
    expect(res.status).toBe(200);
    return res.body;
  };
  const admin = async (method: string, url: string, body?: unknown) => {
    const res = await ledger.call(method, url, ADMIN_TOKEN, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const nothingElse = { store: null, taxClasses: [], full: false };

  beforeAll(async () => {
    ledger = await startLedger(engine, { now: () => new Date(clock) });
    till = await enrolTill(ledger);
    await admin('PUT', `/api/v1/stores/${otherStore}`, storeSettings(otherStore));
    await admin('PUT', `/api/v1/stores/${otherStore}/staff/staff-elsewhere`, {
      name: 'Elsewhere',
      role: 'cashier',
      pin: '1357',
    });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it("starts with a full snapshot: active products only, and its own store's staff and stock", async () => {
    const first = await pull();
    expect(first.full).toBe(true);
    expect(first.store?.storeId).toBe(ledger.storeId);
    expect(first.taxClasses.map((t) => t.id).sort()).toEqual(['reduced', 'standard']);
    const active = demo.products.filter((p) => p.active).map((p) => p.sku);
    expect(first.products.map((p) => p.sku).sort()).toEqual([...active].sort());
    expect(first.products.every((p) => p.active)).toBe(true);
    expect(first.staff.map((s) => s.id).sort()).toEqual(demo.staff.map((s) => s.id).sort());
    expect(new Map(first.stock.map((s) => [s.sku, s.qty]))).toEqual(
      new Map(Object.entries(openingStock)),
    );
    expect(first.watermark).toBe(0);
  });

  it('gives nothing after a cursor when nothing changed', async () => {
    const { cursor } = await pull();
    expect(await pull(cursor)).toMatchObject({
      ...nothingElse,
      products: [],
      staff: [],
      stock: [],
    });
  });

  it('gives just the product whose price changed', async () => {
    const { cursor } = await pull();
    const product = { ...demo.products[0]!, price: demo.products[0]!.price + 500 };
    await admin('PUT', '/api/v1/products', { products: [product] });
    const delta = await pull(cursor);
    expect(delta).toMatchObject({ ...nothingElse, staff: [], stock: [] });
    expect(delta.products).toEqual([product]);
  });

  it('gives a product taken off sale, marked inactive, and leaves it out of a new snapshot', async () => {
    const { cursor } = await pull();
    const product = { ...demo.products[1]!, active: false };
    await admin('PUT', '/api/v1/products', { products: [product] });
    expect((await pull(cursor)).products).toEqual([product]);
    expect((await pull()).products.map((p) => p.sku)).not.toContain(product.sku);
  });

  it('gives just the received SKUs with their new levels, not stock of another store', async () => {
    const { cursor, stock } = await pull();
    const before = new Map(stock.map((s) => [s.sku, s.qty]));
    await admin('POST', `/api/v1/stores/${ledger.storeId}/stock/receive`, {
      lines: [
        { sku: 'TEE-LOGO-BLK-M', qty: 12 },
        { sku: 'TEE-LOGO-BLK-L', qty: 3 },
      ],
      ref: 'PO-1042',
    });
    await admin('POST', `/api/v1/stores/${otherStore}/stock/receive`, {
      lines: [{ sku: 'TEE-LOGO-BLK-S', qty: 40 }],
    });
    const delta = await pull(cursor);
    expect(delta).toMatchObject({ ...nothingElse, products: [], staff: [] });
    expect([...delta.stock].sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      { sku: 'TEE-LOGO-BLK-L', qty: before.get('TEE-LOGO-BLK-L')! + 3 },
      { sku: 'TEE-LOGO-BLK-M', qty: before.get('TEE-LOGO-BLK-M')! + 12 },
    ]);
  });

  it('gives a deactivated staff member, marked inactive, and leaves them out of a new snapshot', async () => {
    const { cursor } = await pull();
    await admin('PUT', `/api/v1/stores/${ledger.storeId}/staff/staff-cian`, {
      name: 'Cian',
      role: 'lead',
      pin: '2580',
      active: false,
    });
    await admin('PUT', `/api/v1/stores/${otherStore}/staff/staff-elsewhere`, {
      name: 'Elsewhere',
      role: 'cashier',
      pin: '1357',
      active: false,
    });
    const delta = await pull(cursor);
    expect(delta).toMatchObject({ ...nothingElse, products: [], stock: [] });
    expect(delta.staff).toEqual([
      expect.objectContaining({ id: 'staff-cian', name: 'Cian', role: 'lead', active: false }),
    ]);
    expect((await pull()).staff.map((s) => s.id)).not.toContain('staff-cian');
  });

  it('gives a full snapshot for a cursor it cannot read, one from the future, or one over 30 days old', async () => {
    const { cursor } = await pull();
    for (const bad of ['garbage', 'v1.x.y', `v1.999999.${clock}`]) {
      const res = await pull(bad);
      expect(res.full, bad).toBe(true);
      expect(res.products.length).toBeGreaterThan(200);
    }
    expect((await pull(cursor)).full).toBe(false);
    clock += 31 * DAY;
    const old = await pull(cursor);
    expect(old.full).toBe(true);
    expect(old.stock.length).toBe(Object.keys(openingStock).length);
  });
  it('sends a snapshot gzip-compressed to a till that accepts it, reading the same as plain JSON', async () => {
    const get = (encoding: string) =>
      fetch(`${ledger.url}/api/v1/sync/pull`, {
        headers: { authorization: `Bearer ${till.token}`, 'accept-encoding': encoding },
      });
    const zipped = await get('gzip');
    const plain = await get('identity');
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const a = (await zipped.json()) as PullResponse;
    const b = (await plain.json()) as PullResponse;
    expect(a.products.length).toBeGreaterThan(200);
    expect({ ...a, cursor: '' }).toEqual({ ...b, cursor: '' });
  });
});
