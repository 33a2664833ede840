// Drops as the ledger stores them: rebuilt from their rows, and units sold per drop item from the sale lines.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { type Drop, type DropItem, dropSchema } from '../../shared/drops';
import type { LedgerDb } from '../db/schema';

export type Db = Kysely<LedgerDb> | Transaction<LedgerDb>;

/** A till keeps hearing about a drop this long after it ended (late syncs, returns, the board). */
export const DROP_PULL_RETENTION_MS = 14 * 24 * 3600 * 1000;

export const key = (dropId: string, sku: string) => `${dropId}\u0000${sku}`;

/** Drops as the shared schema has them, rebuilt from their rows and items. */
export async function loadDrops(
  db: Db,
  rows: readonly Selectable<LedgerDb['drops']>[],
): Promise<Drop[]> {
  if (rows.length === 0) return [];
  const items = await db
    .selectFrom('drop_items')
    .selectAll()
    .where(
      'drop_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('drop_id')
    .orderBy('sku')
    .execute();
  const byDrop = new Map<string, DropItem[]>();
  for (const i of items) {
    const list = byDrop.get(i.drop_id) ?? [];
    list.push({ sku: i.sku, quantity: Number(i.quantity), ladder: JSON.parse(i.ladder) });
    byDrop.set(i.drop_id, list);
  }
  return rows.map((r) =>
    dropSchema.parse({
      id: r.id,
      name: r.name,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      access: JSON.parse(r.access),
      perCustomerLimit: r.per_customer_limit === null ? null : Number(r.per_customer_limit),
      restockAt: r.restock_at,
      allotments: r.allotment_mode,
      status: r.status,
      items: byDrop.get(r.id) ?? [],
    }),
  );
}

/** Units sold per (drop, SKU), from the stored sale lines that carry the drop. */
export async function soldByItem(db: Db, dropIds: readonly string[]): Promise<Map<string, number>> {
  const sold = new Map<string, number>();
  if (dropIds.length === 0) return sold;
  const rows = await db
    .selectFrom('sale_lines')
    .select((eb) => ['drop_id', 'sku', eb.fn.sum<number | string>('qty').as('sold')])
    .where('drop_id', 'in', [...dropIds])
    .groupBy(['drop_id', 'sku'])
    .execute();
  for (const r of rows) if (r.drop_id) sold.set(key(r.drop_id, r.sku), Number(r.sold));
  return sold;
}

export const soldOf = (sold: Map<string, number>, dropId: string, sku: string) =>
  sold.get(key(dropId, sku)) ?? 0;

/** One drop sale line of a pushed batch, with what the checks need from its sale. */
export interface BatchLine {
  saleId: string;
  receipt: string;
  deviceTime: string;
  receivedAt: string;
  memberId: string | null;
  dropId: string;
  sku: string;
  qty: number;
}
