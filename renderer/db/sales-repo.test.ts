// Committing sales against a real IndexedDB implementation (fake-indexeddb): all or nothing, numbers without gaps.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { priceCart } from '../../shared/cart';
import { settle, type Tender } from '../../shared/tender';
import { loadCatalog } from './catalog-repo';
import { openPosDb, type PosDb } from './db';
import { committedSale, recordSale, recordVoid, type SaleDraft } from './sales-repo';
import { closeShift, openShift } from './shift-repo';

let db: PosDb;
let dbCount = 0;
const staff = { id: 'staff-aoife', name: 'Aoife' };
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
const [tee, cap] = demo.products;

function draft(shiftId: string, qty: number, tenders: (total: number) => Tender[]): SaleDraft {
  const cart = priceCart(
    [
      {
        lineId: 'a',
        sku: tee!.sku,
        name: tee!.name,
        unitPrice: tee!.price,
        qty,
        taxClassId: tee!.taxClassId,
      },
      {
        lineId: 'b',
        sku: cap!.sku,
        name: cap!.name,
        unitPrice: cap!.price,
        qty: 1,
        taxClassId: cap!.taxClassId,
      },
    ],
    undefined,
    { pricesIncludeTax: true, taxRatesPpm },
  );
  const ts = tenders(cart.total);
  const s = settle(cart.total, ts, 5);
  if (!s.ok) throw new Error(s.message);
  return { cart, tenders: ts, settlement: s.value, staff, shiftId };
}

async function stockOf(sku: string) {
  return (await db.stock.get(sku))?.qty;
}

beforeEach(async () => {
  db = openPosDb(`test-${++dbCount}`);
  await db.settings.put({
    key: 'device',
    value: { deviceId: 'device-1', prefix: 'T1', name: 'Till 1' },
  });
  const loaded = await loadCatalog(db, demo, 'demo');
  expect(loaded.ok).toBe(true);
});

afterEach(async () => {
  await db.delete();
});

describe('recordSale', () => {
  it('numbers receipts T1-000001, T1-000002… and takes stock down', async () => {
    const shift = await openShift(db, staff.id, 10_000);
    if (!shift.ok) throw new Error(shift.message);
    const before = await stockOf(tee!.sku);
    const a = committedSale(
      await recordSale(
        db,
        draft(shift.shift.id, 2, (t) => [{ kind: 'cash', amount: t + 1000 }]),
      ),
    );
    const b = committedSale(
      await recordSale(
        db,
        draft(shift.shift.id, 1, (t) => [{ kind: 'card', amount: t, reference: 'A1' }]),
      ),
    );
    expect([a.receiptNumber, b.receiptNumber]).toEqual(['T1-000001', 'T1-000002']);
    expect(await stockOf(tee!.sku)).toBe(before! - 3);
    // The outbox holds every fact in device order: shift opened, then the two sales.
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((o) => [o.seq, o.type])).toEqual([
      [1, 'shift.opened'],
      [2, 'sale.completed'],
      [3, 'sale.completed'],
    ]);
    expect(outbox[1]?.eventId).toBe(a.id);
  });

  it('leaves no trace of a sale that fails inside the transaction, and the next one takes the next number', async () => {
    const shift = await openShift(db, staff.id, 0);
    if (!shift.ok) throw new Error(shift.message);
    await recordSale(
      db,
      draft(shift.shift.id, 1, (t) => [{ kind: 'cash', amount: t }]),
    );
    const stockBefore = await stockOf(tee!.sku);
    const bad = draft(shift.shift.id, 1, (t) => [{ kind: 'cash', amount: t }]);
    bad.staff = { id: '', name: '' }; // refused by the sale schema after the counters were taken
    await expect(recordSale(db, bad)).rejects.toThrow();
    expect(await db.sales.count()).toBe(1);
    expect(await db.outbox.count()).toBe(2);
    expect(await stockOf(tee!.sku)).toBe(stockBefore);
    const next = committedSale(
      await recordSale(
        db,
        draft(shift.shift.id, 1, (t) => [{ kind: 'cash', amount: t }]),
      ),
    );
    expect(next.receiptNumber).toBe('T1-000002');
  });

  it('refuses a sale that is not fully paid', async () => {
    const shift = await openShift(db, staff.id, 0);
    if (!shift.ok) throw new Error(shift.message);
    const short = draft(shift.shift.id, 1, () => [{ kind: 'cash', amount: 100 }]);
    await expect(recordSale(db, short)).rejects.toThrow('not fully paid');
    expect(await db.sales.count()).toBe(0);
  });
});

describe('shifts', () => {
  it('allows one open shift per till and freezes the Z report at close', async () => {
    const shift = await openShift(db, staff.id, 10_000);
    if (!shift.ok) throw new Error(shift.message);
    expect((await openShift(db, staff.id, 0)).ok).toBe(false);
    const sale = committedSale(
      await recordSale(
        db,
        draft(shift.shift.id, 1, (t) => [{ kind: 'cash', amount: 5000 + t }]),
      ),
    );
    await recordVoid(db, {
      cart: draft(shift.shift.id, 1, () => []).cart,
      staffId: staff.id,
      shiftId: shift.shift.id,
    });
    const kept = sale.total + sale.rounding;
    const closed = await closeShift(db, shift.shift.id, staff.id, { '5000': 2, '5': kept / 5 });
    if (!closed.ok) throw new Error(closed.message);
    expect(closed.shift.zReport).toMatchObject({
      saleCount: 1,
      voidCount: 1,
      expectedCash: 10_000 + kept,
      countedCash: 10_000 + kept,
      overShort: 0,
    });
    // The report is stored with the shift, and a closed shift cannot be closed again.
    expect((await db.shifts.get(shift.shift.id))?.zReport?.saleCount).toBe(1);
    expect((await closeShift(db, shift.shift.id, staff.id, {})).ok).toBe(false);
  });
});
