// Returns, exchanges and store credit against a real IndexedDB implementation (fake-indexeddb): never more than sold or paid, all or nothing.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { type CartLine, priceCart } from '../../shared/cart';
import { issueCode } from '../../shared/promo-code';
import { DEFAULT_RETURN_POLICY } from '../../shared/returns/policy-schema';
import { paidPerLine } from '../../shared/returns/refund';
import type { Sale } from '../../shared/sale';
import { pullResponseSchema } from '../../shared/sync';
import { settle, type Tender } from '../../shared/tender';
import { applyReturnsData } from '../sync/apply-pull';
import { loadCatalog } from './catalog-repo';
import { getSetting, openPosDb, type PosDb } from './db';
import { loadDropData } from './drops-repo';
import {
  checkCreditNote,
  findSaleForReturn,
  quoteReturn,
  type ReturnableSale,
  type ReturnDraft,
  type ReturnLineDraft,
  recordReturn,
} from './returns-repo';
import { committedSale, exchangeTenderAmount, recordSale, type SaleDraft } from './sales-repo';
import { openShift } from './shift-repo';
import { allStock, stockLevel } from './stock-levels';

let db: PosDb;
let dbCount = 0;
let shiftId: string;
const staff = { id: 'staff-aoife', name: 'Aoife' };
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
const [tee, teeM] = demo.products;
/** A cheaper item than a tee, so an exchange has a difference either way. */
const cap = demo.products.find((p) => p.price >= 500 && p.price < 2000);
const SOLD_AT = new Date('2026-12-01T12:00:00Z');
const NEXT_DAY = new Date('2026-12-02T12:00:00Z');

function line(p: (typeof demo.products)[number], qty: number, id: string): CartLine {
  return {
    lineId: id,
    sku: p.sku,
    name: p.name,
    unitPrice: p.price,
    qty,
    taxClassId: p.taxClassId,
  };
}

function saleDraft(lines: CartLine[], pay: (total: number) => Tender[]): SaleDraft {
  const cart = priceCart(lines, undefined, { pricesIncludeTax: true, taxRatesPpm });
  const tenders = pay(cart.total);
  const s = settle(cart.total, tenders, 5);
  if (!s.ok || !s.value.complete) throw new Error('not paid');
  return { cart, tenders, settlement: s.value, staff, shiftId };
}

async function sell(lines: CartLine[], pay: (total: number) => Tender[], now = SOLD_AT) {
  return committedSale(await recordSale(db, saleDraft(lines, pay), now));
}

const cash = (t: number): Tender[] => [{ kind: 'cash', amount: t }];

async function found(text: string): Promise<ReturnableSale> {
  const result = await findSaleForReturn(db, text);
  if (!result.ok) throw new Error(result.message);
  return result.found;
}

function returnDraft(
  f: ReturnableSale,
  lines: ReturnLineDraft[],
  method: ReturnDraft['method'] = 'original-tender',
): ReturnDraft {
  return { found: f, lines, method, staff, shiftId };
}

const back = (lineNo: number, qty: number, condition: 'resaleable' | 'damaged' = 'resaleable') =>
  ({ lineNo, qty, reason: condition === 'damaged' ? 'faulty' : 'wrong-size', condition }) as const;

/** Everything a refused write must leave as it was. */
async function snapshot() {
  return {
    returns: await db.returns.count(),
    sales: await db.sales.count(),
    outbox: await db.outbox.toArray(),
    stock: [...(await allStock(db))],
    settings: await db.settings.toArray(),
    credit: await db.creditIssued.count(),
    spends: await db.creditSpends.count(),
  };
}

/** Let every tier take every method, so store credit is allowed on a standard line. */
async function generousPolicy() {
  const store = (await getSetting(db, 'store'))!;
  const all = ['original-tender', 'store-credit', 'exchange'] as const;
  await db.settings.put({
    key: 'store',
    value: {
      ...store,
      returnPolicy: { ...DEFAULT_RETURN_POLICY, standard: { days: 14, methods: [...all] } },
    },
  });
}

