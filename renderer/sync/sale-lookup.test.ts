// Two tills and the real ledger over HTTP: finding another till's sale online and offline, counting its returns there, and spending its store credit.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { priceCart } from '../../shared/cart';
import { settle, type Tender } from '../../shared/tender';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../../test/ledger/fixtures';
import { getSetting, openPosDb, type PosDb } from '../db/db';
import { allProducts } from '../db/product-pages';
import {
  checkCreditNote,
  findSaleForReturn,
  type ReturnableSale,
  recordReturn,
} from '../db/returns-repo';
import { committedSale, recordSale } from '../db/sales-repo';
import { openShift } from '../db/shift-repo';
import { SyncEngine } from './engine';
import { enrolTill } from './enrol';
import { lookupSale, saleLookup } from './sale-lookup';
import { readDeviceToken } from './token';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
vi.hoisted(() => vi.stubGlobal('window', globalThis));

let ledger: TestLedger;
const dbs: PosDb[] = [];
let count = 0;

const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};

beforeEach(async () => {
  ledger = await startLedger('sqlite');
});

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
  await ledger.close();
});

/** An enrolled till with its first snapshot and an open shift. */
async function till(name: string) {
  const db = openPosDb(`lookup-${process.pid}-${++count}`);
  dbs.push(db);
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  expect(await enrolTill(db, { url: ledger.url, pairingCode: code.body.code, name })).toEqual({
    ok: true,
  });
  const sync = async () => new SyncEngine({ db, token: () => readDeviceToken(db) }).syncOnce();
  expect(await sync()).toBe('synced');
  const store = (await getSetting(db, 'store'))!;
  const member = (await db.staff.toCollection().first())!;
  const staff = { id: member.id, name: member.name };
  const shift = await openShift(db, staff.id, 10_000);
  if (!shift.ok) throw new Error(shift.message);
  const products = (await allProducts(db)).filter((p) => p.active && p.price >= 1000);
  const taxRatesPpm = Object.fromEntries(
    (await db.taxClasses.toArray()).map((t) => [t.id, t.ratePpm]),
  );
  const draft = (qty: number, pay: (total: number) => Tender[], product = products[0]!) => {
    const cart = priceCart(
      [
        {
          lineId: 'a',
          sku: product.sku,
          name: product.name,
          unitPrice: product.price,
          qty,
          taxClassId: product.taxClassId,
        },
      ],
      undefined,
      { pricesIncludeTax: store.pricesIncludeTax, taxRatesPpm },
    );
    const tenders = pay(cart.total);
    const settled = settle(cart.total, tenders, store.cashRounding);
    if (!settled.ok) throw new Error(settled.message);
    return { cart, tenders, settlement: settled.value, staff, shiftId: shift.shift.id };
  };
  return { db, sync, staff, shiftId: shift.shift.id, draft };
}

async function find(db: PosDb, text: string, online = true): Promise<ReturnableSale> {
  const result = await findSaleForReturn(db, text, {
    lookup: saleLookup(db, online ? {} : { fetchImpl: offline }),
  });
  if (!result.ok) throw new Error(result.message);
  return result.found;
}

