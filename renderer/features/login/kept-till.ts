// Keeps the open basket (lines, discounts, customer, code, claimed offer, exchange) in IndexedDB on every change, and brings it back after a reload once a PIN unlocks the till.
import { type BasketContent, keepBasket, keptBasket } from '../../db/basket-repo';
import type { PosDb } from '../../db/db';
import { useCart } from '../../state/cart';
import { useExchange } from '../../state/exchange';
import { useMemberClaim } from '../promos/member-claim';

function basketNow(): BasketContent {
  const c = useCart.getState();
  return {
    lines: c.lines,
    ...(c.orderDiscount ? { orderDiscount: c.orderDiscount } : {}),
    ...(c.approvedBy ? { approvedBy: c.approvedBy } : {}),
    memberId: c.memberId,
    promoCode: c.promoCode,
    claimCampaignId: useMemberClaim.getState().campaignId,
    exchange: useExchange.getState().exchange,
    parkedName: c.parkedName,
  };
}

// Writes go one after another, so the last change is the one kept.
let writing: Promise<void> = Promise.resolve();
let watching: (() => void) | null = null;

/** Start writing the basket on every change (once; later calls return the same stop). */
export function watchBasket(db: PosDb): () => void {
  if (watching) return watching;
  let last = basketNow();
  const write = () => {
    const next = basketNow();
    const changed = (Object.keys(next) as (keyof BasketContent)[]).some((k) => next[k] !== last[k]);
    if (!changed) return;
    last = next;
    writing = writing
      .then(() => keepBasket(db, next))
      .catch((error) => console.error('The basket could not be kept for a reload', error));
  };
  const stops = [
    useCart.subscribe(write),
    useExchange.subscribe(write),
    useMemberClaim.subscribe(write),
  ];
  watching = () => {
    for (const stop of stops) stop();
    watching = null;
  };
  return watching;
}

/**
 * After a reload the stores are empty: put the kept basket back. A basket already on the till
 * (locked and unlocked without a reload) is newer than anything written, so it stays as it is.
 */
export async function restoreBasket(db: PosDb): Promise<boolean> {
  await writing;
  const here = basketNow();
  if (here.lines.length > 0 || here.exchange) return false;
  const row = await keptBasket(db);
  if (!row) return false;
  useCart.getState().load(row);
  // After the member: setting the member clears any claim.
  useMemberClaim.getState().claim(row.claimCampaignId);
  if (row.exchange) useExchange.getState().start(row.exchange);
  return true;
}
