// Parking a basket against a real IndexedDB implementation (fake-indexeddb): a bad name is refused in words and nothing is parked.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPosDb, type PosDb } from './db';
import { type ParkInput, parkSale } from './parked-repo';

let db: PosDb;
let n = 0;
beforeEach(() => {
  db = openPosDb(`parked-${++n}`);
});
afterEach(async () => {
  await db.delete();
});

const line = {
  lineId: 'a',
  sku: 'TEE-LOGO-BLK-S',
  name: 'Logo Tee',
  unitPrice: 2995,
  qty: 1,
  taxClassId: 'standard',
};

function input(label: string): ParkInput {
  return {
    staffId: 'staff-aoife',
    staffName: 'Aoife',
    lines: [line],
    memberId: null,
    promoCode: null,
    claimCampaignId: null,
    label,
    itemCount: 1,
    total: 2995,
  };
}

describe('parkSale', () => {
  it('parks a basket under its trimmed name', async () => {
    const parked = await parkSale(db, input('  Blue jacket lady '));
    expect(parked.label).toBe('Blue jacket lady');
    expect(await db.parked.count()).toBe(1);
  });

  it.each([
    ['a NUL byte', 'Blue\u0000jacket'],
    ['a control character', 'Blue\u001bjacket'],
    ['100 KB of text', 'x'.repeat(100_000)],
  ])('refuses a name with %s and parks nothing', async (_what, label) => {
    await expect(parkSale(db, input(label))).rejects.toThrow(/name/);
    expect(await db.parked.count()).toBe(0);
  });
});
