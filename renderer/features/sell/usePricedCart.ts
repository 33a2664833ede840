// The cart being built, with its promo code checked offline, priced by the shared pricing rules with this store's tax settings.
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { type PricedCart, priceCart } from '../../../shared/cart';
import { usePricingContext } from '../../db/hooks';
import { posDb } from '../../db/instance';
import {
  type CartPromo,
  type CartPromoInput,
  checkCartPromo,
  withPromo,
} from '../../db/promo-repo';
import { useCart } from '../../state/cart';
import { useMemberClaim } from '../promos/member-claim';

export interface PricedCartView {
  cart: PricedCart;
  pricesIncludeTax: boolean;
  warning: string | null;
  /** The code (or member claim) and what it came to: applied with why, or refused with why not. */
  promo: CartPromo;
  /** What the sale must check again as it commits (recordSale's `promo`). */
  promoInput: Pick<CartPromoInput, 'promoCode' | 'claimCampaignId'> | undefined;
}

export function usePricedCart(): PricedCartView | undefined {
  const ctx = usePricingContext();
  const lines = useCart((s) => s.lines);
  const orderDiscount = useCart((s) => s.orderDiscount);
  const memberId = useCart((s) => s.memberId);
  const promoCode = useCart((s) => s.promoCode);
  const claimCampaignId = useMemberClaim((s) => s.campaignId);
  const hasPromo = Boolean(promoCode?.trim() || claimCampaignId);
  // Re-checked whenever the cart, the code or the synced campaigns, keys and usage change.
  const checked = useLiveQuery(
    async () => ({
      lines,
      promo: hasPromo
        ? await checkCartPromo(posDb, { promoCode, claimCampaignId, memberId, lines }, new Date())
        : ({ state: 'none' } as const),
    }),
    [hasPromo, promoCode, claimCampaignId, memberId, lines],
  );
  // An answer for other lines (the query still catching up) is never applied to these.
  const promo = checked?.lines === lines ? checked.promo : undefined;
  return useMemo(() => {
    if (!ctx) return undefined;
    // While a changed cart is re-checked (a few ms) it is priced without the code; paying
    // then is safe: recordSale checks the code again and refuses a total that moved.
    const checked: CartPromo = promo ?? { state: 'none' };
    const promoted = withPromo(lines, checked);
    const promoInput = hasPromo ? { promoCode, claimCampaignId } : undefined;
    const base = { pricesIncludeTax: ctx.pricesIncludeTax, promo: checked, promoInput };
    try {
      return { ...base, cart: priceCart(promoted, orderDiscount, ctx), warning: null };
    } catch {
      // An amount off the order can outgrow a cart that shrank: price without it and say so.
      return {
        ...base,
        cart: priceCart(promoted, undefined, ctx),
        warning:
          'The order discount is larger than the cart now and is not applied. Change or remove it.',
      };
    }
  }, [ctx, lines, orderDiscount, promo, hasPromo, promoCode, claimCampaignId]);
}
