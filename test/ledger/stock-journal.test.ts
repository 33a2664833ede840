// Stock is the sum of its movements: a sale's movements are its lines (stored once), and every level equals the journal's sum, on a new ledger and on one upgraded from 0011.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrations';
import type { LedgerDb } from '../../server/db/schema';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import {
  engines,
  enrolTill,
  makeSale,
  makeSales,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
} from './fixtures';
import { makeReturn } from './return-fixtures';

/** Per SKU, the sum of the store's journal (what the level must be). */
async function journalSums(db: Kysely<LedgerDb>, storeId: string) {
  const rows = await db
    .selectFrom('stock_journal')
    .select(['sku', (eb) => eb.fn.sum<number>('delta').as('qty')])
    .where('store_id', '=', storeId)
    .groupBy('sku')
    .execute();
  return new Map(rows.map((r) => [r.sku, Number(r.qty)]));
}

describe.each(engines)('stock journal on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('holds one sale movement per sale line, none stored twice, and every level is its sum', async () => {
    const till = await enrolTill(ledger);
    const sales = makeSales(till.deviceId, till.prefix, 40, { linesPerSale: 3, seed: 7 });
    await push(ledger, till.token, sales);
    const sold = sales[0]!.payload as Sale;
    const back = makeReturn(till, 41, sold, [{ lineNo: 1, qty: 1 }]);
    const counted: EventEnvelope = {
      id: ulid(),
      seq: 42,
      type: 'stock.counted',
      createdAt: '2026-11-25T18:00:00.000Z',
      payload: { lines: [{ sku: sold.lines[1]!.sku, counted: 3 }], note: 'count' },
    };
    const later = makeSale(till.deviceId, till.prefix, 43, [{ sku: sold.lines[1]!.sku, qty: 1 }]);
    const verdicts = await push(ledger, till.token, [back, counted, later]);
    expect(verdicts.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    const { db } = ledger.database;
    const stored = await db
      .selectFrom('stock_movements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'sale')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
    const lines = await db
      .selectFrom('sale_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('store_id', '=', ledger.storeId)
      .executeTakeFirstOrThrow();
    const saleMoves = await db
      .selectFrom('stock_journal')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('store_id', '=', ledger.storeId)
      .where('kind', '=', 'sale')
      .executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(40 * 3 + 1);
    expect(Number(saleMoves.n)).toBe(Number(lines.n));

    const levels = await stockLevels(ledger);
    const sums = await journalSums(db, ledger.storeId);
    expect(levels.size).toBeGreaterThan(0);
    for (const [sku, qty] of levels) expect([sku, sums.get(sku) ?? 0]).toEqual([sku, qty]);
    // The counted SKU: the count set it to 3, then one more was sold.
    expect(levels.get(sold.lines[1]!.sku)).toBe(2);
    // The journal tells the sale apart: the sale's own movement points at it.
    const mine = await db
      .selectFrom('stock_journal')
      .select(['sku', 'delta', 'kind'])
      .where('ref', '=', sold.id)
      .execute();
    expect(mine).toEqual(
      expect.arrayContaining(sold.lines.map((l) => ({ sku: l.sku, delta: -l.qty, kind: 'sale' }))),
    );
  });
});

it('an upgraded ledger keeps its levels equal to the journal (the stored sale copies are removed, not counted twice)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'poptill-upgrade-'));
  const db = new Kysely<LedgerDb>({
    dialect: new SqliteDialect({ database: new Database(path.join(dir, 'ledger.db')) }),
  });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'sqlite', undefined, '0011-stall-hub');
    const at = '2026-11-25T10:00:01.000Z';
    const move = (sku: string, delta: number, kind: string, ref: string) =>
      sql`insert into stock_movements (store_id, sku, delta, kind, ref, note, created_at, version)
          values ('store-1', ${sku}, ${delta}, ${kind}, ${ref}, null, ${at}, 1)`.execute(db);
    await move('TEE', 10, 'receive', 'opening');
    await db
      .insertInto('sales')
      .values({
        id: 'S1',
        store_id: 'store-1',
        device_id: 'till-1',
        shift_id: 'shift-1',
        receipt_number: 'T1-000001',
        staff_id: 'staff-1',
        device_time: '2026-11-25T10:00:00.000Z',
        received_at: at,
        business_date: '2026-11-25',
        subtotal: 5000,
        discount_total: 0,
        tax: 833,
        total: 5000,
        rounding: 0,
        change_given: 0,
        cash: 5000,
        card: 0,
        store_credit: 0,
        exchange: 0,
        version: 1,
        item_count: 2,
        member_id: null,
        channel: 'walk-in',
        campaign_id: null,
        promo_code: null,
      })
      .execute();
    await db
      .insertInto('sale_lines')
      .values({
        sale_id: 'S1',
        line_no: 1,
        store_id: 'store-1',
        sku: 'TEE',
        qty: 2,
        unit_price: 2500,
        gross: 5000,
        discount: 0,
        net: 4167,
        tax: 833,
        total: 5000,
        tax_class_id: 'std',
        rate_ppm: 200_000,
        drop_id: null,
        price_step: null,
        access_tier: null,
      })
      .execute();
    // What 0011's push wrote beside the line.
    await move('TEE', -2, 'sale', 'S1');

    expect(await migrateToLatest(db as Kysely<unknown>, 'sqlite')).toContain(
      '0012-sale-movements-from-lines',
    );
    expect(await journalSums(db, 'store-1')).toEqual(new Map([['TEE', 8]]));
    const left = await db.selectFrom('stock_movements').select(['kind', 'delta']).execute();
    expect(left).toEqual([{ kind: 'receive', delta: 10 }]);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
