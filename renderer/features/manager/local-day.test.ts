// The offline end of day from this till's own IndexedDB (fake-indexeddb): the stall's local day, cash per shift, unsynced sales.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../../assets/demo-catalog.json';
import { priceCart } from '../../../shared/cart';
import { settle, type Tender } from '../../../shared/tender';
import { loadCatalog } from '../../db/catalog-repo';
import { openPosDb, type PosDb } from '../../db/db';
import { findSaleForReturn, recordReturn } from '../../db/returns-repo';
import { committedSale, recordSale, recordVoid } from '../../db/sales-repo';
import { closeShift, openShift } from '../../db/shift-repo';
import { localEndOfDay } from './local-day';

let db: PosDb;
let n = 0;
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
const tee = demo.products[0]!;
const staff = { id: 'staff-aoife', name: 'Aoife' };

function cartOf(qty: number) {
  return priceCart(
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
}

async function sell(shiftId: string, qty: number, kind: 'cash' | 'card', at: string) {
  const cart = cartOf(qty);
  const tenders: Tender[] =
    kind === 'cash'
      ? [{ kind: 'cash', amount: cart.total }]
      : [{ kind: 'card', amount: cart.total, reference: 'A' }];
  const s = settle(cart.total, tenders, 5);
  if (!s.ok) throw new Error(s.message);
  return committedSale(
    await recordSale(db, { cart, tenders, settlement: s.value, staff, shiftId }, new Date(at)),
  );
}

beforeEach(async () => {
  db = openPosDb(`local-day-${++n}`);
  await db.settings.put({
    key: 'device',
    value: { deviceId: 'device-1', prefix: 'T1', name: 'Front till' },
  });
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
});
afterEach(async () => {
  await db.delete();
});

describe('localEndOfDay', () => {
  it("counts the Dublin day's sales and voids, and each shift's drawer against all its sales", async () => {
    // Summer: 23:30 UTC on the 14th is already the 15th in Dublin.
    const open = await openShift(db, staff.id, 5_000, new Date('2026-07-14T20:00:00Z'));
    if (!open.ok) throw new Error(open.message);
    const id = open.shift.id;
    const before = await sell(id, 1, 'cash', '2026-07-14T22:30:00Z'); // 23:30 Dublin, the 14th
    const a = await sell(id, 2, 'cash', '2026-07-14T23:30:00Z'); // 00:30 Dublin, the 15th
    const b = await sell(id, 1, 'card', '2026-07-15T09:00:00Z');
    await recordVoid(
      db,
      { cart: cartOf(1), staffId: staff.id, shiftId: id },
      new Date('2026-07-15T10:00:00Z'),
    );
    const cashKept = before.total + a.total;
    // Counted 1 euro short.
    const closed = await closeShift(
      db,
      id,
      staff.id,
      { '5': (5_000 + cashKept - 100) / 5 },
      new Date('2026-07-15T11:00:00Z'),
    );
    if (!closed.ok) throw new Error(closed.message);

    const day = await localEndOfDay(db, '2026-07-15');
    expect(day.source).toBe('local');
    const r = day.report;
    expect(r.tills.map((t) => t.name)).toEqual(['Front till']);
    expect(r.combined).toMatchObject({
      saleCount: 2,
      itemCount: 3,
      takings: a.total + b.total,
      cash: a.total,
      card: b.total,
      voidCount: 1,
      voidValue: cartOf(1).total,
    });
    expect(r.shifts).toEqual([
      {
        shiftId: id,
        deviceId: 'device-1',
        openedAt: '2026-07-14T20:00:00.000Z',
        closedAt: '2026-07-15T11:00:00.000Z',
        float: 5_000,
        cashTakings: cashKept,
        expectedCash: 5_000 + cashKept,
        countedCash: 5_000 + cashKept - 100,
        overShort: -100,
      },
    ]);
    // Nothing has synced: the till says so, since its first unsynced sale.
    expect(day.unsyncedHere).toEqual({ count: 3, since: before.createdAt });
    expect(r.notSynced.map((t) => t.name)).toEqual(['Front till']);

    expect((await localEndOfDay(db, '2026-07-14')).report.combined.saleCount).toBe(1);
    expect((await localEndOfDay(db, '2026-07-16')).report.combined.saleCount).toBe(0);
  });

  it('takes a cash refund out of the drawer and the net takings, and counts the return', async () => {
    const open = await openShift(db, staff.id, 5_000, new Date('2026-07-15T08:00:00Z'));
    if (!open.ok) throw new Error(open.message);
    const id = open.shift.id;
    const sale = await sell(id, 2, 'cash', '2026-07-15T09:00:00Z');
    const found = await findSaleForReturn(db, sale.receiptNumber);
    if (!found.ok) throw new Error(found.message);
    const back = await recordReturn(
      db,
      {
        found: found.found,
        lines: [{ lineNo: 1, qty: 1, reason: 'wrong-size', condition: 'resaleable' }],
        method: 'original-tender',
        staff,
        shiftId: id,
      },
      new Date('2026-07-15T10:00:00Z'),
    );
    if (!back.ok) throw new Error(back.message);
    const refund = back.saleReturn.refundTotal;
    expect(refund).toBeGreaterThan(0);

    const r = (await localEndOfDay(db, '2026-07-15')).report;
    expect(r.refunds).toMatchObject({ returnCount: 1, returnedItems: 1, cash: refund, card: 0 });
    expect(r.netTakings).toBe(sale.total - refund);
    expect(r.shifts[0]).toMatchObject({
      cashTakings: sale.total,
      expectedCash: 5_000 + sale.total - refund,
    });
  });
});
