// Upgrading a ledger with sales to 0007 (store credit): older sales count as cash and card only, carry pull version 0, and the credit-note tables start empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrations';
import type { LedgerDb } from '../../server/db/schema';

it('keeps older sales as they were (no store credit, no exchange, version 0) and adds the credit-note tables', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'poptill-upgrade-'));
  const sqlite = new Database(path.join(dir, 'ledger.db'));
  const db = new Kysely<LedgerDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'sqlite', undefined, '0006-returns');
    const sale = {
      id: '01KBSALE00000000000000000A',
      store_id: 'store-1',
      device_id: 'till-1',
      shift_id: 'shift-1',
      receipt_number: 'T1-000001',
      staff_id: 'staff-1',
      device_time: '2026-11-25T10:00:00.000Z',
      received_at: '2026-11-25T10:00:01.000Z',
      business_date: '2026-11-25',
      subtotal: 2500,
      discount_total: 0,
      tax: 417,
      total: 2500,
      rounding: 0,
      change_given: 0,
      cash: 1000,
      card: 1500,
      item_count: 1,
      member_id: null,
      channel: 'walk-in',
      campaign_id: null,
      promo_code: null,
    };
    await db.insertInto('sales').values(sale).execute();

    expect(await migrateToLatest(db as Kysely<unknown>, 'sqlite')).toContain('0007-store-credit');

    const row = await db.selectFrom('sales').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cash: 1000, card: 1500, store_credit: 0, exchange: 0, version: 0 });
    expect(await db.selectFrom('credit_notes').selectAll().execute()).toEqual([]);
    const note = {
      store_id: 'store-1',
      code: 'CN-1',
      currency: 'EUR',
      amount: 500,
      return_id: 'R1',
      device_id: 'till-1',
      issued_at: '2026-11-25T11:00:00.000Z',
      received_at: '2026-11-25T11:00:01.000Z',
      last_activity_at: '2026-11-25T11:00:01.000Z',
    };
    await db.insertInto('credit_notes').values(note).execute();
    // One note per code in a store.
    await expect(db.insertInto('credit_notes').values(note).execute()).rejects.toThrow(/UNIQUE/);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
