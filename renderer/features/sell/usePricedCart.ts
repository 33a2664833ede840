// The cart being built, priced by the shared pricing rules with this store's tax settings.
import { useMemo } from 'react';
import { type PricedCart, priceCart } from '../../../shared/cart';
import { usePricingContext } from '../../db/hooks';
import { useCart } from '../../state/cart';

export function usePricedCart():
  | { cart: PricedCart; pricesIncludeTax: boolean; warning: string | null }
  | undefined {
  const ctx = usePricingContext();
  const lines = useCart((s) => s.lines);
  const orderDiscount = useCart((s) => s.orderDiscount);
  return useMemo(() => {
    if (!ctx) return undefined;
    try {
      return {
        cart: priceCart(lines, orderDiscount, ctx),
        pricesIncludeTax: ctx.pricesIncludeTax,
        warning: null,
      };
    } catch {
      // An amount off the order can outgrow a cart that shrank: price without it and say so.
      return {
        cart: priceCart(lines, undefined, ctx),
        pricesIncludeTax: ctx.pricesIncludeTax,
        warning:
          'The order discount is larger than the cart now and is not applied. Change or remove it.',
      };
    }
  }, [ctx, lines, orderDiscount]);
}
