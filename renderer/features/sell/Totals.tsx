// Subtotal, discounts, tax per rate and the total of a priced cart.
import type { PricedCart } from '../../../shared/cart';
import { formatRate, useMoney } from '../../ui/money';

export function Totals({
  cart,
  pricesIncludeTax,
}: {
  cart: PricedCart;
  pricesIncludeTax: boolean;
}) {
  const money = useMoney();
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
