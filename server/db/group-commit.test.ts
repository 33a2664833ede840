import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LedgerDatabase, openDatabase } from './database';
import { GroupCommit } from './group-commit';
import type { LedgerDb } from './schema';

// Tills pushing at once share SQLite commits: what one push does must never leak into another's.
describe('pushes sharing one commit', () => {
  let dir: string;
  let database: LedgerDatabase;
  let db: Kysely<LedgerDb>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'poptill-group-'));
    database = await openDatabase({ dataDir: dir });
    db = database.db;
    await sql`create table pushed (till integer not null, n integer not null)`.execute(db);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async () =>
    (
      await sql<{ till: number; n: number }>`select till, n from pushed order by till, n`.execute(
        db,
      )
    ).rows;

  it('keeps every push that succeeds and nothing of one that fails, each answered alone', async () => {
    const group = new GroupCommit(db);
    const write = (till: number, fail: boolean) =>
      group.run(async (trx) => {
        for (let n = 1; n <= 3; n++)
          await sql`insert into pushed values (${till}, ${n})`.execute(trx);
        if (fail) throw new Error(`till ${till} failed halfway`);
        return till;
      });
    // Eight tills at once: the first runs alone, the seven behind it share the next commit.
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6, 7, 8].map((till) => write(till, till === 1 || till === 5)),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect((outcomes[4] as PromiseRejectedResult).reason.message).toBe('till 5 failed halfway');
    const kept = await rows();
    expect(new Set(kept.map((r) => r.till))).toEqual(new Set([2, 3, 4, 6, 7, 8]));
    expect(kept).toHaveLength(18);
  });

  it('writes pushes in the order they came and answers each with its own result, a later one too', async () => {
    const group = new GroupCommit(db);
    const first = group.run(async (trx) => {
      await sql`insert into pushed values (1, 1)`.execute(trx);
      return 'first';
    });
    const second = group.run(async (trx) => {
      await sql`insert into pushed values (2, 1)`.execute(trx);
      return 'second';
    });
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(await rows()).toEqual([
      { till: 1, n: 1 },
      { till: 2, n: 1 },
    ]);
    expect(await group.run(async () => 'later')).toBe('later');
  });
});