beforeEach(async () => {
  db = openPosDb(`returns-${process.pid}-${++dbCount}`);
  await db.settings.put({
    key: 'device',
    value: { deviceId: 'device-1', prefix: 'T1', name: 'Till 1' },
  });
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
  const shift = await openShift(db, staff.id, 10_000, SOLD_AT);
  if (!shift.ok) throw new Error(shift.message);
  shiftId = shift.shift.id;
});

afterEach(async () => {
  await db.delete();
});

describe('findSaleForReturn', () => {
  it('finds this till’s sale by full or short receipt number or by the receipt QR, and says why not otherwise', async () => {
    const sale = await sell([line(tee!, 1, 'a')], cash);
    for (const text of ['T1-000001', 't1-1', ' 1 ', sale.id, sale.id.toLowerCase()]) {
      const result = await findSaleForReturn(db, text);
      expect(result.ok && result.found.sale.id).toBe(sale.id);
      expect(result.ok && result.found.source).toBe('this-till');
    }
    expect(await findSaleForReturn(db, 'banana!')).toMatchObject({ ok: false, code: 'invalid' });
    expect(await findSaleForReturn(db, 'T2-000009')).toMatchObject({
      ok: false,
      code: 'not-found',
    });
  });

  it('finds another till’s sale from the store index offline, counting its returns at other tills', async () => {
    const other = await sell([line(tee!, 3, 'a')], cash);
    // Pretend the sale was made on till 2: move it from this till's sales into the pulled index.
    const t2: Sale = { ...other, deviceId: 'device-2', receiptNumber: 'T2-000005' };
    await db.sales.delete(other.id);
    await applyReturnsData(
      db,
      pullResponseSchema.parse({
        cursor: 'c1',
        full: false,
        store: null,
        taxClasses: [],
        products: [],
        staff: [],
        stock: [],
        watermark: 0,
        storeSales: [t2],
        returnedLines: [{ saleId: t2.id, lineNo: 1, qty: 2 }],
      }),
      NEXT_DAY,
    );
    const f = await found('T2-5');
    expect(f.source).toBe('store-index');
    const quote = await quoteReturn(db, f, [back(1, 2)], { now: NEXT_DAY });
    expect(quote.refusals[0]?.message).toMatch(
      /Only 1 of .* can come back: 3 sold, 2 already returned/,
    );
    const before = await snapshot();
    const refused = await recordReturn(db, returnDraft(f, [back(1, 2)]), NEXT_DAY);
    expect(refused.ok).toBe(false);
    expect(await snapshot()).toEqual(before);
    const ok = await recordReturn(db, returnDraft(f, [back(1, 1)]), NEXT_DAY);
    expect(ok.ok).toBe(true);
  });

  it('asks the ledger for a sale it does not hold, and trusts its returned counts', async () => {
    const sale = await sell([line(cap!, 2, 'a')], cash);
    await db.sales.delete(sale.id);
    const remote = { ...sale, deviceId: 'device-3', receiptNumber: 'T3-000001' };
    const asked: string[] = [];
    const result = await findSaleForReturn(db, 't3-1', {
      lookup: async (key) => {
        asked.push(key);
        return key === 'T3-000001'
          ? { sale: remote, returnedLines: [{ saleId: sale.id, lineNo: 1, qty: 2 }] }
          : null;
      },
    });
    expect(asked).toEqual(['T3-000001']);
    if (!result.ok) throw new Error(result.message);
    expect(result.found.source).toBe('ledger');
    const quote = await quoteReturn(db, result.found, [back(1, 1)], { now: NEXT_DAY });
    expect(quote.refusals[0]?.message).toMatch(/already been returned/);
    const missing = await findSaleForReturn(db, 'T3-000002', { lookup: async () => null });
    expect(missing).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('recordReturn', () => {
  it('refunds what was paid to the drawer, puts resaleable units back and writes off damaged ones', async () => {
    const sale = await sell([line(tee!, 2, 'a'), line(cap!, 1, 'b')], (t) => [
      { kind: 'cash', amount: t + 1000 },
    ]);
    const teeStock = (await stockLevel(db, tee!.sku))!;
    const capStock = (await stockLevel(db, cap!.sku))!;
    const f = await found('1');
    const result = await recordReturn(
      db,
      returnDraft(f, [back(1, 2), back(2, 1, 'damaged')]),
      NEXT_DAY,
    );
    if (!result.ok) throw new Error(result.message);
    const r = result.saleReturn;
    expect(r.returnNumber).toBe('T1-R-000001');
    expect(r.refundTotal).toBe(paidPerLine(sale).reduce((a, b) => a + b, 0));
    expect(r.refunds).toEqual([{ kind: 'cash', amount: r.refundTotal }]);
    expect((await stockLevel(db, tee!.sku))!).toBe(teeStock + 2);
    expect((await stockLevel(db, cap!.sku))!).toBe(capStock);
    const fact = await db.outbox.where('eventId').equals(r.id).first();
    expect(fact?.type).toBe('sale.returned');
    expect((await db.returns.where('saleId').equals(sale.id).toArray()).map((x) => x.id)).toEqual([
      r.id,
    ]);
    const again = await recordReturn(db, returnDraft(await found('1'), [back(1, 1)]), NEXT_DAY);
    expect(again).toMatchObject({ ok: false, code: 'refused' });
  });

  it('never returns more than sold nor refunds more than paid, over any sequence of returns (own and other tills’)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            lineNo: fc.integer({ min: 1, max: 2 }),
            qty: fc.integer({ min: 1, max: 4 }),
            elsewhere: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (steps) => {
          await db.returns.clear();
          await db.returnedLines.clear();
          const sale = await sell([line(tee!, 3, 'a'), line(teeM!, 2, 'b')], (t) => [
            { kind: 'card', amount: t, reference: `PAY-${t}` },
          ]);
          const paid = sale.total + sale.rounding;
          let refs = 0;
          for (const step of steps) {
            if (step.elsewhere) {
              // Another till returned units: the ledger's count arrives with the next pull.
              const existing = await db.returnedLines.get([sale.id, step.lineNo]);
              const own = (await db.returns.where('saleId').equals(sale.id).toArray())
                .flatMap((r) => r.lines)
                .filter((l) => l.lineNo === step.lineNo)
                .reduce((n, l) => n + l.qty, 0);
              const sold = sale.lines[step.lineNo - 1]!.qty;
              const qty = Math.min(step.qty, sold - own - (existing?.qty ?? 0));
              if (qty > 0)
                await db.returnedLines.put({
                  saleId: sale.id,
                  lineNo: step.lineNo,
                  qty: (existing?.qty ?? 0) + qty,
                });
              continue;
            }
            const f = await found(sale.id);
            const draft = {
              ...returnDraft(f, [back(step.lineNo, step.qty)]),
              cardRefundReferences: [`RF-${++refs}`],
            };
            await recordReturn(db, draft, NEXT_DAY);
          }
          const returns = await db.returns.where('saleId').equals(sale.id).toArray();
          for (const lineNo of [1, 2]) {
            const own = returns.flatMap((r) => r.lines).filter((l) => l.lineNo === lineNo);
            const elsewhere = (await db.returnedLines.get([sale.id, lineNo]))?.qty ?? 0;
            expect(own.reduce((n, l) => n + l.qty, 0) + elsewhere).toBeLessThanOrEqual(
              sale.lines[lineNo - 1]!.qty,
            );
          }
          const refunded = returns.reduce(
            (n, r) => n + r.refunds.reduce((m, t) => m + t.amount, 0),
            0,
          );
          expect(refunded).toBeLessThanOrEqual(paid);
          const refsUsed = returns.flatMap((r) =>
            r.refunds.flatMap((t) => (t.kind === 'card' ? [t.reference] : [])),
          );
          expect(new Set(refsUsed).size).toBe(refsUsed.length);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses a return outside the window unless a manager overrides it with a reason, and records the override', async () => {
    await sell([line(tee!, 1, 'a')], cash);
    const late = new Date('2026-12-20T12:00:00Z');
    const f = await found('1');
    const before = await snapshot();
    const refused = await recordReturn(db, returnDraft(f, [back(1, 1)]), late);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/within 14 days: this sale was 19 days ago/);
    expect(await snapshot()).toEqual(before);
    const weak = await recordReturn(
      db,
      { ...returnDraft(f, [back(1, 1)]), override: { approvedBy: 'mgr-1', reason: '' } },
      late,
    );
    expect(weak).toMatchObject({ ok: false });
    const approved = await recordReturn(
      db,
      {
        ...returnDraft(f, [back(1, 1)]),
        override: { approvedBy: 'mgr-1', reason: 'Customer was abroad' },
      },
      late,
    );
    if (!approved.ok) throw new Error(approved.message);
    expect(approved.saleReturn.override).toEqual({
      approvedBy: 'mgr-1',
      reason: 'Customer was abroad',
    });
  });

  it('needs a refund reference for each card part, and never the same one twice for a sale', async () => {
    await sell([line(tee!, 2, 'a')], (t) => [{ kind: 'card', amount: t, reference: 'PAY-1' }]);
    const f = await found('1');
    expect(await recordReturn(db, returnDraft(f, [back(1, 1)]), NEXT_DAY)).toMatchObject({
      ok: false,
      code: 'card-reference-missing',
    });
    const first = await recordReturn(
      db,
      { ...returnDraft(f, [back(1, 1)]), cardRefundReferences: ['RF-9'] },
      NEXT_DAY,
    );
    expect(first.ok && first.saleReturn.refunds).toEqual([
      { kind: 'card', amount: expect.any(Number), reference: 'RF-9' },
    ]);
    const second = await recordReturn(
      db,
      { ...returnDraft(await found('1'), [back(1, 1)]), cardRefundReferences: ['RF-9'] },
      NEXT_DAY,
    );
    expect(second).toMatchObject({ ok: false, code: 'card-reference-reused' });
  });

  it('refuses an exchange without a new sale, and a method the policy does not allow', async () => {
    await sell([line(tee!, 1, 'a')], cash);
    const f = await found('1');
    expect(
      await recordReturn(db, returnDraft(f, [back(1, 1)], 'exchange'), NEXT_DAY),
    ).toMatchObject({
      ok: false,
      code: 'exchange-needs-sale',
    });
    expect(
      await recordReturn(db, returnDraft(f, [back(1, 1)], 'store-credit'), NEXT_DAY),
    ).toMatchObject({
      ok: false,
      code: 'method-not-allowed',
    });
  });
});

describe('store credit', () => {
  async function creditFor(qty: number) {
    await generousPolicy();
    await sell([line(tee!, qty, 'a')], cash);
    const result = await recordReturn(
      db,
      returnDraft(await found('1'), [back(1, qty)], 'store-credit'),
      NEXT_DAY,
    );
    if (!result.ok || !result.creditNote) throw new Error(result.ok ? 'no note' : result.message);
    return result.creditNote;
  }

  it('issues a credit note on a standalone till, spent in parts, then refused when empty', async () => {
    const note = await creditFor(2);
    expect(note.code).toMatch(/^CR-/);
    expect(note.amount).toBe(2 * tee!.price);
    expect(await checkCreditNote(db, note.code.toLowerCase())).toEqual({
      ok: true,
      code: note.code,
      balance: note.amount,
      currency: 'EUR',
    });
    const capSale = saleDraft([line(cap!, 1, 'c')], (t) => [
      { kind: 'store-credit', amount: t, code: note.code },
    ]);
    const spent = await recordSale(db, capSale, NEXT_DAY);
    if (!spent.ok) throw new Error(spent.message);
    const left = note.amount - spent.sale.total;
    expect(await checkCreditNote(db, note.qr)).toMatchObject({ ok: true, balance: left });
    // More than is left: refused, and nothing written.
    const tooMuch = saleDraft([line(tee!, 2, 'd')], (t) => [
      { kind: 'store-credit', amount: Math.min(t, left + 1), code: note.code },
      ...(t > left + 1 ? [{ kind: 'cash' as const, amount: t - left - 1 }] : []),
    ]);
    const before = await snapshot();
    const refused = await recordSale(db, tooMuch, NEXT_DAY);
    expect(refused).toMatchObject({ ok: false, code: 'credit-refused' });
    expect(await snapshot()).toEqual(before);
    const rest = saleDraft([line(tee!, 2, 'e')], (t) => [
      { kind: 'store-credit', amount: left, code: note.code },
      { kind: 'cash', amount: t - left },
    ]);
    expect((await recordSale(db, rest, NEXT_DAY)).ok).toBe(true);
    expect(await checkCreditNote(db, note.code)).toMatchObject({ ok: false, code: 'spent' });
  });

  it('refuses a typo, a code it did not issue, and a QR whose amount was altered', async () => {
    const note = await creditFor(1);
    const last = note.code.at(-1)!;
    const typo = note.code.slice(0, -1) + (last === '0' ? '1' : '0');
    expect(await checkCreditNote(db, typo)).toMatchObject({ ok: false, code: 'typo' });
    const forged = issueCode({
      campaign: { id: 'store-credit', prefix: 'CR' },
      deviceNo: 1,
      seq: 999,
      key: { secret: 'c29tZS1vdGhlci1zZWNyZXQta2V5' },
    });
    expect(await checkCreditNote(db, forged)).toMatchObject({ ok: false, code: 'tampered' });
    const parts = note.qr.split('.');
    parts[2] = String(note.amount * 10);
    expect(await checkCreditNote(db, parts.join('.'))).toMatchObject({
      ok: false,
      code: 'tampered',
    });
    expect(await checkCreditNote(db, 'MAYA-7K3M-Q9XT-4H2B-C1R0')).toMatchObject({ ok: false });
    const capSale = saleDraft([line(cap!, 1, 'c')], (t) => [
      { kind: 'store-credit', amount: t, code: forged },
    ]);
    expect(await recordSale(db, capSale, NEXT_DAY)).toMatchObject({
      ok: false,
      code: 'credit-refused',
    });
  });

  it('counts the ledger’s balance from pull, less what this till spent since', async () => {
    const note = await creditFor(2);
    await db.settings.put({
      key: 'sync',
      value: {
        cursor: 'c',
        lastSuccessAt: NEXT_DAY.toISOString(),
        lastAttemptAt: null,
        lastError: null,
        needsEnrolment: false,
        snapshot: null,
        nextAttemptAt: null,
      },
    });
    // The ledger says another till spent 1000 of it.
    await db.creditNotes.put({
      code: note.code,
      currency: 'EUR',
      issued: note.amount,
      spent: 1000,
      issuedAt: NEXT_DAY.toISOString(),
      returnId: 'r',
    });
    expect(await checkCreditNote(db, note.code)).toMatchObject({
      ok: true,
      balance: note.amount - 1000,
    });
    // A note the ledger holds in another currency is not spendable here.
    await db.creditNotes.put({ ...(await db.creditNotes.get(note.code))!, currency: 'GBP' });
    expect(await checkCreditNote(db, note.code)).toMatchObject({ ok: false, code: 'currency' });
  });
});

describe('a credit note the ledger stopped listing', () => {
  it('is spent in full once its return synced and a later pull left it out', async () => {
    await generousPolicy();
    await sell([line(tee!, 1, 'a')], cash);
    const result = await recordReturn(
      db,
      returnDraft(await found('1'), [back(1, 1)], 'store-credit'),
      NEXT_DAY,
    );
    if (!result.ok || !result.creditNote) throw new Error('no credit note');
    const code = result.creditNote.code;
    await db.settings.put({ key: 'mode', value: 'ledger' });
    const synced = (at: Date) =>
      db.settings.put({
        key: 'sync',
        value: {
          cursor: 'c',
          lastSuccessAt: at.toISOString(),
          lastAttemptAt: null,
          lastError: null,
          needsEnrolment: false,
          snapshot: null,
          nextAttemptAt: null,
        },
      });
    // Still queued: the ledger cannot list it yet, so its face value stands.
    await synced(new Date('2026-12-03T12:00:00Z'));
    expect(await checkCreditNote(db, code)).toMatchObject({
      ok: true,
      balance: result.creditNote.amount,
    });
    // Pushed, and a later pull did not list it.
    await db.outbox.clear();
    expect(await checkCreditNote(db, code)).toMatchObject({ ok: false, code: 'spent' });
  });
});

describe('exchange', () => {
  it('writes the return and the new sale together, the new sale paid partly by the returned goods', async () => {
    const old = await sell([line(cap!, 1, 'a')], cash);
    const f = await found('1');
    const quote = await quoteReturn(db, f, [back(1, 1)], { now: NEXT_DAY });
    const cart = priceCart([line(tee!, 1, 'x')], undefined, {
      pricesIncludeTax: true,
      taxRatesPpm,
    });
    const taken = exchangeTenderAmount(quote.refundTotal, cart.total);
    const tenders: Tender[] = [
      { kind: 'exchange', amount: taken, returnId: 'pending' },
      { kind: 'cash', amount: cart.total - taken },
    ];
    const s = settle(cart.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    const exchange = { found: f, lines: [back(1, 1)] };
    const draft: SaleDraft = { cart, tenders, settlement: s.value, staff, shiftId, exchange };

    const wrong = {
      ...draft,
      tenders: [{ ...tenders[0]!, amount: taken - 1 } as Tender, tenders[1]!],
    };
    const before = await snapshot();
    expect(await recordSale(db, wrong, NEXT_DAY)).toMatchObject({
      ok: false,
      code: 'exchange-changed',
    });
    expect(await snapshot()).toEqual(before);

    const result = await recordSale(db, draft, NEXT_DAY);
    if (!result.ok) throw new Error(result.message);
    const ret = result.saleReturn!;
    expect(ret.exchangeSaleId).toBe(result.sale.id);
    expect(ret.saleId).toBe(old.id);
    expect(result.sale.tenders[0]).toEqual({ kind: 'exchange', amount: taken, returnId: ret.id });
    expect(result.creditNote).toBeNull();
    const facts = await db.outbox.where('eventId').anyOf([ret.id, result.sale.id]).toArray();
    expect(facts.map((x) => x.type).sort()).toEqual(['sale.completed', 'sale.returned']);
  });

  it('writes neither the return nor the sale when any part of the exchange is refused', async () => {
    await sell([line(cap!, 1, 'a')], cash);
    const f = await found('1');
    const quote = await quoteReturn(db, f, [back(1, 1)], { now: NEXT_DAY });
    const cart = priceCart([line(tee!, 1, 'x')], undefined, {
      pricesIncludeTax: true,
      taxRatesPpm,
    });
    const taken = exchangeTenderAmount(quote.refundTotal, cart.total);
    // The rest is paid with a credit note this store never issued.
    const forged = issueCode({
      campaign: { id: 'store-credit', prefix: 'CR' },
      deviceNo: 1,
      seq: 77,
      key: { secret: 'c29tZS1vdGhlci1zZWNyZXQta2V5' },
    });
    const tenders: Tender[] = [
      { kind: 'exchange', amount: taken, returnId: 'pending' },
      { kind: 'store-credit', amount: cart.total - taken, code: forged },
    ];
    const s = settle(cart.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    const before = await snapshot();
    const result = await recordSale(
      db,
      {
        cart,
        tenders,
        settlement: s.value,
        staff,
        shiftId,
        exchange: { found: f, lines: [back(1, 1)] },
      },
      NEXT_DAY,
    );
    expect(result).toMatchObject({ ok: false, code: 'credit-refused' });
    expect(await snapshot()).toEqual(before);
    // And goods already returned in full cannot come back again as an exchange.
    expect((await recordReturn(db, returnDraft(f, [back(1, 1)]), NEXT_DAY)).ok).toBe(true);
    const twice = await recordSale(
      db,
      {
        cart,
        tenders: [tenders[0]!, { kind: 'cash', amount: cart.total - taken }],
        settlement: s.value,
        staff,
        shiftId,
        exchange: { found: f, lines: [back(1, 1)] },
      },
      NEXT_DAY,
    );
    expect(twice).toMatchObject({ ok: false, code: 'exchange-refused' });
    expect(!twice.ok && twice.message).toMatch(/already been returned/);
  });

  it('gives store credit, not cash, for returned goods worth more than the new ones', async () => {
    await sell([line(tee!, 2, 'a')], cash);
    const f = await found('1');
    const quote = await quoteReturn(db, f, [back(1, 2)], { now: NEXT_DAY });
    const cart = priceCart([line(cap!, 1, 'x')], undefined, {
      pricesIncludeTax: true,
      taxRatesPpm,
    });
    const taken = exchangeTenderAmount(quote.refundTotal, cart.total);
    expect(taken).toBe(cart.total);
    const tenders: Tender[] = [{ kind: 'exchange', amount: taken, returnId: 'pending' }];
    const s = settle(cart.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    const result = await recordSale(
      db,
      {
        cart,
        tenders,
        settlement: s.value,
        staff,
        shiftId,
        exchange: { found: f, lines: [back(1, 2)] },
      },
      NEXT_DAY,
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.creditNote?.amount).toBe(quote.refundTotal - cart.total);
    expect(result.saleReturn!.refunds).toEqual([
      {
        kind: 'store-credit',
        amount: quote.refundTotal - cart.total,
        code: result.creditNote!.code,
      },
    ]);
    expect(result.saleReturn!.refunds.some((t) => t.kind === 'cash')).toBe(false);
  });
});

describe('drop units coming back', () => {
  it('go back to this till’s allotment while the drop runs, as the ledger will count them; damaged ones do not', async () => {
    const sale = await sell([line(tee!, 3, 'a')], cash);
    const dropLine = {
      ...sale.lines[0]!,
      drop: { dropId: 'riso', step: 1, tier: 'everyone', fastFulfilment: false },
    };
    await db.sales.put({ ...sale, lines: [dropLine] });
    const riso = {
      id: 'riso',
      name: 'Riso Drop',
      startsAt: '2026-11-30T10:00:00.000Z',
      endsAt: '2026-12-10T10:00:00.000Z',
      access: [],
      perCustomerLimit: null,
      restockAt: null,
      allotments: 'auto' as const,
      status: 'scheduled' as const,
      items: [{ sku: tee!.sku, quantity: 10, ladder: [] }],
    };
    await db.drops.put(riso);
    await db.outbox.clear(); // the sale reached the ledger; its units are in the pulled allotment
    const store = (await getSetting(db, 'store'))!;
    await db.settings.put({
      key: 'store',
      value: {
        ...store,
        returnPolicy: { ...DEFAULT_RETURN_POLICY, drop: { days: 7, methods: ['original-tender'] } },
      },
    });
    const result = await recordReturn(
      db,
      returnDraft(await found('1'), [
        back(1, 2),
        { lineNo: 1, qty: 1, reason: 'faulty', condition: 'damaged' },
      ]),
      NEXT_DAY,
    );
    if (!result.ok) throw new Error(result.message);
    const data = await loadDropData(db);
    expect(data.unsyncedItem.get(`riso|${tee!.sku}`)).toBe(-2);
    // Once the drop has ended, units coming back stay plain stock.
    await db.drops.put({ ...riso, endsAt: '2026-12-01T13:00:00.000Z' });
    expect((await loadDropData(db)).unsyncedItem.get(`riso|${tee!.sku}`) ?? 0).toBe(0);
  });
});