describe('returns across tills', () => {
  it('finds another till’s sale at the ledger by number or QR, from the pulled index offline, and never returns more than sold between them', async () => {
    const a = await till('Till A');
    const b = await till('Till B');
    const sale = committedSale(
      await recordSale(
        a.db,
        a.draft(3, (t) => [{ kind: 'cash', amount: t }]),
      ),
    );
    expect(await a.sync()).toBe('synced');

    // B has not pulled since: it asks the ledger.
    const byNumber = await find(b.db, sale.receiptNumber.toLowerCase());
    expect(byNumber.source).toBe('ledger');
    expect(byNumber.sale.id).toBe(sale.id);
    expect((await find(b.db, sale.id)).sale.receiptNumber).toBe(sale.receiptNumber);
    expect(await lookupSale(b.db, 'T9-000001')).toBeNull();
    expect(await lookupSale(b.db, sale.receiptNumber, { fetchImpl: offline })).toBeNull();

    // After a pull, B finds it offline.
    expect(await b.sync()).toBe('synced');
    const offlineFind = await find(b.db, sale.receiptNumber, false);
    expect(offlineFind.source).toBe('store-index');
    const onB = await recordReturn(b.db, {
      found: offlineFind,
      lines: [{ lineNo: 1, qty: 2, reason: 'wrong-size', condition: 'resaleable' }],
      method: 'original-tender',
      staff: b.staff,
      shiftId: b.shiftId,
    });
    if (!onB.ok) throw new Error(onB.message);
    expect(onB.saleReturn.refunds.map((r) => r.kind)).toEqual(['cash']);
    expect(await b.sync()).toBe('synced');

    // A learns of B's return at its next pull: one unit is left to return.
    expect(await a.sync()).toBe('synced');
    const again = await find(a.db, sale.receiptNumber, false);
    const two = await recordReturn(a.db, {
      found: again,
      lines: [{ lineNo: 1, qty: 2, reason: 'wrong-size', condition: 'resaleable' }],
      method: 'original-tender',
      staff: a.staff,
      shiftId: a.shiftId,
    });
    expect(two).toMatchObject({ ok: false, code: 'refused' });
    expect(!two.ok && two.message).toMatch(/Only 1 .* can come back: 3 sold, 2 already returned/);
  });

  it('spends a credit note issued on one till at the other, offline after a pull, and refuses it once spent', async () => {
    const a = await till('Till A');
    const b = await till('Till B');
    committedSale(
      await recordSale(
        a.db,
        a.draft(1, (t) => [{ kind: 'card', amount: t, reference: 'PAY-1' }]),
      ),
    );
    const found = await find(a.db, '1');
    // Faulty goods may go back any way the customer likes, store credit included.
    const credit = await recordReturn(a.db, {
      found,
      lines: [{ lineNo: 1, qty: 1, reason: 'faulty', condition: 'damaged' }],
      method: 'store-credit',
      staff: a.staff,
      shiftId: a.shiftId,
    });
    if (!credit.ok || !credit.creditNote) throw new Error(credit.ok ? 'no note' : credit.message);
    const note = credit.creditNote;
    // The QR's face value checks at B before anything syncs only once B knows A's key: sync both.
    expect(await a.sync()).toBe('synced');
    expect(await b.sync()).toBe('synced');
    expect(await checkCreditNote(b.db, note.qr)).toMatchObject({ ok: true, balance: note.amount });
    expect(await checkCreditNote(b.db, note.code)).toMatchObject({
      ok: true,
      balance: note.amount,
    });

    // B takes half the note on a sale, the rest in cash.
    const half = Math.floor(note.amount / 2);
    const spend = b.draft(1, (t) => [
      { kind: 'store-credit', amount: half, code: note.code },
      { kind: 'cash', amount: t - half },
    ]);
    if (!(await recordSale(b.db, spend)).ok) throw new Error('the spend was refused');
    expect(await checkCreditNote(b.db, note.code)).toMatchObject({
      ok: true,
      balance: note.amount - half,
    });
    expect(await b.sync()).toBe('synced');
    // The spend reached the ledger: the pulled balance agrees, and A sees it too.
    expect(await checkCreditNote(b.db, note.code)).toMatchObject({
      ok: true,
      balance: note.amount - half,
    });
    expect(await a.sync()).toBe('synced');
    expect(await checkCreditNote(a.db, note.qr)).toMatchObject({
      ok: true,
      balance: note.amount - half,
    });
    // A spends the rest; then the note is refused as spent.
    const rest = a.draft(1, (t) => [
      { kind: 'store-credit', amount: note.amount - half, code: note.code },
      { kind: 'cash', amount: t - (note.amount - half) },
    ]);
    if (!(await recordSale(a.db, rest)).ok) throw new Error('the rest was refused');
    expect(await checkCreditNote(a.db, note.code)).toMatchObject({ ok: false, code: 'spent' });
    const overspend = a.draft(1, (t) => [
      { kind: 'store-credit', amount: 100, code: note.code },
      { kind: 'cash', amount: t - 100 },
    ]);
    expect(await recordSale(a.db, overspend)).toMatchObject({ ok: false, code: 'credit-refused' });
  });
});
