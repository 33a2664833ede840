// Parked baskets: a basket put aside under a name ("Blue jacket lady") and taken back later on this till, with its customer and promo code; switching swaps the open basket for a parked one.
import { unsafeCharIndex } from '../../shared/bounds';
import type { CartLine, Discount } from '../../shared/cart';
import type { Minor } from '../../shared/money';
import type { ParkedSaleRow, PosDb } from './db';
import { newId } from './sales-repo';

/**
 * A parked basket as stored. The customer, the code, the count and the total ride along
 * (optional: rows parked by older versions have none of them), so a resumed sale keeps its
 * limits, early access and discount, and the list can say "2 items · €56.00".
 */
export interface ParkedCart extends ParkedSaleRow {
  memberId?: string | null;
  promoCode?: string | null;
  /** A member offer claimed with one tap. */
  claimCampaignId?: string | null;
  itemCount?: number;
  total?: Minor;
  staffName?: string;
}

export interface ParkInput {
  staffId: string;
  staffName: string;
  lines: CartLine[];
  orderDiscount?: Discount;
  approvedBy?: string;
  memberId: string | null;
  promoCode: string | null;
  claimCampaignId: string | null;
  /** The name or note the cashier gave it ("Blue jacket lady"). */
  label: string;
  itemCount: number;
  total: Minor;
}

/** Why a basket cannot be parked, in words; null when it can. */
export function parkRefusal(input: Pick<ParkInput, 'lines' | 'label'>): string | null {
  if (input.lines.length === 0) return 'The basket is empty: there is nothing to park.';
  if (input.label.trim().length > 60) return 'Keep the name under 60 characters.';
  if (unsafeCharIndex(input.label) >= 0)
    return 'The name has a character that cannot be shown or printed: type it again.';
  return null;
}

function row(input: ParkInput, now: Date): ParkedCart {
  return {
    id: newId(now.getTime()),
    parkedAt: now.toISOString(),
    ...input,
    label: input.label.trim(),
  };
}

export async function parkSale(db: PosDb, input: ParkInput, now = new Date()): Promise<ParkedCart> {
  const refused = parkRefusal(input);
  if (refused) throw new Error(refused);
  const parked = row(input, now);
  await db.parked.add(parked);
  return parked;
}

/** Take a parked sale back (it leaves the parked list). */
export async function takeParked(db: PosDb, id: string): Promise<ParkedCart | undefined> {
  return db.transaction('rw', db.parked, async () => {
    const found: ParkedCart | undefined = await db.parked.get(id);
    if (found) await db.parked.delete(id);
    return found;
  });
}

/**
 * Switch baskets in one step: the open one is parked and the chosen one taken back, or neither
 * (a parked basket another screen just took leaves the open one where it is).
 */
export async function swapParked(
  db: PosDb,
  open: ParkInput,
  id: string,
  now = new Date(),
): Promise<ParkedCart | undefined> {
  const refused = parkRefusal(open);
  if (refused) throw new Error(refused);
  return db.transaction('rw', db.parked, async () => {
    const found: ParkedCart | undefined = await db.parked.get(id);
    if (!found) return undefined;
    await db.parked.delete(id);
    await db.parked.add(row(open, now));
    return found;
  });
}
