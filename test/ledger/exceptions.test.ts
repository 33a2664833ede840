// Facts the ledger takes but cannot apply cleanly (unknown SKU, stock below zero) wait in a manager's inbox until resolved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  makeSale,
  openingStock,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
} from './fixtures';

interface Listed {
  id: string;
  kind: string;
  eventId: string | null;
  message: string;
  details: Record<string, unknown> | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

describe.each(engines)('exceptions on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let manager: string;
  let seq = 0;
  const sell = (lines: Parameters<typeof makeSale>[3]) => {
    seq += 1;
    return makeSale(till.deviceId, till.prefix, seq, lines, {
      at: new Date(Date.UTC(2026, 10, 25, 12, seq)),
    });
  };
  const list = async (status: 'open' | 'resolved' | 'all') => {
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/exceptions?status=${status}`,
      manager,
    );
    expect(res.status).toBe(200);
    return res.body.exceptions as Listed[];
  };

  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger);
    manager = await loginManager(ledger, ledger.storeId, 'staff-exceptions-mgr', '4826');
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('takes a sale of a SKU it does not know and lists it as unknown-sku', async () => {
    const sale = sell([
      { sku: 'TEE-LOGO-BLK-S', qty: 1 },
      { sku: 'HANDWRITTEN-SCARF', qty: 1, unitPrice: 1500 },
    ]);
    const res = await push(ledger, till.token, [sale]);
    expect(res.results).toEqual([{ id: sale.id, status: 'accepted' }]);

    const unknown = (await list('open')).filter((x) => x.kind === 'unknown-sku');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ eventId: sale.id, details: { sku: 'HANDWRITTEN-SCARF' } });
    expect(unknown[0]!.message).toContain('HANDWRITTEN-SCARF');
    // The known line still moved stock.
    expect((await stockLevels(ledger)).get('TEE-LOGO-BLK-S')).toBe(
      openingStock['TEE-LOGO-BLK-S']! - 1,
    );
  });

  it('takes a sale of more than the ledger has and lists negative-stock, with the level it reached', async () => {
    const sku = 'TEE-LOGO-BLK-XL';
    const have = (await stockLevels(ledger)).get(sku)!;
    const sale = sell([{ sku, qty: have + 4 }]);
    const res = await push(ledger, till.token, [sale]);
    expect(res.results).toEqual([{ id: sale.id, status: 'accepted' }]);

    expect((await stockLevels(ledger)).get(sku)).toBe(-4);
    const negative = (await list('open')).filter(
      (x) => x.kind === 'negative-stock' && x.details?.sku === sku,
    );
    expect(negative).toHaveLength(1);
    expect(negative[0]!.details).toMatchObject({ sku, qty: -4 });
    expect(negative[0]!.message).toContain(sku);
  });

  it('does not list a sale that leaves stock at exactly zero', async () => {
    const sku = 'TEE-LOGO-BLK-L';
    const have = (await stockLevels(ledger)).get(sku)!;
    await push(ledger, till.token, [sell([{ sku, qty: have }])]);
    expect((await stockLevels(ledger)).get(sku)).toBe(0);
    const open = await list('open');
    expect(open.filter((x) => x.details?.sku === sku)).toEqual([]);
  });

  it('moves a resolved exception from open to resolved with who and why, and refuses to resolve it twice', async () => {
    const before = await list('open');
    const target = before.find((x) => x.kind === 'negative-stock')!;
    expect(target).toBeDefined();

    const reason = 'Four more were in the van; counted and received.';
    const resolved = await ledger.call('POST', `/api/v1/exceptions/${target.id}/resolve`, manager, {
      resolution: reason,
    });
    expect(resolved).toEqual({ status: 200, body: { ok: true } });

    const open = await list('open');
    expect(open.map((x) => x.id)).not.toContain(target.id);
    expect(open).toHaveLength(before.length - 1);
    const done = await list('resolved');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({
      id: target.id,
      kind: 'negative-stock',
      resolution: reason,
      resolvedBy: 'staff-exceptions-mgr',
    });
    expect(done[0]!.resolvedAt).not.toBeNull();
    expect((await list('all')).map((x) => x.id)).toContain(target.id);

    const twice = await ledger.call('POST', `/api/v1/exceptions/${target.id}/resolve`, manager, {
      resolution: 'again',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('conflict');
    // The first resolution stands.
    expect((await list('resolved'))[0]!.resolution).toBe(reason);
  });

  it('answers 404 for an exception that does not exist and 400 for a resolution with no reason', async () => {
    const missing = await ledger.call(
      'POST',
      '/api/v1/exceptions/01JZZZZZZZZZZZZZZZZZZZZZZZ/resolve',
      ADMIN_TOKEN,
      { resolution: 'gone' },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');

    const open = await list('open');
    const blank = await ledger.call('POST', `/api/v1/exceptions/${open[0]!.id}/resolve`, manager, {
      resolution: '  ',
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.map((d: { path: string }) => d.path)).toContain(
      'body.resolution',
    );
    expect(await list('open')).toHaveLength(open.length);
  });
});
