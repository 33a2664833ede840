// Upgrading a ledger whose event log already holds two facts under one sequence number: the first stays, the second is held aside and a manager is told.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrations';
import type { LedgerDb } from '../../server/db/schema';

it('moves the later of two facts under one sequence number to held_facts, tells a manager, and makes the number unique', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'poptill-upgrade-'));
  const sqlite = new Database(path.join(dir, 'ledger.db'));
  const db = new Kysely<LedgerDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'sqlite', undefined, '0004-kpi-rollups');
    const fact = (id: string, seq: number, receivedAt: string) => ({
      id,
      device_id: 'till-1',
      store_id: 'store-1',
      seq,
      type: 'sale.voided',
      device_time: '2026-11-25T10:00:00.000Z',
      received_at: receivedAt,
      status: 'accepted' as const,
      reason: null,
      payload: JSON.stringify({ id, seq }),
    });
    await db
      .insertInto('events')
      .values([
        fact('A-first', 1, '2026-11-25T10:00:01.000Z'),
        fact('B-second', 1, '2026-11-25T10:00:02.000Z'),
        fact('C-other', 2, '2026-11-25T10:00:03.000Z'),
      ])
      .execute();

    // 0005 runs first on such a ledger; later migrations follow it.
    expect((await migrateToLatest(db as Kysely<unknown>, 'sqlite'))[0]).toBe('0005-fact-integrity');

    const log = await db.selectFrom('events').select('id').orderBy('id').execute();
    expect(log.map((r) => r.id)).toEqual(['A-first', 'C-other']);
    const held = await db.selectFrom('held_facts').selectAll().execute();
    expect(held).toMatchObject([{ event_id: 'B-second', seq: 1, kind: 'seq-reused' }]);
    expect(JSON.parse(held[0]!.payload)).toEqual({ id: 'B-second', seq: 1 });
    const told = await db.selectFrom('exceptions').select(['kind', 'event_id']).execute();
    expect(told).toEqual([{ kind: 'seq-reused', event_id: 'B-second' }]);
    await expect(
      db
        .insertInto('events')
        .values(fact('D-again', 2, '2026-11-25T10:00:04.000Z'))
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
