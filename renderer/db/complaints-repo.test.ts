// Logging complaints against a real IndexedDB implementation (fake-indexeddb): the row and its outbox fact go together.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { priceCart } from '../../shared/cart';
import { parseEvent } from '../../shared/events';
import { settle } from '../../shared/tender';
import { loadCatalog } from './catalog-repo';
import { complaintsForSale, logComplaint } from './complaints-repo';
import { openPosDb, type PosDb } from './db';
import { committedSale, recordSale } from './sales-repo';
import { openShift } from './shift-repo';

let db: PosDb;
let dbCount = 0;
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
const tee = demo.products[0]!;

async function sellOne() {
  const shift = await openShift(db, 'staff-aoife', 0);
  if (!shift.ok) throw new Error(shift.message);
  const cart = priceCart(
    [
      {
        lineId: 'a',
        sku: tee.sku,
        name: tee.name,
        unitPrice: tee.price,
        qty: 1,
        taxClassId: tee.taxClassId,
      },
    ],
    undefined,
    { pricesIncludeTax: true, taxRatesPpm },
  );
  const tenders = [{ kind: 'card' as const, amount: cart.total, reference: 'A1' }];
  const s = settle(cart.total, tenders, 5);
  if (!s.ok) throw new Error(s.message);
  return committedSale(
    await recordSale(db, {
      cart,
      tenders,
      settlement: s.value,
      staff: { id: 'staff-aoife', name: 'Aoife' },
      shiftId: shift.shift.id,
    }),
  );
}

beforeEach(async () => {
  db = openPosDb(`complaints-${++dbCount}`);
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

describe('logComplaint', () => {
  it('stores the complaint and queues a complaint.logged fact with the next sequence number', async () => {
    const sale = await sellOne();
    const at = new Date('2026-12-02T10:30:00Z');
    const result = await logComplaint(
      db,
      { saleId: sale.id, category: 'sizing', note: '  Runs small  ', staffId: 'staff-niamh' },
      at,
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.complaint).toMatchObject({
      saleId: sale.id,
      deviceId: 'device-1',
      category: 'sizing',
      note: 'Runs small',
      staffId: 'staff-niamh',
      createdAt: at.toISOString(),
    });

    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((o) => [o.seq, o.type])).toEqual([
      [1, 'shift.opened'],
      [2, 'sale.completed'],
      [3, 'complaint.logged'],
    ]);
    const fact = outbox[2]!;
    expect(fact.eventId).toBe(result.complaint.id);
    // What the ledger will check on arrival.
    const check = parseEvent({
      id: fact.eventId,
      seq: fact.seq,
      type: fact.type,
      createdAt: fact.createdAt,
      payload: fact.payload,
    });
    expect(check.ok).toBe(true);
    expect(await complaintsForSale(db, sale.id)).toEqual([result.complaint]);
  });

  it('refuses a complaint without a category or about a sale this till does not have, and writes nothing', async () => {
    const sale = await sellOne();
    const noCategory = await logComplaint(db, {
      saleId: sale.id,
      category: '' as never,
      note: 'x',
      staffId: 's',
    });
    expect(noCategory).toMatchObject({ ok: false, code: 'invalid' });
    const unknown = await logComplaint(db, {
      saleId: 'not-a-sale',
      category: 'quality',
      note: '',
      staffId: 's',
    });
    expect(unknown).toMatchObject({ ok: false, code: 'unknown-sale' });
    const tooLong = await logComplaint(db, {
      saleId: sale.id,
      category: 'other',
      note: 'x'.repeat(501),
      staffId: 's',
    });
    expect(tooLong).toMatchObject({ ok: false, code: 'invalid', message: /too long/ });
    expect(await db.complaints.count()).toBe(0);
    expect(await db.outbox.where('type').equals('complaint.logged').count()).toBe(0);
    expect((await db.settings.get('counters'))?.value).toMatchObject({ seq: 2 });
  });
});
