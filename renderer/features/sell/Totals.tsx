// Subtotal, discounts (the promo code's named), tax per rate and the total of a priced cart.
import type { PricedCart } from '../../../shared/cart';
import type { CartPromo } from '../../db/promo-repo';
import { formatRate, useMoney } from '../../ui/money';
import './promo.css';

export function Totals({
  cart,
  pricesIncludeTax,
  promo,
}: {
  cart: PricedCart;
  pricesIncludeTax: boolean;
  promo?: CartPromo;
}) {
  const money = useMoney();
  const promoTotal = cart.lines.reduce((n, l) => n + (l.promoDiscount ?? 0), 0);
  return (
    <dl className="totals">
      <dt>Subtotal</dt>
      <dd data-testid="subtotal">{money(cart.subtotal)}</dd>
      {cart.discountTotal > 0 && (
        <>
          <dt>Discounts</dt>
          <dd data-testid="discounts">−{money(cart.discountTotal)}</dd>
        </>
      )}
      {promoTotal > 0 && promo?.state === 'applied' && (
        <div className="promo-line">
          <dt>Promo {promo.code ?? 'member discount'}</dt>
          <dd data-testid="promo-total">−{money(promoTotal)}</dd>
        </div>
      )}
      {cart.taxBands.map((b) => (
        <div className="tax-band" key={b.taxClassId}>
          <dt>
            VAT {formatRate(b.ratePpm)} {pricesIncludeTax ? 'incl.' : 'on'} {money(b.base)}
          </dt>
          <dd>{money(b.tax)}</dd>
        </div>
      ))}
      <dt className="grand">Total</dt>
      <dd className="grand" data-testid="total">
        {money(cart.total)}
      </dd>
    </dl>
  );
}
