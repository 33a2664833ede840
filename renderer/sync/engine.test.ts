// The sync engine against the real ledger over HTTP: quarantine, re-enrolment, big batches, backoff, and stock net of unsynced sales.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { priceCart } from '../../shared/cart';
import type { Sale } from '../../shared/sale';
import { MAX_PUSH_BYTES } from '../../shared/sync';
import { settle, type Tender } from '../../shared/tender';
import {
  ADMIN_TOKEN,
  openingStock,
  products,
  rng,
  startLedger,
  stockLevels,
  type TestLedger,
} from '../../test/ledger/fixtures';
import { getSetting, type OutboxRow, openPosDb, type PosDb, type ProductRow } from '../db/db';
import { recordSale, type SaleDraft } from '../db/sales-repo';
import { openShift } from '../db/shift-repo';
import { backoffMs, SyncEngine } from './engine';
import { enrolTill } from './enrol';
import { readDeviceToken } from './token';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
vi.hoisted(() => vi.stubGlobal('window', globalThis));

let ledger: TestLedger;
let db: PosDb;
let dbCount = 0;

beforeEach(async () => {
  ledger = await startLedger('sqlite');
  db = openPosDb(`engine-${process.pid}-${++dbCount}`);
});

afterEach(async () => {
  await db.delete();
  await ledger.close();
});

/** The ledger is unreachable: every request fails like a dead network does. */
const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};

/** Real fetch, with each request's path, status and body size noted. */
function watched() {
  const calls: { path: string; status: number; bytes: number }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const bytes = typeof init?.body === 'string' ? Buffer.byteLength(init.body) : 0;
    calls.push({ path: new URL(String(input)).pathname, status: res.status, bytes });
    return res;
  };
  return { calls, fetchImpl };
}

function engineFor(options: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) {
  return new SyncEngine({ db, token: () => readDeviceToken(db), ...options });
}

/** An enrolled till with its first snapshot and an open shift, ready to sell. */
async function sellingTill() {
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  expect(
    await enrolTill(db, { url: ledger.url, pairingCode: code.body.code, name: 'Till' }),
  ).toEqual({ ok: true });
  expect(await engineFor().syncOnce()).toBe('synced');
  const store = await getSetting(db, 'store');
  const member = await db.staff.toCollection().first();
  const device = await getSetting(db, 'device');
  if (!store || !member || !device) throw new Error('the snapshot is incomplete');
  const staff = { id: member.id, name: member.name };
  const shift = await openShift(db, staff.id, 10_000);
  if (!shift.ok) throw new Error(shift.message);
  const active = (await db.products.toArray()).filter((p) => p.active);
  const onShelf = active.slice(0, 30);
  /** A product the random sales never touch. */
  const rare = active[40]!;
  const taxRatesPpm = Object.fromEntries(
    (await db.taxClasses.toArray()).map((t) => [t.id, t.ratePpm]),
  );
  const random = rng(42);

  /** Ring up and pay for a sale: `n` random lines from the pulled catalog, or one of each given product. */
  const sell = async (what: number | readonly ProductRow[] = 1 + Math.floor(random() * 3)) => {
    const picked =
      typeof what === 'number'
        ? Array.from(
            { length: what },
            (_, j) => onShelf[(Math.floor(random() * onShelf.length) + j) % onShelf.length]!,
          )
        : what;
    const lines = picked.map((p, j) => ({
      lineId: `L${j}`,
      sku: p.sku,
      name: p.name,
      unitPrice: p.price,
      qty: typeof what === 'number' ? 1 + Math.floor(random() * 2) : 1,
      taxClassId: p.taxClassId,
    }));
    const cart = priceCart(lines, undefined, {
      pricesIncludeTax: store.pricesIncludeTax,
      taxRatesPpm,
    });
    const tenders: Tender[] = [{ kind: 'card', amount: cart.total, reference: 'AUTH' }];
    const settled = settle(cart.total, tenders, store.cashRounding);
    if (!settled.ok) throw new Error(settled.message);
    const draft: SaleDraft = {
      cart,
      tenders,
      settlement: settled.value,
      staff,
      shiftId: shift.shift.id,
    };
    return recordSale(db, draft);
  };
  return { device, sell, rare };
}

