// Pushes waiting for SQLite's one connection share one transaction and one commit (one fsync), each in its own savepoint.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { LedgerDb } from './schema';

type Work<T> = (trx: Transaction<LedgerDb>) => Promise<T>;

interface Waiting {
  work: Work<unknown>;
  done: (value: unknown) => void;
  fail: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** At most this many pushes answered by one commit, so one group's transaction stays short. */
const MAX_GROUP = 16;

/**
 * SQLite has one writer and `synchronous=FULL` makes every commit wait for the disk. When
 * several tills push at once, the pushes that queued up behind a commit run one after another
 * in the next transaction, each inside a savepoint: a push that throws is rolled back to its
 * savepoint alone (its caller gets the error, as with its own transaction), the others keep
 * what they wrote, and none is answered before the one commit is on disk. A lone push runs
 * as before. Work must use only the transaction it is given.
 */
export class GroupCommit {
  readonly #db: Kysely<LedgerDb>;
  readonly #waiting: Waiting[] = [];
  #draining = false;

  constructor(db: Kysely<LedgerDb>) {
    this.#db = db;
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((done, fail) => {
      this.#waiting.push({ work, done: done as (value: unknown) => void, fail });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, MAX_GROUP);
        let outcomes: Outcome[];
        try {
          outcomes = await this.#db.transaction().execute((trx) => runGroup(trx, group));
        } catch (error) {
          // The transaction as a whole failed (a lone push threw, or the commit did): nothing was kept.
          for (const w of group) w.fail(error);
          continue;
        }
        group.forEach((w, i) => {
          const o = outcomes[i] as Outcome;
          if (o.ok) w.done(o.value);
          else w.fail(o.error);
        });
      }
    } finally {
      this.#draining = false;
    }
  }
}

async function runGroup(trx: Transaction<LedgerDb>, group: readonly Waiting[]): Promise<Outcome[]> {
  if (group.length === 1) return [{ ok: true, value: await (group[0] as Waiting).work(trx) }];
  const outcomes: Outcome[] = [];
  for (const [i, w] of group.entries()) {
    const name = sql.raw(`push_${i}`);
    await sql`savepoint ${name}`.execute(trx);
    try {
      outcomes.push({ ok: true, value: await w.work(trx) });
    } catch (error) {
      await sql`rollback to savepoint ${name}`.execute(trx);
      outcomes.push({ ok: false, error });
    }
    await sql`release savepoint ${name}`.execute(trx);
  }
  return outcomes;
}

const groups = new WeakMap<Kysely<LedgerDb>, GroupCommit>();

/** The one group commit of a SQLite database. */
export function groupCommitOf(db: Kysely<LedgerDb>): GroupCommit {
  let group = groups.get(db);
  if (!group) {
    group = new GroupCommit(db);
    groups.set(db, group);
  }
  return group;
}
