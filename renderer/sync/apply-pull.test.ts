// Applying a pull's returns data: other tills' recent sales kept 30 days, returned units and credit notes replaced whole, queued returns kept on the shelf count.
import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { priceCart } from '../../shared/cart';
import type { Sale } from '../../shared/sale';
import { type PullResponse, pullResponseSchema } from '../../shared/sync';
import { settle } from '../../shared/tender';
import { loadCatalog } from '../db/catalog-repo';
import { openPosDb, type PosDb } from '../db/db';
import { findSaleForReturn, recordReturn } from '../db/returns-repo';
import { committedSale, recordSale } from '../db/sales-repo';
import { openShift } from '../db/shift-repo';
import { stockLevel } from '../db/stock-levels';
import { applyPull, applyReturnsData } from './apply-pull';

let db: PosDb;
let n = 0;
const staff = { id: 'staff-aoife', name: 'Aoife' };
const tee = demo.products[0]!;
const NOW = new Date('2026-12-06T12:00:00Z');

function pull(extra: Partial<PullResponse>): PullResponse {
  return pullResponseSchema.parse({
    cursor: `c${++n}`,
    full: false,
    store: null,
    taxClasses: [],
    products: [],
    staff: [],
    stock: [],
    watermark: 0,
    ...extra,
  });
}

async function sellTee(qty: number, at: Date): Promise<Sale> {
  const shift = await openShift(db, staff.id, 0, at);
  const shiftId = shift.ok ? shift.shift.id : (await db.shifts.toCollection().first())!.id;
  const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
  const cart = priceCart(
    [
      {
        lineId: 'a',
        sku: tee.sku,
        name: tee.name,
        unitPrice: tee.price,
        qty,
        taxClassId: tee.taxClassId,
      },
    ],
    undefined,
    { pricesIncludeTax: true, taxRatesPpm },
  );
  const tenders = [{ kind: 'cash' as const, amount: cart.total }];
  const s = settle(cart.total, tenders, 5);
  if (!s.ok) throw new Error(s.message);
  return committedSale(
    await recordSale(db, { cart, tenders, settlement: s.value, staff, shiftId }, at),
  );
}

beforeEach(async () => {
  db = openPosDb(`apply-pull-${process.pid}-${++n}`);
  await db.settings.put({
    key: 'device',
    value: { deviceId: 'device-1', prefix: 'T1', name: 'Till 1' },
  });
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
});

afterEach(async () => {
  await db.delete();
});

describe('applyReturnsData', () => {
  it('keeps other tills’ sales of the last 30 days only, never this till’s own, and replaces counts and balances whole', async () => {
    const sale = await sellTee(1, NOW);
    const other = (receiptNumber: string, createdAt: string, id: string): Sale => ({
      ...sale,
      id,
      deviceId: 'device-2',
      receiptNumber,
      createdAt,
    });
    const recent = other('T2-000001', '2026-12-01T10:00:00.000Z', '01JD5Z6X2Q8G7V4N3M2K1H0F9A');
    const old = other('T2-000002', '2026-10-01T10:00:00.000Z', '01JD5Z6X2Q8G7V4N3M2K1H0F9B');
    const note = {
      code: 'CR-AAAA-BBBB-CCCC-DDDD',
      currency: 'EUR',
      issued: 1000,
      spent: 0,
      issuedAt: NOW.toISOString(),
      returnId: 'r1',
    };
    await applyReturnsData(
      db,
      pull({
        storeSales: [recent, old, sale],
        returnedLines: [{ saleId: recent.id, lineNo: 1, qty: 1 }],
        creditNotes: [note],
      }),
      NOW,
    );
    expect((await db.storeSales.toArray()).map((s) => s.receiptNumber)).toEqual(['T2-000001']);
    expect(await db.returnedLines.count()).toBe(1);
    expect(await db.creditNotes.get(note.code)).toEqual(note);

    // A month later the sale has left the window; the next pull's lists replace the old ones.
    await applyReturnsData(
      db,
      pull({ returnedLines: [], creditNotes: [] }),
      new Date('2027-01-05T12:00:00Z'),
    );
    expect(await db.storeSales.count()).toBe(0);
    expect(await db.returnedLines.count()).toBe(0);
    expect(await db.creditNotes.count()).toBe(0);
  });

  it('keeps a queued return’s resaleable units on the till’s stock when the ledger’s level arrives', async () => {
    const sale = await sellTee(3, NOW);
    const found = await findSaleForReturn(db, sale.receiptNumber);
    if (!found.ok) throw new Error(found.message);
    const shiftId = sale.shiftId;
    const result = await recordReturn(
      db,
      {
        found: found.found,
        lines: [
          { lineNo: 1, qty: 2, reason: 'wrong-size', condition: 'resaleable' },
          { lineNo: 1, qty: 1, reason: 'faulty', condition: 'damaged' },
        ],
        method: 'original-tender',
        staff,
        shiftId,
      },
      NOW,
    );
    if (!result.ok) throw new Error(result.message);
    // The ledger has seen neither fact: its level is still 50. The sale's 3 are gone, 2 came back.
    await applyPull(db, pull({ stock: [{ sku: tee.sku, qty: 50 }] }), NOW);
    expect(await stockLevel(db, tee.sku)).toBe(50 - 3 + 2);
  });
});

