// Parked sales: a cart put aside (customer fetching their wallet) and resumed later on this till, with its customer and promo code.
import type { CartLine, Discount } from '../../shared/cart';
import type { ParkedSaleRow, PosDb } from './db';
import { newId } from './sales-repo';

/**
 * A parked cart as stored. The customer and the code ride along (optional: rows parked by
 * older versions have neither), so a resumed sale keeps its limits, early access and discount.
 */
export interface ParkedCart extends ParkedSaleRow {
  memberId?: string | null;
  promoCode?: string | null;
  /** A member offer claimed with one tap. */
  claimCampaignId?: string | null;
}

export async function parkSale(
  db: PosDb,
  input: {
    staffId: string;
    lines: CartLine[];
    orderDiscount?: Discount;
    approvedBy?: string;
    memberId: string | null;
    promoCode: string | null;
    claimCampaignId: string | null;
    label: string;
  },
  now = new Date(),
): Promise<ParkedCart> {
  const row: ParkedCart = { id: newId(now.getTime()), parkedAt: now.toISOString(), ...input };
  await db.parked.add(row);
  return row;
}

/** Take a parked sale back (it leaves the parked list). */
export async function takeParked(db: PosDb, id: string): Promise<ParkedCart | undefined> {
  return db.transaction('rw', db.parked, async () => {
    const row: ParkedCart | undefined = await db.parked.get(id);
    if (row) await db.parked.delete(id);
    return row;
  });
}
