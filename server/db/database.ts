// Opens the ledger database: an embedded SQLite file (WAL) by default, PostgreSQL when DATABASE_URL is set.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Engine, migrateToLatest } from './migrations';
import type { LedgerDb } from './schema';
import { cachingStatements } from './statement-cache';

export interface LedgerDatabase {
  db: Kysely<LedgerDb>;
  engine: Engine;
  /** Where the data lives, for logs (no password). */
  where: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… switches to PostgreSQL. */
  databaseUrl?: string;
  /** Folder of the SQLite file. */
  dataDir: string;
  /** PostgreSQL schema to use (created if missing): lets test runs share one database. */
  pgSchema?: string;
}

// PostgreSQL returns bigint (and SUM of integers) as strings; our amounts fit in a double exactly.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openDatabase(options: DatabaseOptions): Promise<LedgerDatabase> {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error(`bad schema name ${schema}`);
    if (schema) {
      const admin = new pg.Client({ connectionString: options.databaseUrl });
      await admin.connect();
      await admin.query(`create schema if not exists ${schema}`);
      await admin.end();
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const db = new Kysely<LedgerDb>({ dialect: new PostgresDialect({ pool }) });
    await migrateToLatest(db as Kysely<unknown>, 'postgres', schema);
    const url = new URL(options.databaseUrl);
    return {
      db,
      engine: 'postgres',
      where: `postgres://${url.host}${url.pathname}${schema ? ` (schema ${schema})` : ''}`,
      close: () => db.destroy(),
    };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'ledger.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a committed push survives power loss too, not just a crashed process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<LedgerDb>({
    dialect: new SqliteDialect({ database: cachingStatements(sqlite) }),
  });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return { db, engine: 'sqlite', where: file, close: () => db.destroy() };
}

/** Drop a PostgreSQL schema made for a test run. */
export async function dropPgSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/** Take the next ledger version inside a write transaction; it also serialises writers on PostgreSQL. */
export async function nextVersion(trx: Kysely<LedgerDb>): Promise<number> {
  const row = await trx
    .updateTable('ledger_state')
    .set({ version: sql`version + 1` })
    .where('id', '=', 1)
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

export async function currentVersion(db: Kysely<LedgerDb>): Promise<number> {
  const row = await db
    .selectFrom('ledger_state')
    .select('version')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.version);
}