async function ledgerReceipts(deviceId: string): Promise<string[]> {
  const rows = await ledger.database.db
    .selectFrom('sales')
    .select('receipt_number')
    .where('device_id', '=', deviceId)
    .orderBy('receipt_number')
    .execute();
  return rows.map((r) => r.receipt_number);
}

/** Units of each SKU in the sales still waiting in the outbox. */
async function unsyncedUnits(): Promise<Map<string, number>> {
  const units = new Map<string, number>();
  for (const row of await db.outbox.toArray()) {
    if (row.type !== 'sale.completed') continue;
    for (const l of (row.payload as { lines: { sku: string; qty: number }[] }).lines)
      units.set(l.sku, (units.get(l.sku) ?? 0) + l.qty);
  }
  return units;
}

/** The till's stock of every SKU is the ledger's level less `pending` units of it. */
async function expectTillStock(pending: ReadonlyMap<string, number>) {
  const levels = await stockLevels(ledger);
  expect(levels.size).toBeGreaterThan(0);
  for (const [sku, qty] of levels)
    expect((await db.stock.get(sku))?.qty, sku).toBe(qty - (pending.get(sku) ?? 0));
}

/** Each sale moved the ledger's stock once, and the till shows the ledger's level. */
async function expectCountedOnce(sales: readonly Sale[]) {
  const sold = new Map<string, number>();
  for (const s of sales) for (const l of s.lines) sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.qty);
  const levels = await stockLevels(ledger);
  for (const [sku, qty] of levels) {
    expect(qty, sku).toBe((openingStock[sku] ?? 0) - (sold.get(sku) ?? 0));
    expect((await db.stock.get(sku))?.qty, sku).toBe(qty);
  }
}

async function outboxRowOf(eventId: string): Promise<OutboxRow> {
  const row = await db.outbox.where('eventId').equals(eventId).first();
  if (!row) throw new Error(`no outbox row for ${eventId}`);
  return row;
}

