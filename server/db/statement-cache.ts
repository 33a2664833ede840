// Prepared SQLite statements reused by their SQL text: Kysely's SQLite driver prepares every query anew, which for a push's multi-row inserts costs as much as running them.
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Enough for every statement shape of a push and the pulls and reports around it; a multi-row insert's program can be megabytes. */
const MAX_STATEMENTS = 64;
const CACHEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * The database as Kysely's SqliteDialect sees it, with `prepare` answering from a
 * least-recently-used cache. SQLite re-prepares a cached statement by itself when the schema
 * changes (a migration), and a statement still being iterated is never handed out twice.
 */
export function cachingStatements(sqlite: Database): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Map order is insertion order: moving it to the end keeps the least recently used first.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (!cached && CACHEABLE.test(sql)) {
        cache.set(sql, statement);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
