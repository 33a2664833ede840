// The kept basket against a real IndexedDB (fake-indexeddb): back after a reload, gone once it was paid or voided, removed when emptied.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { type CartLine, priceCart } from '../../shared/cart';
import { settle } from '../../shared/tender';
import {
  type BasketContent,
  keepBasket,
  keepSession,
  keptBasket,
  keptSession,
} from './basket-repo';
import { loadCatalog } from './catalog-repo';
import { openPosDb, type PosDb } from './db';
import { recordSale, recordVoid } from './sales-repo';
import { openShift } from './shift-repo';

let db: PosDb;
let n = 0;
const staff = { id: 'staff-aoife', name: 'Aoife' };
const tee = demo.products[0]!;
const line: CartLine = {
  lineId: 'a',
  sku: tee.sku,
  name: tee.name,
  unitPrice: tee.price,
  qty: 2,
  taxClassId: tee.taxClassId,
};
const basket: BasketContent = {
  lines: [line],
  orderDiscount: { kind: 'percent', bp: 500 },
  memberId: 'M7K3MQ9XT',
  promoCode: 'BACK-7K3M-Q9XT',
  claimCampaignId: null,
  exchange: null,
};
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
const cart = () => priceCart([line], undefined, { pricesIncludeTax: true, taxRatesPpm });

beforeEach(async () => {
  db = openPosDb(`basket-${process.pid}-${++n}`);
  await db.settings.put({ key: 'device', value: { deviceId: 'd1', prefix: 'T1', name: 'Till 1' } });
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
});
afterEach(async () => {
  await db.delete();
});

async function shift() {
  const opened = await openShift(db, staff.id, 10_000);
  if (!opened.ok) throw new Error(opened.message);
  return opened.shift.id;
}

describe('the kept basket', () => {
  it('comes back whole after a reload (a new connection to the same database)', async () => {
    await keepBasket(db, basket, new Date('2026-12-04T14:00:00Z'));
    await keepSession(db, staff);
    db.close();
    db = openPosDb(`basket-${process.pid}-${n}`);
    expect(await keptBasket(db)).toMatchObject({ ...basket, savedAt: '2026-12-04T14:00:00.000Z' });
    expect(await keptSession(db)).toMatchObject({ staffId: staff.id, name: 'Aoife' });
  });

  it('is removed when the basket is emptied', async () => {
    await keepBasket(db, basket);
    await keepBasket(db, {
      ...basket,
      lines: [],
      orderDiscount: undefined,
      memberId: null,
      promoCode: null,
    });
    expect(await keptBasket(db)).toBeUndefined();
  });

  it('never brings back a basket that was paid after it was kept (a crash between paying and clearing)', async () => {
    const shiftId = await shift();
    await keepBasket(db, basket, new Date(Date.now() - 1_000));
    const c = cart();
    const tenders = [{ kind: 'card' as const, amount: c.total, reference: 'A1' }];
    const s = settle(c.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    expect(
      (await recordSale(db, { cart: c, tenders, settlement: s.value, staff, shiftId })).ok,
    ).toBe(true);
    expect(await keptBasket(db)).toBeUndefined();
  });

  it('never brings back a basket that was voided after it was kept', async () => {
    const shiftId = await shift();
    await keepBasket(db, basket, new Date(Date.now() - 1_000));
    await recordVoid(db, { cart: cart(), staffId: staff.id, shiftId });
    expect(await keptBasket(db)).toBeUndefined();
  });

  it('a sale made before the basket was kept does not hide it', async () => {
    const shiftId = await shift();
    const c = cart();
    const tenders = [{ kind: 'card' as const, amount: c.total, reference: 'A1' }];
    const s = settle(c.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    await recordSale(db, { cart: c, tenders, settlement: s.value, staff, shiftId });
    await keepBasket(db, basket, new Date(Date.now() + 1_000));
    expect((await keptBasket(db))?.lines).toEqual([line]);
  });
});
