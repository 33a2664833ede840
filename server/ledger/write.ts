// Low-level writes shared by every ledger operation: chunked multi-row inserts, stock movements and exceptions.
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import { insertRows } from '../db/bulk-insert';
import type { Engine } from '../db/migrations';
import type { LedgerDb, MovementKind } from '../db/schema';
import { notFound } from '../http/api';

// SQLite allows 32,766 bound values per statement; stay well under it for every table.
const MAX_VALUES = 30_000;

export async function insertMany<T extends keyof LedgerDb & string>(
  trx: Kysely<LedgerDb>,
  table: T,
  rows: Insertable<LedgerDb[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0] as object).length;
  const chunk = Math.max(1, Math.floor(MAX_VALUES / perRow));
  for (let i = 0; i < rows.length; i += chunk) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
  }
}

export interface Movement {
  sku: string;
  delta: number;
  kind: MovementKind;
  ref: string | null;
  note?: string | null;
}

/**
 * Append movements and keep the per-SKU level (their sum) in step, in the caller's transaction.
 * Sale movements are not stored again: the caller has stored the sale's lines, which the
 * stock_journal view reads as its movements.
 * Returns the SKUs this write took from zero-or-more to below zero.
 */
export async function recordMovements(
  trx: Kysely<LedgerDb>,
  storeId: string,
  movements: readonly Movement[],
  version: number,
  at: string,
  /** Known to the caller (a push): the rows go through the fixed-shape bulk insert. */
  engine?: Engine,
): Promise<{ sku: string; qty: number }[]> {
  if (movements.length === 0) return [];
  // A sale's movements are its lines: the stock_journal view reads them from sale_lines.
  const stored = movements.filter((m) => m.kind !== 'sale');
  const rows: Insertable<LedgerDb['stock_movements']>[] = stored.map((m) => ({
    store_id: storeId,
    sku: m.sku,
    delta: m.delta,
    kind: m.kind,
    ref: m.ref,
    note: m.note ?? null,
    created_at: at,
    version,
  }));
  if (rows.length > 0 && engine) await insertRows(trx, engine, 'stock_movements', rows);
  else await insertMany(trx, 'stock_movements', rows);
  const bySku = new Map<string, number>();
  for (const m of movements) bySku.set(m.sku, (bySku.get(m.sku) ?? 0) + m.delta);
  const levels = [...bySku].map(([sku, qty]) => ({ store_id: storeId, sku, qty, version }));
  const chunk = 5_000;
  for (let i = 0; i < levels.length; i += chunk) {
    await trx
      .insertInto('stock_levels')
      .values(levels.slice(i, i + chunk))
      .onConflict((oc) =>
        oc.columns(['store_id', 'sku']).doUpdateSet({
          qty: sql`stock_levels.qty + excluded.qty`,
          version: sql`excluded.version`,
        }),
      )
      .execute();
  }
  const negatives: { sku: string; qty: number }[] = [];
  const skus = [...bySku.keys()];
  for (let i = 0; i < skus.length; i += 5_000) {
    const rows = await trx
      .selectFrom('stock_levels')
      .select(['sku', 'qty'])
      .where('store_id', '=', storeId)
      .where('sku', 'in', skus.slice(i, i + 5_000))
      .where('qty', '<', 0)
      .execute();
    for (const r of rows) {
      const delta = bySku.get(r.sku) ?? 0;
      if (Number(r.qty) - delta >= 0) negatives.push({ sku: r.sku, qty: Number(r.qty) });
    }
  }
  return negatives;
}

/** Throws 404 unless the store exists. */
export async function requireStore(db: Kysely<LedgerDb>, storeId: string): Promise<void> {
  const store = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) throw notFound(`Store ${storeId}`);
}

export interface ExceptionInput {
  kind: string;
  message: string;
  deviceId?: string | null;
  eventId?: string | null;
  details?: unknown;
}

export function exceptionRow(
  storeId: string,
  e: ExceptionInput,
  at: string,
): Insertable<LedgerDb['exceptions']> {
  return {
    id: ulid(),
    store_id: storeId,
    kind: e.kind,
    device_id: e.deviceId ?? null,
    event_id: e.eventId ?? null,
    message: e.message,
    details: e.details === undefined ? null : JSON.stringify(e.details),
    created_at: at,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
  };
}
