// Committing sales against a real IndexedDB implementation (fake-indexeddb): all or nothing, numbers without gaps.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { type CartLine, priceCart } from '../../shared/cart';
import type { Drop } from '../../shared/drops';
import { settle, type Tender } from '../../shared/tender';
import { loadCatalog } from './catalog-repo';
import { openPosDb, type PosDb } from './db';
import { loadDropData } from './drops-repo';
import { committedSale, recordSale, recordVoid, type SaleDraft } from './sales-repo';
import { closeShift, openShift } from './shift-repo';
import { stockLevel } from './stock-levels';

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
  return await stockLevel(db, sku);
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

describe('drop rules at commit', () => {
  // Riso Drop: members from 18:30, everyone from 19:00 (Dublin is on UTC in December).
  const NOW = new Date('2026-12-05T19:10:00Z');
  const aoife = {
    id: 'M7K3MQ9XT',
    name: 'Aoife',
    tiers: ['members'],
    phoneHash: null,
    emailHash: null,
    active: true,
  };
  const riso = (over: Partial<Drop> = {}): Drop => ({
    id: 'riso-02',
    name: 'Riso Drop',
    startsAt: '2026-12-05T19:00:00Z',
    endsAt: '2026-12-05T21:00:00Z',
    access: [{ tier: 'members', minutesBefore: 30 }],
    perCustomerLimit: 2,
    restockAt: null,
    allotments: 'auto',
    status: 'scheduled',
    items: [
      {
        sku: tee!.sku,
        quantity: 10,
        ladder: [
          { label: 'Early bird', price: 2500, untilUnits: 3, fastFulfilment: true },
          { label: 'Full price', price: 3000, fastFulfilment: false },
        ],
      },
    ],
    ...over,
  });

  /** A drop line as the cart makes it: `step` 0 is the early-bird price, 1 the full price. */
  const teeLine = (lineId: string, qty: number, step: 0 | 1, tier = 'everyone'): CartLine => ({
    lineId,
    sku: tee!.sku,
    name: tee!.name,
    unitPrice: step === 0 ? 2500 : 3000,
    qty,
    taxClassId: tee!.taxClassId,
    drop: { dropId: 'riso-02', step, tier, fastFulfilment: step === 0 },
  });

  function paid(shiftId: string, lines: CartLine[], memberId?: string): SaleDraft {
    const cart = priceCart(lines, undefined, { pricesIncludeTax: true, taxRatesPpm });
    const tenders: Tender[] = [{ kind: 'card', amount: cart.total, reference: 'A1' }];
    const s = settle(cart.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    return {
      cart,
      tenders,
      settlement: s.value,
      staff,
      shiftId,
      ...(memberId ? { memberId } : {}),
    };
  }

  async function arm(
    drop: Drop,
    opts: { allotment?: number; sold?: number; bought?: number } = {},
  ) {
    await db.drops.put(drop);
    await db.allotments.put({ dropId: drop.id, sku: tee!.sku, qty: opts.allotment ?? 5 });
    await db.dropProgress.put({ dropId: drop.id, sku: tee!.sku, sold: opts.sold ?? 0 });
    await db.members.put(aoife);
    if (opts.bought) {
      await db.memberPurchases.put({ dropId: drop.id, memberId: aoife.id, qty: opts.bought });
    }
    const shift = await openShift(db, staff.id, 0);
    if (!shift.ok) throw new Error(shift.message);
    return shift.shift.id;
  }

  /** What a refused sale must leave behind: exactly what was there before. */
  async function snapshot() {
    return {
      sales: await db.sales.count(),
      outbox: await db.outbox.count(),
      stock: await stockOf(tee!.sku),
      counters: await db.settings.get('counters'),
    };
  }

  it('sells a cart that keeps every rule, with its drop lines as priced', async () => {
    const shiftId = await arm(riso());
    const sold = await recordSale(db, paid(shiftId, [teeLine('a', 2, 0)], aoife.id), NOW);
    expect(sold.ok).toBe(true);
    expect(committedSale(sold).lines[0]?.drop).toMatchObject({ dropId: 'riso-02', step: 0 });
  });

  it('refuses a member over the limit with what they bought across tills, and writes nothing', async () => {
    // One bought on another till (pulled), one in this cart: the second unit breaks a limit of 2.
    const shiftId = await arm(riso(), { bought: 2 });
    const before = await snapshot();
    const refused = await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)], aoife.id), NOW);
    expect(refused).toEqual({
      ok: false,
      code: 'limit-reached',
      message: 'Limit reached: Aoife has already bought 2 of 2 allowed in Riso Drop.',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('counts this till’s own unsynced sale against the limit', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: 1 }));
    committedSale(await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)], aoife.id), NOW));
    const before = await snapshot();
    const again = await recordSale(db, paid(shiftId, [teeLine('b', 1, 0)], aoife.id), NOW);
    expect(again).toMatchObject({ ok: false, code: 'limit-reached' });
    expect(await snapshot()).toEqual(before);
    // The next sale without the drop item still takes the next receipt number.
    const capLine: CartLine = {
      lineId: 'c',
      sku: cap!.sku,
      name: cap!.name,
      unitPrice: cap!.price,
      qty: 1,
      taxClassId: cap!.taxClassId,
    };
    const next = committedSale(await recordSale(db, paid(shiftId, [capLine], aoife.id), NOW));
    expect(next.receiptNumber).toBe('T1-000002');
  });

  it('refuses units beyond the allotment left on this till', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: null }), { allotment: 3 });
    committedSale(await recordSale(db, paid(shiftId, [teeLine('a', 2, 0)]), NOW));
    const before = await snapshot();
    const refused = await recordSale(
      db,
      paid(shiftId, [teeLine('b', 1, 0), teeLine('c', 1, 1)]),
      NOW,
    );
    expect(refused).toEqual({
      ok: false,
      code: 'allotment-exhausted',
      message: 'Only 1 unit left on this till (allotment). Sync to ask for more.',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an anonymous buyer and a member before their early access opens', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: null }));
    const early = new Date('2026-12-05T18:40:00Z');
    const before = await snapshot();
    expect(await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)]), early)).toEqual({
      ok: false,
      code: 'members-only',
      message: 'Riso Drop is open to members only; it opens for everyone at 19:00.',
    });
    const tooEarly = new Date('2026-12-05T18:20:00Z');
    expect(
      await recordSale(db, paid(shiftId, [teeLine('a', 1, 0, 'members')], aoife.id), tooEarly),
    ).toEqual({
      ok: false,
      code: 'not-open-yet',
      message: 'Opens to members at 18:30, to everyone at 19:00.',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a unit still priced at a ladder step that has moved on, naming both prices', async () => {
    // Three early-bird units sold across tills since the cart was built: the next one is full price.
    const shiftId = await arm(riso(), { sold: 3 });
    const before = await snapshot();
    expect(await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)], aoife.id), NOW)).toEqual({
      ok: false,
      code: 'price-changed',
      message:
        'The price of Northside Logo Tee – Black / S is now €30.00 (Full price), not €25.00: update the prices before paying.',
    });
    expect(await snapshot()).toEqual(before);
    // Priced as the ladder stands now, it sells.
    const ok = await recordSale(db, paid(shiftId, [teeLine('b', 1, 1)], aoife.id), NOW);
    expect(ok.ok).toBe(true);
  });

  it('refuses a drop SKU on a line without its drop details (shelf price) while the drop sells', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: null }));
    const before = await snapshot();
    const refused = await recordSale(
      db,
      draft(shiftId, 1, (t) => [{ kind: 'cash', amount: t }]),
      NOW,
    );
    expect(refused).toMatchObject({ ok: false, code: 'drop-details-missing' });
    expect(!refused.ok && refused.message).toBe(
      'Northside Logo Tee – Black / S is selling in Riso Drop now and must be sold under its rules: take it out and add it again.',
    );
    expect(await snapshot()).toEqual(before);
    // Once the drop has ended (and its clock-skew grace passed) the shelf price is right again.
    const after = new Date('2026-12-05T21:05:00Z');
    expect(
      (
        await recordSale(
          db,
          draft(shiftId, 1, (t) => [{ kind: 'cash', amount: t }]),
          after,
        )
      ).ok,
    ).toBe(true);
  });

  it('still applies a drop that arrived after a plain sale (the sale did not name the drop tables)', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: 1 }), { bought: 1 });
    await db.drops.clear();
    committedSale(
      await recordSale(
        db,
        draft(shiftId, 1, (t) => [{ kind: 'cash', amount: t }]),
        NOW,
      ),
    );
    await db.drops.put(riso({ perCustomerLimit: 1 }));
    const before = await snapshot();
    const refused = await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)], aoife.id), NOW);
    expect(refused).toMatchObject({ ok: false, code: 'limit-reached' });
    expect(await snapshot()).toEqual(before);
  });

  it('counts the unsynced sales again after a reload (a new connection to the same database)', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: 2 }));
    committedSale(await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)], aoife.id), NOW));
    committedSale(await recordSale(db, paid(shiftId, [teeLine('b', 1, 0)], aoife.id), NOW));
    db.close();
    db = openPosDb(db.name);
    const refused = await recordSale(db, paid(shiftId, [teeLine('c', 1, 1)], aoife.id), NOW);
    expect(refused).toMatchObject({ ok: false, code: 'limit-reached' });
    expect((await loadDropData(db)).boughtByMember.get(`riso-02|${aoife.id}`)).toBe(2);
  });

  it('stops counting a sale as unsynced once the sync takes it out of the outbox', async () => {
    const shiftId = await arm(riso({ perCustomerLimit: 2 }));
    const first = committedSale(
      await recordSale(db, paid(shiftId, [teeLine('a', 1, 0)], aoife.id), NOW),
    );
    expect((await loadDropData(db)).unsyncedItem.get(`riso-02|${tee!.sku}`)).toBe(1);
    // The ledger stored it: the pull counts it in the member's purchases and the drop's progress,
    // and the till's queue lets it go. Counted twice, the member's next unit would be refused.
    await db.transaction('rw', [db.outbox, db.memberPurchases, db.dropProgress], async () => {
      await db.outbox.where('seq').belowOrEqual(first.seq).delete();
      await db.memberPurchases.put({ dropId: 'riso-02', memberId: aoife.id, qty: 1 });
      await db.dropProgress.put({ dropId: 'riso-02', sku: tee!.sku, sold: 1 });
    });
    const data = await loadDropData(db);
    expect(data.unsyncedItem.get(`riso-02|${tee!.sku}`) ?? 0).toBe(0);
    expect(data.boughtByMember.get(`riso-02|${aoife.id}`)).toBe(1);
    const second = await recordSale(db, paid(shiftId, [teeLine('b', 1, 0)], aoife.id), NOW);
    expect(second.ok).toBe(true);
    const third = await recordSale(db, paid(shiftId, [teeLine('c', 1, 1)], aoife.id), NOW);
    expect(third).toMatchObject({ ok: false, code: 'limit-reached' });
  });
});