describe('a fact the ledger will not take', () => {
  it('is quarantined with the ledger’s reason, and the sales behind it still reach the ledger', async () => {
    const { device, sell } = await sellingTill();
    const [first, bad, last] = [await sell(), await sell(), await sell()];
    // A corrupted total the ledger's sale schema refuses.
    const row = await outboxRowOf(bad.id);
    await db.outbox.put({ ...row, payload: { ...bad, total: -1 } });

    expect(await engineFor().syncOnce()).toBe('synced');

    const stored = await ledger.database.db
      .selectFrom('events')
      .select(['status', 'reason'])
      .where('id', '=', bad.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('rejected');
    const quarantined = await db.quarantine.toArray();
    expect(quarantined.map((q) => [q.eventId, q.reason])).toEqual([[bad.id, stored.reason]]);
    expect(quarantined[0]?.reason).toMatch(/total/);
    expect(await ledgerReceipts(device.deviceId)).toEqual([
      first.receiptNumber,
      last.receiptNumber,
    ]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('when it makes the ledger refuse the whole batch, is found by splitting and set aside alone', async () => {
    const { device, sell } = await sellingTill();
    const sales = [];
    for (let i = 0; i < 9; i++) sales.push(await sell());
    const bad = sales[4]!;
    // A broken envelope (not a payload): the ledger answers 400 for the batch that carries it.
    const row = await outboxRowOf(bad.id);
    await db.outbox.put({ ...row, createdAt: 'yesterday afternoon' });

    expect(await engineFor().syncOnce()).toBe('synced');

    const quarantined = await db.quarantine.toArray();
    expect(quarantined.map((q) => q.eventId)).toEqual([bad.id]);
    expect(quarantined[0]?.reason).toMatch(/^The ledger refused it: /);
    expect(await ledgerReceipts(device.deviceId)).toEqual(
      sales.filter((s) => s !== bad).map((s) => s.receiptNumber),
    );
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('a revoked till', () => {
  it('is told to enrol again, keeps its sales and stops calling the ledger', async () => {
    const { device, sell } = await sellingTill();
    const revoked = await ledger.call(
      'POST',
      `/api/v1/devices/${device.deviceId}/revoke`,
      ADMIN_TOKEN,
    );
    expect(revoked.status).toBe(200);
    const sale = await sell();

    const { calls, fetchImpl } = watched();
    const engine = engineFor({ fetchImpl, intervalMs: 10 });
    engine.start();
    await vi.waitFor(async () => expect((await getSetting(db, 'sync'))?.needsEnrolment).toBe(true));
    // With a 10 ms interval, a till that kept going would have called many times by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    engine.stop();

    expect(calls).toEqual([{ path: '/api/v1/sync/push', status: 401, bytes: expect.any(Number) }]);
    const state = await getSetting(db, 'sync');
    expect(state?.lastError).toMatch(/enrol/i);
    expect(state?.nextAttemptAt).toBeNull();
    expect((await db.outbox.toArray()).map((r) => r.eventId)).toContain(sale.id);
    expect(await ledgerReceipts(device.deviceId)).toEqual([]);
  });
});

describe('a queue bigger than one push', () => {
  it('goes in batches under 1 MiB, and all 600 large sales arrive', async () => {
    const { device, sell } = await sellingTill();
    const sold = [];
    for (let i = 0; i < 600; i++) sold.push(await sell(12));
    const { calls, fetchImpl } = watched();

    expect(await engineFor({ fetchImpl }).syncOnce()).toBe('synced');

    const pushes = calls.filter((c) => c.path === '/api/v1/sync/push');
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.every((p) => p.status === 200 && p.bytes <= MAX_PUSH_BYTES)).toBe(true);
    expect(pushes.reduce((n, p) => n + p.bytes, 0)).toBeGreaterThan(MAX_PUSH_BYTES);
    expect(await ledgerReceipts(device.deviceId)).toEqual(sold.map((s) => s.receiptNumber));
    expect(await db.outbox.count()).toBe(0);
    expect(await db.quarantine.count()).toBe(0);
  });

  it('with product names outside Latin-1, goes in pushes the ledger accepts (≤ 1 MiB of UTF-8), and all arrive', async () => {
    // A stall selling under Japanese names: three UTF-8 bytes to a character.
    const renamed = await ledger.call('PUT', '/api/v1/products', ADMIN_TOKEN, {
      products: products.map((p) => ({
        ...p,
        name: `限定ドロップ・オーガニックコットン手ぬぐい・${p.sku}`.slice(0, 120),
      })),
    });
    expect(renamed.status).toBe(200);
    const { device, sell } = await sellingTill();
    const sold = [];
    for (let i = 0; i < 600; i++) sold.push(await sell(12));
    const { calls, fetchImpl } = watched();

    const engine = engineFor({ fetchImpl });
    for (let round = 0; round < 10 && (await db.outbox.count()) > 0; round++)
      await engine.syncOnce();

    expect(await db.quarantine.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await ledgerReceipts(device.deviceId)).toEqual(sold.map((s) => s.receiptNumber));
    // Each push is sized to what the ledger takes (1 MiB of UTF-8), so none is sent only to be refused.
    const pushes = calls.filter((c) => c.path === '/api/v1/sync/push');
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.filter((p) => p.status !== 200 || p.bytes > MAX_PUSH_BYTES)).toEqual([]);
  });
});

describe('retrying while the ledger is down', () => {
  it('waits a random time in [cap/2, cap], the cap doubling from 1 s to at most 60 s', () => {
    fc.assert(
      fc.property(
        fc.nat(64),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const cap = Math.min(60_000, 1_000 * 2 ** attempt);
          const wait = backoffMs(attempt, () => r);
          return wait >= cap / 2 && wait <= cap && wait <= 60_000;
        },
      ),
    );
  });

  it('schedules each retry further out, never beyond a minute, and back to normal after a success', async () => {
    await sellingTill();
    let clock = Date.parse('2026-11-25T10:00:00Z');
    let network: typeof fetch = offline;
    const engine = engineFor({
      now: () => new Date(clock),
      random: rng(9),
      fetchImpl: (input, init) => network(input, init),
      intervalMs: 15_000,
    });
    /** How long the till says it will wait before its next attempt. */
    const scheduledWait = async () => {
      let next = 0;
      await vi.waitFor(async () => {
        next = Date.parse((await getSetting(db, 'sync'))?.nextAttemptAt ?? '');
        expect(next).toBeGreaterThan(clock);
      });
      return next - clock;
    };
    /** A manager taps "sync now" an hour later. */
    const syncNow = async () => {
      clock += 3_600_000;
      await engine.trigger();
      return scheduledWait();
    };
    engine.start();
    try {
      const waits = [await scheduledWait()];
      for (let i = 0; i < 8; i++) waits.push(await syncNow());
      const caps = [2, 4, 8, 16, 32, 60, 60, 60, 60].map((s) => s * 1000);
      waits.forEach((w, i) => {
        expect(w).toBeGreaterThanOrEqual(caps[i]! / 2);
        expect(w).toBeLessThanOrEqual(caps[i]!);
      });

      network = fetch;
      expect(await syncNow()).toBe(15_000);
      network = offline;
      expect(await syncNow()).toBeLessThanOrEqual(2_000);
    } finally {
      engine.stop();
    }
  });
});

describe('local stock after a pull', () => {
  it('is the ledger’s level minus the units in sales the ledger has not got yet', async () => {
    const { device, sell } = await sellingTill();
    // Sold while the ledger is unreachable: the till's own count goes down, nothing reaches the ledger.
    const offlineSales = [];
    for (let i = 0; i < 6; i++) offlineSales.push(await sell());
    expect(await engineFor({ fetchImpl: offline }).syncOnce()).toBe('failed');
    await expectTillStock(await unsyncedUnits());

    // Back online; the cashier keeps selling while the pull is on its way.
    const duringPull: Sale[] = [];
    const engine = engineFor({
      fetchImpl: async (input, init) => {
        if (String(input).includes('/sync/pull'))
          for (let i = 0; i < 3; i++) duringPull.push(await sell());
        return fetch(input, init);
      },
    });
    expect(await engine.syncOnce()).toBe('synced');

    expect(await ledgerReceipts(device.deviceId)).toEqual(offlineSales.map((s) => s.receiptNumber));
    expect((await db.outbox.toArray()).map((r) => r.eventId)).toEqual(duringPull.map((s) => s.id));
    const pending = await unsyncedUnits();
    expect(pending.size).toBeGreaterThan(0);
    await expectTillStock(pending);

    expect(await engineFor().syncOnce()).toBe('synced');
    expect(await db.outbox.count()).toBe(0);
    await expectCountedOnce([...offlineSales, ...duringPull]);
  });

  it('counts a sale once when the ledger took it but the answer was lost', async () => {
    const { device, sell } = await sellingTill();
    const sales = [];
    for (let i = 0; i < 5; i++) sales.push(await sell());
    const lostAnswer: typeof fetch = async (input, init) => {
      await fetch(input, init);
      throw new TypeError('fetch failed: other side closed');
    };
    expect(await engineFor({ fetchImpl: lostAnswer }).syncOnce()).toBe('failed');
    expect(await ledgerReceipts(device.deviceId)).toHaveLength(5);
    expect(await db.outbox.count()).toBe(6);

    expect(await engineFor().syncOnce()).toBe('synced');
    expect(await ledgerReceipts(device.deviceId)).toEqual(sales.map((s) => s.receiptNumber));
    expect(await db.outbox.count()).toBe(0);
    await expectCountedOnce(sales);
  });

  it('moves in step with the ledger’s for the SKU of a quarantined sale (no flicker back)', async () => {
    const { sell, rare } = await sellingTill();
    await sell();
    const bad = await sell([rare]);
    await sell();
    const row = await outboxRowOf(bad.id);
    await db.outbox.put({ ...row, payload: { ...bad, total: -1 } });
    const engine = engineFor();
    expect(await engine.syncOnce()).toBe('synced');
    expect(await db.quarantine.count()).toBe(1);
    const tillBefore = (await db.stock.get(rare.sku))?.qty ?? 0;
    const ledgerBefore = (await stockLevels(ledger)).get(rare.sku) ?? 0;

    // A manager receives 10 more of that SKU on the ledger; the till's next pull brings the change.
    const received = await ledger.call(
      'POST',
      `/api/v1/stores/${ledger.storeId}/stock/receive`,
      ADMIN_TOKEN,
      { lines: [{ sku: rare.sku, qty: 10 }] },
    );
    expect(received.status).toBe(200);
    expect(await engine.syncOnce()).toBe('synced');

    expect((await stockLevels(ledger)).get(rare.sku)).toBe(ledgerBefore + 10);
    expect((await db.stock.get(rare.sku))?.qty).toBe(tillBefore + 10);
  });
});
