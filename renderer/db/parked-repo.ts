// Parked sales: a cart put aside (customer fetching their wallet) and resumed later on this till.
import type { CartLine, Discount } from '../../shared/cart';
import type { ParkedSaleRow, PosDb } from './db';
import { newId } from './sales-repo';

export async function parkSale(
  db: PosDb,
  input: {
    staffId: string;
    lines: CartLine[];
    orderDiscount?: Discount;
    approvedBy?: string;
    label: string;
  },
  now = new Date(),
): Promise<ParkedSaleRow> {
  const row: ParkedSaleRow = { id: newId(now.getTime()), parkedAt: now.toISOString(), ...input };
  await db.parked.add(row);
  return row;
}

/** Take a parked sale back (it leaves the parked list). */
export async function takeParked(db: PosDb, id: string): Promise<ParkedSaleRow | undefined> {
  return db.transaction('rw', db.parked, async () => {
    const row = await db.parked.get(id);
    if (row) await db.parked.delete(id);
    return row;
  });
}
