// The open basket and the last logged-in staff member, kept in IndexedDB so a reload or a crash loses neither.
import type { KeptBasketRow, KeptSessionRow, PosDb } from './db';

export type BasketContent = Omit<KeptBasketRow, 'key' | 'savedAt'>;

/** Nothing worth keeping: no lines, no customer, no code and no exchange under way. */
export function isEmptyBasket(b: BasketContent): boolean {
  return (
    b.lines.length === 0 &&
    !b.orderDiscount &&
    b.memberId === null &&
    b.promoCode === null &&
    b.exchange === null
  );
}

/** Write the basket as it is now (an empty one removes the kept row). */
export async function keepBasket(
  db: PosDb,
  basket: BasketContent,
  now = new Date(),
): Promise<void> {
  if (isEmptyBasket(basket)) await db.kept.delete('basket');
  else await db.kept.put({ key: 'basket', savedAt: now.toISOString(), ...basket });
}

/**
 * The kept basket, unless it was already sold or voided: a crash between committing a sale and
 * clearing the basket must not bring the paid goods back for a second payment. Read-only (the
 * login screen reads it live); the next change to the basket overwrites a stale row.
 */
export async function keptBasket(db: PosDb): Promise<KeptBasketRow | undefined> {
  return db.transaction('r', [db.kept, db.sales, db.voids], async () => {
    const row = await db.kept.get('basket');
    if (row?.key !== 'basket') return undefined;
    const sold = await db.sales.where('createdAt').aboveOrEqual(row.savedAt).count();
    const voided = await db.voids.filter((v) => v.createdAt >= row.savedAt).count();
    return sold + voided === 0 ? row : undefined;
  });
}

export async function keepSession(
  db: PosDb,
  staff: { id: string; name: string },
  now = new Date(),
): Promise<void> {
  await db.kept.put({
    key: 'session',
    staffId: staff.id,
    name: staff.name,
    since: now.toISOString(),
  });
}

export async function keptSession(db: PosDb): Promise<KeptSessionRow | undefined> {
  const row = await db.kept.get('session');
  return row?.key === 'session' ? row : undefined;
}
