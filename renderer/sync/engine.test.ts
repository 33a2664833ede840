// The sync engine against the real ledger over HTTP: per-fact verdicts, batch-level failures, re-enrolment, big batches, backoff, and stock net of unsynced sales.
import 'fake-indexeddb/auto';
import { gunzipSync } from 'node:zlib';
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
import { allProducts } from '../db/product-pages';
import { committedSale, recordSale, type SaleDraft } from '../db/sales-repo';
import { openShift } from '../db/shift-repo';
import { stockLevel } from '../db/stock-levels';
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

/** A request body's JSON text as the ledger reads it (inflated when the till sent it gzip). */
function sentJson(init: RequestInit | undefined): string {
  if (typeof init?.body === 'string') return init.body;
  if (init?.body instanceof Uint8Array) return gunzipSync(init.body).toString('utf8');
  return '';
}

/** A ledger older than push limits: its push answers do not say what it takes. */
const olderLedger: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!String(input).endsWith('/api/v1/sync/push') || res.status !== 200) return res;
  const { pushLimits: _unsaid, ...answer } = await res.json();
  return new Response(JSON.stringify(answer), { status: 200, headers: res.headers });
};

/** Real fetch (or `through`), with each request's path, status and JSON body size (uncompressed) noted. */
function watched(through: typeof fetch = fetch) {
  const calls: { path: string; status: number; bytes: number }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await through(input, init);
    const bytes = Buffer.byteLength(sentJson(init));
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
  const active = (await allProducts(db)).filter((p) => p.active);
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
    return committedSale(await recordSale(db, draft));
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
    expect(await stockLevel(db, sku), sku).toBe(qty - (pending.get(sku) ?? 0));
}

/** Each sale moved the ledger's stock once, and the till shows the ledger's level. */
async function expectCountedOnce(sales: readonly Sale[]) {
  const sold = new Map<string, number>();
  for (const s of sales) for (const l of s.lines) sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.qty);
  const levels = await stockLevels(ledger);
  for (const [sku, qty] of levels) {
    expect(qty, sku).toBe((openingStock[sku] ?? 0) - (sold.get(sku) ?? 0));
    expect(await stockLevel(db, sku), sku).toBe(qty);
  }
}

async function outboxRowOf(eventId: string): Promise<OutboxRow> {
  const row = await db.outbox.where('eventId').equals(eventId).first();
  if (!row) throw new Error(`no outbox row for ${eventId}`);
  return row;
}

/** The ledger's watermark for a device: every fact up to it has its verdict. */
async function ledgerWatermark(deviceId: string): Promise<number> {
  const row = await ledger.database.db
    .selectFrom('devices')
    .select('watermark')
    .where('id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return Number(row.watermark);
}

/** The outbox as the till would send it: event ids in seq order. */
const queued = async () => (await db.outbox.orderBy('seq').toArray()).map((r) => r.eventId);

describe('a fact the ledger judges and will not apply', () => {
  it('rejected: moves to the rejected list with the ledger’s reason, the watermark passes it, and later sales still sync', async () => {
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
    const rejected = await db.rejected.toArray();
    expect(rejected.map((r) => [r.eventId, r.verdict, r.reason])).toEqual([
      [bad.id, 'rejected', stored.reason],
    ]);
    expect(rejected[0]?.reason).toMatch(/total/);
    expect(await ledgerWatermark(device.deviceId)).toBeGreaterThanOrEqual(last.seq);
    expect(await ledgerReceipts(device.deviceId)).toEqual([
      first.receiptNumber,
      last.receiptNumber,
    ]);
    expect(await db.outbox.count()).toBe(0);
    expect((await getSetting(db, 'sync'))?.problem ?? null).toBeNull();

    // Final: not sent again, and the next sale goes through as usual.
    const next = await sell();
    const { calls, fetchImpl } = watched();
    expect(await engineFor({ fetchImpl }).syncOnce()).toBe('synced');
    expect(calls.filter((c) => c.path === '/api/v1/sync/push')).toHaveLength(1);
    expect(await ledgerReceipts(device.deviceId)).toEqual([
      first.receiptNumber,
      last.receiptNumber,
      next.receiptNumber,
    ]);
    expect(await db.rejected.count()).toBe(1);
  });

  it('conflict: the ledger holds the id with other content; the till keeps its version with the reason and sales after it still sync', async () => {
    const { device, sell } = await sellingTill();
    const sale = await sell();
    const after = await sell();
    // Another version of the same fact reached the ledger first (a till restored from a backup, a bug).
    const row = await outboxRowOf(sale.id);
    const token = await readDeviceToken(db);
    const other = { ...sale, staffName: `${sale.staffName} (restored)` };
    const first = await ledger.call('POST', '/api/v1/sync/push', token ?? '', {
      events: [
        { id: row.eventId, seq: row.seq, type: row.type, createdAt: row.createdAt, payload: other },
      ],
    });
    expect(first.status).toBe(200);

    expect(await engineFor().syncOnce()).toBe('synced');

    const judged = await db.rejected.toArray();
    expect(judged.map((r) => [r.eventId, r.verdict])).toEqual([[sale.id, 'conflict']]);
    expect(judged[0]?.reason.length).toBeGreaterThan(0);
    // The till's own version is what it keeps: the manager compares it with the ledger's.
    expect((judged[0]?.payload as Sale | undefined)?.staffName).toBe(sale.staffName);
    expect(await db.outbox.count()).toBe(0);
    expect(await ledgerReceipts(device.deviceId)).toEqual([
      sale.receiptNumber,
      after.receiptNumber,
    ]);
  });
});

/** A stand-in for the ledger's answer to a push, at the network's edge (pulls go through). */
function pushAnswers(answer: () => Promise<Response>) {
  let pushes = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    if (!String(input).endsWith('/api/v1/sync/push')) return fetch(input, init);
    pushes += 1;
    return answer();
  };
  return { fetchImpl, pushes: () => pushes };
}

