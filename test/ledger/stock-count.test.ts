// A shelf count pushed by a till sets the ledger's stock to what was counted, once, whatever else is in its batch.

import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  openingStock,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
} from './fixtures';

const count = (seq: number, lines: { sku: string; counted: number }[]): EventEnvelope => ({
  id: ulid(),
  seq,
  type: 'stock.counted',
  createdAt: '2026-11-25T18:00:00.000Z',
  payload: { lines, note: 'end of day count' },
});

describe.each(engines)('stock counts on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let seq = 0;
  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('sets the level to the count, and a resent count changes nothing', async () => {
    const sku = 'TEE-LOGO-BLK-XXL';
    const event = count(++seq, [{ sku, counted: 7 }]);
    expect((await push(ledger, till.token, [event])).results[0]!.status).toBe('accepted');
    expect((await stockLevels(ledger)).get(sku)).toBe(7);

    const sale = makeSale(till.deviceId, till.prefix, ++seq, [{ sku, qty: 2 }]);
    await push(ledger, till.token, [sale, event]);
    expect((await stockLevels(ledger)).get(sku)).toBe(5);
  });

  it('counts in the sales rung up before the count in the same batch, and takes off those after', async () => {
    const sku = 'TEE-LOGO-WHT-S';
    const before = makeSale(till.deviceId, till.prefix, ++seq, [{ sku, qty: 3 }]);
    const shelf = count(++seq, [{ sku, counted: 10 }]);
    const after = makeSale(till.deviceId, till.prefix, ++seq, [{ sku, qty: 1 }]);
    await push(ledger, till.token, [before, shelf, after]);
    expect((await stockLevels(ledger)).get(sku)).toBe(9);
    expect(openingStock[sku]).not.toBe(9);
  });

  it('sets the level to the count for a new product first sold in the same batch', async () => {
    const product = {
      sku: 'NEW-CAP-GRN',
      name: 'Green cap',
      price: 1800,
      taxClassId: 'standard',
      category: 'Caps',
      barcodes: [],
      active: true,
    };
    expect(
      (await ledger.call('PUT', '/api/v1/products', ADMIN_TOKEN, { products: [product] })).status,
    ).toBe(200);
    const sale = makeSale(till.deviceId, till.prefix, ++seq, [
      { sku: product.sku, qty: 2, unitPrice: 1800 },
    ]);
    const shelf = count(++seq, [{ sku: product.sku, counted: 5 }]);
    await push(ledger, till.token, [sale, shelf]);
    expect((await stockLevels(ledger)).get(product.sku)).toBe(5);
  });
});
