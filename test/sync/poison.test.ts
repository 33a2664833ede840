// One poison fact in a till's outbox, against the real ledger and the real sync engine: every later sale still syncs, and the poison is kept with the ledger's reason and exported.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getSetting, openPosDb, type PosDb } from '../../renderer/db/db';
import { allProducts } from '../../renderer/db/product-pages';
import { committedSale, recordSale } from '../../renderer/db/sales-repo';
import { openShift } from '../../renderer/db/shift-repo';
import { SyncEngine } from '../../renderer/sync/engine';
import { enrolTill } from '../../renderer/sync/enrol';
import { exportUnsynced } from '../../renderer/sync/export';
import { readDeviceToken } from '../../renderer/sync/token';
import { priceCart } from '../../shared/cart';
import type { Sale } from '../../shared/sale';
import { settle, type Tender } from '../../shared/tender';
import { ADMIN_TOKEN, engines, startLedger, type TestLedger } from '../ledger/fixtures';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
vi.hoisted(() => vi.stubGlobal('window', globalThis));

/** Arrays inside arrays, far deeper than any real fact. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Ways a sale can reach the ledger broken (a bug, a damaged disk, an old or tampered till). */
const poisons: [string, (sale: Sale) => unknown, RegExp][] = [
  [
    'a NUL byte in a SKU',
    (s) => ({
      ...s,
      lines: s.lines.map((l, i) => (i === 0 ? { ...l, sku: `${l.sku}\u0000` } : l)),
    }),
    /control|NUL|character/i,
  ],
  // 1,000 levels: about 30 times what the ledger allows, and within what the test's IndexedDB can clone.
  ['absurd nesting', (s) => ({ ...s, note: nested(1_000) }), /nest|deep|depth/i],
  ['totals that do not add up', (s) => ({ ...s, total: s.total + 100 }), /total/i],
];

describe.each(engines)('a till with one poison fact in its outbox, on %s', (engine) => {
  let ledger: TestLedger;
  let db: PosDb;
  let n = 0;

  beforeEach(async () => {
    ledger = await startLedger(engine);
    db = openPosDb(`poison-${engine}-${process.pid}-${++n}`);
  });

  afterEach(async () => {
    await db.delete();
    await ledger.close();
  });

  const engineFor = () => new SyncEngine({ db, token: () => readDeviceToken(db) });

  /** Enrol, take the first snapshot, open a shift; returns a cashier ringing up one card sale at a time. */
  async function till() {
    const code = await ledger.call(
      'POST',
      `/api/v1/stores/${ledger.storeId}/pairing-codes`,
      ADMIN_TOKEN,
    );
    expect(
      await enrolTill(db, { url: ledger.url, pairingCode: code.body.code, name: 'Poisoned' }),
    ).toEqual({ ok: true });
    expect(await engineFor().syncOnce()).toBe('synced');
    const store = await getSetting(db, 'store');
    const member = await db.staff.toCollection().first();
    const device = await getSetting(db, 'device');
    if (!store || !member || !device) throw new Error('the snapshot is incomplete');
    const shift = await openShift(db, member.id, 10_000);
    if (!shift.ok) throw new Error(shift.message);
    const goods = (await allProducts(db)).filter((p) => p.active).slice(0, 10);
    const taxRatesPpm = Object.fromEntries(
      (await db.taxClasses.toArray()).map((t) => [t.id, t.ratePpm]),
    );
    let k = 0;
    const sell = async (): Promise<Sale> => {
      const p = goods[k++ % goods.length]!;
      const cart = priceCart(
        [
          {
            lineId: 'L0',
            sku: p.sku,
            name: p.name,
            unitPrice: p.price,
            qty: 1,
            taxClassId: p.taxClassId,
          },
        ],
        undefined,
        { pricesIncludeTax: store.pricesIncludeTax, taxRatesPpm },
      );
      const tenders: Tender[] = [{ kind: 'card', amount: cart.total, reference: 'AUTH' }];
      const settled = settle(cart.total, tenders, store.cashRounding);
      if (!settled.ok) throw new Error(settled.message);
      return committedSale(
        await recordSale(db, {
          cart,
          tenders,
          settlement: settled.value,
          staff: { id: member.id, name: member.name },
          shiftId: shift.shift.id,
        }),
      );
    };
    return { device, sell };
  }

  const receiptsAtLedger = async (deviceId: string) =>
    (
      await ledger.database.db
        .selectFrom('sales')
        .select('receipt_number')
        .where('device_id', '=', deviceId)
        .orderBy('receipt_number')
        .execute()
    ).map((r) => r.receipt_number);

  it.each(poisons)(
    '%s: keeps syncing every later sale; the poison is rejected with the ledger’s reason and goes into the export file',
    async (_name, poison, words) => {
      const { device, sell } = await till();
      const before = await sell();
      const bad = await sell();
      const row = await db.outbox.where('eventId').equals(bad.id).first();
      if (!row) throw new Error('the sale has no outbox row');
      await db.outbox.put({ ...row, payload: poison(bad) });
      const later = [await sell(), await sell(), await sell()];

      const outcome = await engineFor().syncOnce();

      const problem = (await getSetting(db, 'sync'))?.problem;
      expect(problem ?? null, 'the ledger judged the batch, not the fact').toBeNull();
      expect(outcome).toBe('synced');
      expect(await db.outbox.count()).toBe(0);
      expect(await receiptsAtLedger(device.deviceId)).toEqual(
        [before, ...later].map((s) => s.receiptNumber),
      );
      const rejected = await db.rejected.toArray();
      expect(rejected.map((r) => [r.eventId, r.verdict])).toEqual([[bad.id, 'rejected']]);
      expect(rejected[0]?.reason).toMatch(words);

      // Sales after it keep going, round after round.
      const next = await sell();
      expect(await engineFor().syncOnce()).toBe('synced');
      expect(await receiptsAtLedger(device.deviceId)).toContain(next.receiptNumber);

      // A sale not synced yet, then a manager exports what this till holds.
      const lastOne = await sell();
      const exported = await exportUnsynced(db);
      if (!exported.ok) throw new Error(exported.message);
      expect(exported.file.events.map((e) => e.id)).toEqual([lastOne.id]);
      expect(exported.file.rejected?.map((r) => [r.id, r.verdict, r.reason])).toEqual([
        [bad.id, 'rejected', rejected[0]?.reason],
      ]);
    },
  );

  it('the export file with a rejected section is accepted by the ledger’s import', async () => {
    const { device, sell } = await till();
    const bad = await sell();
    const row = await db.outbox.where('eventId').equals(bad.id).first();
    if (!row) throw new Error('the sale has no outbox row');
    await db.outbox.put({ ...row, payload: { ...bad, total: bad.total + 100 } });
    expect(await engineFor().syncOnce()).toBe('synced');
    expect(await db.rejected.count()).toBe(1);
    const offline = await sell();

    const exported = await exportUnsynced(db);
    if (!exported.ok) throw new Error(exported.message);
    const imported = await ledger.call(
      'POST',
      '/api/v1/sync/import',
      ADMIN_TOKEN,
      JSON.parse(JSON.stringify(exported.file)),
    );

    expect(imported.status).toBe(200);
    expect(imported.body.accepted).toBe(1);
    expect(await receiptsAtLedger(device.deviceId)).toEqual([offline.receiptNumber]);
  });
});