const apiError =
  (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  async () =>
    new Response(JSON.stringify({ error: { code, message } }), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

describe('a push the ledger does not judge fact by fact', () => {
  const cases: [string, () => Promise<Response>, string, RegExp][] = [
    [
      '400 for the batch',
      apiError(400, 'bad-request', 'events.2.createdAt: Invalid ISO datetime'),
      'refused',
      /refuses this till's data — update PopTill.*Invalid ISO datetime/,
    ],
    ['403 for the batch', apiError(403, 'forbidden', 'Not allowed'), 'refused', /update PopTill/],
    [
      '413 even for one fact',
      apiError(413, 'payload-too-large', 'Body is too large'),
      'too-large',
      /too large — update PopTill/,
    ],
    ['500', apiError(500, 'internal', 'Internal error'), 'ledger-fault', /fault \(HTTP 500\)/],
    [
      '502 without a body',
      async () => new Response('bad gateway', { status: 502 }),
      'ledger-fault',
      /HTTP 502/,
    ],
    [
      '429 with Retry-After',
      apiError(429, 'rate-limited', 'Slow down', { 'retry-after': '30' }),
      'busy',
      /The ledger is busy, retrying in 30 s/,
    ],
    [
      'a dead network',
      async () => {
        throw new TypeError('fetch failed');
      },
      'unreachable',
      /cannot be reached/,
    ],
    [
      'a timeout',
      async () => {
        throw new DOMException('The operation timed out.', 'TimeoutError');
      },
      'not-answering',
      /not answering/,
    ],
  ];

  it.each(cases)(
    '%s: every fact stays queued in order, the outcome is not synced, and the status says why',
    async (_name, answer, code, words) => {
      const { device, sell } = await sellingTill();
      const sales = [await sell(), await sell(), await sell()];
      const before = await queued();
      expect(before).toEqual(expect.arrayContaining(sales.map((s) => s.id)));
      const ledgerDown = pushAnswers(answer);

      const outcome = await engineFor({ fetchImpl: ledgerDown.fetchImpl }).syncOnce();

      expect(outcome).toBe('failed');
      expect(ledgerDown.pushes()).toBeGreaterThan(0);
      expect(await queued()).toEqual(before);
      expect(await db.rejected.count()).toBe(0);
      expect(await db.rejected.count()).toBe(0);
      const state = await getSetting(db, 'sync');
      expect(state?.problem?.code).toBe(code);
      expect(state?.problem?.message).toMatch(words);
      expect(state?.lastError).toBe(state?.problem?.message);

      // The same facts go again once the ledger answers, and the reason is cleared.
      expect(await engineFor().syncOnce()).toBe('synced');
      expect(await ledgerReceipts(device.deviceId)).toEqual(sales.map((s) => s.receiptNumber));
      expect(await db.outbox.count()).toBe(0);
      expect((await getSetting(db, 'sync'))?.problem).toBeNull();
    },
  );

  it('413 halves the batch until the ledger takes it, and then sends the rest', async () => {
    const { device, sell } = await sellingTill();
    const sales = [];
    for (let i = 0; i < 12; i++) sales.push(await sell());
    const sizes: number[] = [];
    // A ledger behind a proxy that takes at most 4 facts a request.
    const fetchImpl: typeof fetch = async (input, init) => {
      if (!String(input).endsWith('/api/v1/sync/push')) return fetch(input, init);
      const events = JSON.parse(sentJson(init)).events.length;
      sizes.push(events);
      if (events > 4) return apiError(413, 'payload-too-large', 'Body is too large')();
      return fetch(input, init);
    };

    expect(await engineFor({ fetchImpl }).syncOnce()).toBe('synced');

    expect(sizes.slice(0, 3)).toEqual([13, 6, 3]);
    expect(await ledgerReceipts(device.deviceId)).toEqual(sales.map((s) => s.receiptNumber));
    expect(await db.rejected.count()).toBe(0);
  });

  it('a push answered 200 with no verdict for what was sent is retried later, not looped on', async () => {
    const { sell } = await sellingTill();
    await sell();
    const before = await queued();
    const silent = pushAnswers(
      async () =>
        new Response(JSON.stringify({ results: [], watermark: 0 }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );

    expect(await engineFor({ fetchImpl: silent.fetchImpl }).syncOnce()).toBe('failed');

    expect(silent.pushes()).toBe(1);
    expect(await queued()).toEqual(before);
    expect((await getSetting(db, 'sync'))?.problem?.code).toBe('not-understood');
  });

  it('the schedule follows the ledger’s Retry-After when it is longer than the backoff', async () => {
    await sellingTill();
    const clock = Date.parse('2026-11-25T10:00:00Z');
    const busy = pushAnswers(apiError(429, 'rate-limited', 'Slow down', { 'retry-after': '45' }));
    const engine = engineFor({ now: () => new Date(clock), fetchImpl: busy.fetchImpl });
    engine.start();
    try {
      await vi.waitFor(async () =>
        expect((await getSetting(db, 'sync'))?.nextAttemptAt).toBe(
          new Date(clock + 45_000).toISOString(),
        ),
      );
    } finally {
      engine.stop();
    }
    expect((await getSetting(db, 'sync'))?.problem?.message).toMatch(/retrying in 45 s/);
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
  it('to a ledger that does not say it takes more, goes in batches under 1 MiB, and all 600 large sales arrive', async () => {
    const { device, sell } = await sellingTill();
    const sold = [];
    for (let i = 0; i < 600; i++) sold.push(await sell(12));
    const { calls, fetchImpl } = watched(olderLedger);

    expect(await engineFor({ fetchImpl }).syncOnce()).toBe('synced');

    const pushes = calls.filter((c) => c.path === '/api/v1/sync/push');
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.every((p) => p.status === 200 && p.bytes <= MAX_PUSH_BYTES)).toBe(true);
    expect(pushes.reduce((n, p) => n + p.bytes, 0)).toBeGreaterThan(MAX_PUSH_BYTES);
    expect(await ledgerReceipts(device.deviceId)).toEqual(sold.map((s) => s.receiptNumber));
    expect(await db.outbox.count()).toBe(0);
    expect(await db.rejected.count()).toBe(0);
  });

  it('with product names outside Latin-1, goes in pushes an older ledger accepts (≤ 1 MiB of UTF-8), and all arrive', async () => {
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
    const { calls, fetchImpl } = watched(olderLedger);

    const engine = engineFor({ fetchImpl });
    for (let round = 0; round < 10 && (await db.outbox.count()) > 0; round++)
      await engine.syncOnce();

    expect(await db.rejected.count()).toBe(0);
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

  it('for the SKU of a sale the ledger rejected, is the ledger’s level and moves in step with it', async () => {
    const { sell, rare } = await sellingTill();
    await sell();
    const bad = await sell([rare]);
    await sell();
    const row = await outboxRowOf(bad.id);
    await db.outbox.put({ ...row, payload: { ...bad, total: -1 } });
    const engine = engineFor();
    expect(await engine.syncOnce()).toBe('synced');
    expect(await db.rejected.count()).toBe(1);
    // The ledger judged it and did not apply it: its level is the truth, nothing held back here.
    const ledgerBefore = (await stockLevels(ledger)).get(rare.sku) ?? 0;
    expect(ledgerBefore).toBe(openingStock[rare.sku]);
    expect(await stockLevel(db, rare.sku)).toBe(ledgerBefore);

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
    expect(await stockLevel(db, rare.sku)).toBe(ledgerBefore + 10);
  });
});
