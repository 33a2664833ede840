// The demo store's receipt texts (no I/O, so the print CLI can use them without a database).
import type { StorePromises, StoreSettings } from '../shared/catalog';

/** What the demo store promises on every receipt: a stall hands its goods over, it posts nothing. */
export const DEMO_STORE_PROMISES: StorePromises = {
  returnsPromise:
    'Returns: 14 days with receipt (members 30). Reduced by 30% or more: credit or exchange, 7 days. Drop items: exchange only, 7 days.',
  shippingPromise: "Shipping: we don't post orders. What you buy leaves the stall with you.",
};

/**
 * The demo store as the ledger and the print CLI hold it: the catalog's settings with the demo
 * promises, and a footer that no longer repeats (or contradicts) the returns promise.
 */
export function demoStoreSettings(store: StoreSettings): StoreSettings {
  return {
    ...store,
    ...DEMO_STORE_PROMISES,
    receiptFooter: 'Thanks for shopping local! Your statutory rights are not affected.',
  };
}