describe('applyPull', () => {
  it('writes the store, tax classes and staff a delta repeats unchanged no more (no live query of them wakes), and what changed', async () => {
    const staffRow = { ...demo.staff[0]!, role: 'cashier' as const, active: true };
    const first = pull({
      store: demo.store,
      taxClasses: demo.taxClasses,
      staff: [staffRow],
    });
    await applyPull(db, first, NOW);
    let storeReads = 0;
    let taxReads = 0;
    const subs = [
      liveQuery(() => {
        storeReads++;
        return db.settings.get('store');
      }).subscribe(() => {}),
      liveQuery(() => {
        taxReads++;
        return db.taxClasses.toArray();
      }).subscribe(() => {}),
    ];
    await vi.waitFor(() => expect(storeReads * taxReads).toBe(1));
    await applyPull(
      db,
      pull({ store: first.store, taxClasses: first.taxClasses, staff: first.staff }),
      NOW,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect([storeReads, taxReads]).toEqual([1, 1]);
    expect((await db.settings.get('sync'))?.value).toMatchObject({ cursor: `c${n}` });
    // A changed store and a renamed cashier are written (and wake what shows them).
    const renamed = { ...staffRow, name: 'Aoife B.' };
    await applyPull(
      db,
      pull({
        store: { ...first.store!, name: 'Northside Stall' },
        taxClasses: first.taxClasses,
        staff: [renamed],
      }),
      NOW,
    );
    await vi.waitFor(() => expect(storeReads).toBe(2));
    expect(taxReads).toBe(1);
    expect((await db.settings.get('store'))?.value).toMatchObject({ name: 'Northside Stall' });
    expect((await db.staff.get('staff-aoife'))?.name).toBe('Aoife B.');
    for (const sub of subs) sub.unsubscribe();
  });

  it('replaces the member purchases only when the ledger’s totals changed (an unchanged delta wakes nobody)', async () => {
    const bought = (qty: number) => [{ dropId: 'riso', memberId: 'M7K3MQ9XT', qty }];
    await applyPull(db, pull({ memberPurchases: bought(1) }), NOW);
    let reads = 0;
    const sub = liveQuery(() => {
      reads++;
      return db.memberPurchases.toArray();
    }).subscribe(() => {});
    await vi.waitFor(() => expect(reads).toBe(1));
    await applyPull(db, pull({ memberPurchases: bought(1) }), NOW);
    await new Promise((r) => setTimeout(r, 50));
    expect(reads).toBe(1);
    await applyPull(db, pull({ memberPurchases: bought(2) }), NOW);
    await vi.waitFor(() => expect(reads).toBe(2));
    expect(await db.memberPurchases.toArray()).toEqual(bought(2));
    await applyPull(db, pull({ memberPurchases: [] }), NOW);
    expect(await db.memberPurchases.count()).toBe(0);
    sub.unsubscribe();
  });
});
