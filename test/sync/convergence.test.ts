/// <reference types="vite/client" />
// 500 sales through a network that drops, delays, answers 502 and cuts answers after the ledger committed: exactly 500 arrive.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { getSetting, openPosDb, type PosDb } from '../../renderer/db/db';
import { allProducts } from '../../renderer/db/product-pages';
import { committedSale, recordSale, type SaleDraft } from '../../renderer/db/sales-repo';
import { openShift } from '../../renderer/db/shift-repo';
import { stockLevel } from '../../renderer/db/stock-levels';
import { SyncEngine, type SyncOutcome } from '../../renderer/sync/engine';
import { enrolTill } from '../../renderer/sync/enrol';
import { readDeviceToken } from '../../renderer/sync/token';
import { priceCart } from '../../shared/cart';
import { settle, type Tender } from '../../shared/tender';
import {
  ADMIN_TOKEN,
  openingStock,
  rng,
  startLedger,
  stockLevels,
  type TestLedger,
} from '../ledger/fixtures';
import { FAULT_KINDS, type FaultProxy, startFaultProxy } from './fault-proxy';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
vi.hoisted(() => vi.stubGlobal('window', globalThis));

const SALES = 500;

let ledger: TestLedger;
let proxy: FaultProxy;
let db: PosDb;

beforeAll(async () => {
  ledger = await startLedger('sqlite');
  proxy = await startFaultProxy({
    target: ledger.url,
    random: rng(20_261_125),
    faultRate: 0.4,
    maxFaults: 80,
  });
  db = openPosDb(`convergence-${process.pid}-${Date.now()}`);
});

afterAll(async () => {
  await db?.delete();
  await proxy?.close();
  await ledger?.close();
});

/** What a cashier can ring up: the pulled catalog, tax rates, store rules and a staff member. */
async function shelf(db: PosDb) {
  const store = await getSetting(db, 'store');
  const staff = await db.staff.toCollection().first();
  if (!store || !staff) throw new Error('the snapshot brought no store settings or staff');
  const taxClasses = await db.taxClasses.toArray();
  return {
    store,
    staff: { id: staff.id, name: staff.name },
    // A few dozen SKUs, so sales keep landing on the same stock rows.
    products: (await allProducts(db)).filter((p) => p.active).slice(0, 40),
    taxRatesPpm: Object.fromEntries(taxClasses.map((t) => [t.id, t.ratePpm])),
  };
}

function draft(
  s: Awaited<ReturnType<typeof shelf>>,
  shiftId: string,
  random: () => number,
): SaleDraft {
  const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, j) => {
    const p = s.products[Math.floor(random() * s.products.length)]!;
    return {
      lineId: `L${j}`,
      sku: p.sku,
      name: p.name,
      unitPrice: p.price,
      qty: 1 + Math.floor(random() * 2),
      taxClassId: p.taxClassId,
    };
  });
  const cart = priceCart(lines, undefined, {
    pricesIncludeTax: s.store.pricesIncludeTax,
    taxRatesPpm: s.taxRatesPpm,
  });
  const tenders: Tender[] =
    random() < 0.5
      ? [{ kind: 'cash', amount: Math.ceil(cart.total / 500) * 500 + 500 }]
      : [{ kind: 'card', amount: cart.total, reference: 'AUTH' }];
  const settled = settle(cart.total, tenders, s.store.cashRounding);
  if (!settled.ok) throw new Error(settled.message);
  return { cart, tenders, settlement: settled.value, staff: s.staff, shiftId };
}

async function expectTillShowsLedgerStock() {
  for (const [sku, qty] of await stockLevels(ledger))
    expect(await stockLevel(db, sku), sku).toBe(qty);
}

it('500 sales sold through a flaky network reach the ledger exactly once, and stock agrees', async () => {
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  expect(
    await enrolTill(db, { url: proxy.url, pairingCode: code.body.code, name: 'Stall till' }),
  ).toEqual({ ok: true });
  const engine = new SyncEngine({ db, token: () => readDeviceToken(db), random: rng(3) });
  expect(await engine.syncOnce()).toBe('synced');
  expect((await allProducts(db)).length).toBeGreaterThan(0);

  const goods = await shelf(db);
  const shift = await openShift(db, goods.staff.id, 10_000);
  if (!shift.ok) throw new Error(shift.message);

  // The stall keeps selling between syncs, in waves of 1–20 sales, while the network misbehaves.
  proxy.inject(true);
  const random = rng(11);
  const outcomes: SyncOutcome[] = [];
  let sold = 0;
  while (sold < SALES) {
    const wave = Math.min(SALES - sold, 1 + Math.floor(random() * 20));
    for (let i = 0; i < wave; i++)
      committedSale(await recordSale(db, draft(goods, shift.shift.id, random)));
    sold += wave;
    const outcome = await engine.syncOnce();
    outcomes.push(outcome);
    // After every good sync the till shows the ledger's stock: no sale counted twice or missed.
    if (outcome === 'synced') await expectTillShowsLedgerStock();
  }
  // Retrying straight away stands in for the backoff timer: the queue must drain.
  for (let round = 0; (await db.outbox.count()) > 0; round++) {
    if (round >= 100) throw new Error(`the outbox never drained: ${await db.outbox.count()} left`);
    outcomes.push(await engine.syncOnce());
  }
  proxy.inject(false);
  expect(await engine.syncOnce()).toBe('synced');

  // The run proves something only if every kind of fault happened, a committed push's answer
  // among them, and the till saw failures.
  for (const kind of FAULT_KINDS) expect(proxy.counts[kind], kind).toBeGreaterThan(0);
  expect(proxy.committedPushesCut).toBeGreaterThan(0);
  expect(outcomes).toContain('failed');

  const device = await getSetting(db, 'device');
  const { db: ledgerDb } = ledger.database;
  const onLedger = await ledgerDb
    .selectFrom('sales')
    .select('receipt_number')
    .where('device_id', '=', device!.deviceId)
    .execute();
  expect(onLedger).toHaveLength(SALES);
  expect(new Set(onLedger.map((s) => s.receipt_number)).size).toBe(SALES);
  const local = await db.sales.toArray();
  expect(onLedger.map((s) => s.receipt_number).sort()).toEqual(
    local.map((s) => s.receiptNumber).sort(),
  );
  const rejected = await ledgerDb
    .selectFrom('events')
    .select('id')
    .where('device_id', '=', device!.deviceId)
    .where('status', '=', 'rejected')
    .execute();
  expect(rejected).toEqual([]);

  expect(await db.outbox.count()).toBe(0);
  expect(await db.quarantine.count()).toBe(0);
  expect((await getSetting(db, 'sync'))?.lastError).toBeNull();

  // Each sale moved stock once on the ledger, and the till shows the ledger's level.
  const unitsSold = new Map<string, number>();
  for (const sale of local)
    for (const l of sale.lines) unitsSold.set(l.sku, (unitsSold.get(l.sku) ?? 0) + l.qty);
  const levels = await stockLevels(ledger);
  for (const [sku, units] of unitsSold)
    expect(levels.get(sku), sku).toBe((openingStock[sku] ?? 0) - units);
  await expectTillShowsLedgerStock();

  console.info(
    `fault proxy: ${proxy.requests} requests, faults ${JSON.stringify(proxy.counts)}, ` +
      `${proxy.committedPushesCut} committed pushes cut; till outcomes: ` +
      `${outcomes.filter((o) => o === 'synced').length} synced, ` +
      `${outcomes.filter((o) => o === 'failed').length} failed`,
  );
});
