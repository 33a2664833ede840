// Subtotal, discounts, the promo (once, by name), VAT per rate with its amount and net, and the total: lines that add up as read.
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
  // The promo has its own line: "Discounts" is only what the cashier gave (line and order).
  const given = cart.discountTotal - promoTotal;
  const promoName =
    promo?.state === 'applied' ? (promo.code ?? 'member discount') : 'member discount';
  // Prices with VAT in: the total already holds it, so VAT is said under the total ("of which").
  // Prices without: VAT is added, so it sits above the total and the column sums to it.
  const vat = cart.taxBands.map((b) => (
    <div className="tax-band" key={b.taxClassId}>
      <dt>
        {pricesIncludeTax
          ? `incl. VAT ${formatRate(b.ratePpm)} (net ${money(b.base)})`
          : `VAT ${formatRate(b.ratePpm)} on net ${money(b.base)}`}
      </dt>
      <dd data-testid="vat">
        {pricesIncludeTax ? '' : '+'}
        {money(b.tax)}
      </dd>
    </div>
  ));
  return (
    <dl className="totals">
      <dt>Subtotal</dt>
      <dd data-testid="subtotal">{money(cart.subtotal)}</dd>
      {given > 0 && (
        <>
          <dt>Discounts</dt>
          <dd data-testid="discounts">−{money(given)}</dd>
        </>
      )}
      {promoTotal > 0 && (
        <div className="promo-line">
          <dt>Promo {promoName}</dt>
          <dd data-testid="promo-total">−{money(promoTotal)}</dd>
        </div>
      )}
      {!pricesIncludeTax && vat}
      <dt className="grand">Total</dt>
      <dd className="grand" data-testid="total">
        {money(cart.total)}
      </dd>
      {pricesIncludeTax && vat}
    </dl>
  );
}
