// A push's big inserts (events, sales, sale lines, stock movements) as fixed-shape statements: no per-row query building, no per-push SQL text.
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Engine } from './migrations';
import type { LedgerDb } from './schema';

/**
 * Rows per SQLite statement, largest first. Every chunk uses one of these shapes, so a table
 * needs at most three prepared statements (kept by statement-cache.ts) whatever the batch size,
 * and the bound values stay far under SQLite's 32,766 for any table.
 */
const SQLITE_SHAPES = [64, 8, 1] as const;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

const sqliteText = new Map<string, string>();

/** `insert into t (a, b) values (?, ?), (?, ?)…` for `rows` rows, built once per table, columns and size. */
function sqliteInsert(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}\u0000${columns.join(',')}\u0000${rows}`;
  let text = sqliteText.get(key);
  if (!text) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${Array(rows).fill(tuple).join(', ')}`;
    sqliteText.set(key, text);
  }
  return text;
}

/**
 * Insert rows that all have the same columns (those of the first row), in the caller's
 * transaction. SQLite: multi-row statements of a few fixed sizes, prepared once and reused.
 * PostgreSQL: one statement per table taking every row as one JSON parameter
 * (`json_populate_recordset` turns it into rows of the table's own column types), so a
 * 2,000-fact push binds one value instead of tens of thousands.
 */
export async function insertRows<T extends keyof LedgerDb & string>(
  trx: Kysely<LedgerDb>,
  engine: Engine,
  table: T,
  rows: readonly Insertable<LedgerDb[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  if (engine === 'postgres') {
    const list = columns.map(quote).join(', ');
    const text = `insert into ${quote(table)} (${list}) select ${list} from json_populate_recordset(null::${quote(table)}, $1::json)`;
    await trx.executeQuery(CompiledQuery.raw(text, [JSON.stringify(rows)]));
    return;
  }
  let at = 0;
  for (const size of SQLITE_SHAPES) {
    const text = sqliteInsert(table, columns, size);
    while (rows.length - at >= size) {
      const values: unknown[] = new Array(size * columns.length);
      let v = 0;
      for (let r = at; r < at + size; r++) {
        const row = rows[r] as Record<string, unknown>;
        for (const c of columns) values[v++] = row[c] ?? null;
      }
      await trx.executeQuery(CompiledQuery.raw(text, values));
      at += size;
    }
  }
}
