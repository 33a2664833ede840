// The cart: lines with quantity, discount and remove; totals; and the actions that end or pause a sale.
import { useState } from 'react';
import type { PricedCart, PricedLine } from '../../../shared/cart';
import { useCart } from '../../state/cart';
import { useMoney } from '../../ui/money';
import { DiscountDialog } from './DiscountDialog';
import { PromoEntry } from './PromoEntry';
import { QtyDialog } from './QtyDialog';
import { Totals } from './Totals';
import { usePricedCart } from './usePricedCart';

type Open =
  | { kind: 'qty'; line: PricedLine }
  | { kind: 'line-discount'; line: PricedLine }
  | { kind: 'order-discount' };

interface Props {
  cart: PricedCart;
  pricesIncludeTax: boolean;
  onDialog: (open: boolean) => void;
}

export function CartPanel({ cart, pricesIncludeTax, onDialog }: Props) {
  const money = useMoney();
  // The same checked code the cart was priced with (one Dexie query, shared by its inputs).
  const promo = usePricedCart()?.promo ?? { state: 'none' as const };
  const { setQty, remove, setLineDiscount, setOrderDiscount } = useCart.getState();
  const orderDiscount = useCart((s) => s.orderDiscount);
  const activeLineId = useCart((s) => s.activeLineId);
  const [open, setOpenState] = useState<Open | null>(null);
  const setOpen = (o: Open | null) => {
    setOpenState(o);
    onDialog(o !== null);
  };

  return (
    <section className="cart" aria-label="Cart">
      <ol className="cart-lines">
        {cart.lines.length === 0 && (
          <li className="muted empty">Scan or tap a product to start a sale.</li>
        )}
        {cart.lines.map((l) => (
          <li
            key={l.lineId}
            className={l.lineId === activeLineId ? 'cart-line active' : 'cart-line'}
            data-sku={l.sku}
          >
            <div className="line-main">
              <span className="line-name">{l.name}</span>
              <span className="line-total">{money(l.gross - l.lineDiscount)}</span>
            </div>
            <div className="line-sub">
              <span className="muted">
                {money(l.unitPrice)} each
                {l.lineDiscount - (l.promoDiscount ?? 0) > 0 &&
                  ` · −${l.discount?.kind === 'percent' ? `${l.discount.bp / 100}%` : money(l.lineDiscount - (l.promoDiscount ?? 0))}`}
                {(l.promoDiscount ?? 0) > 0 && ` · promo −${money(l.promoDiscount ?? 0)}`}
              </span>
              <span className="line-controls">
                <button
                  type="button"
                  className="btn-icon"
                  aria-label={`One less ${l.name}`}
                  onClick={() => (l.qty > 1 ? setQty(l.lineId, l.qty - 1) : remove(l.lineId))}
                >
                  −
                </button>
                <button
                  type="button"
                  className="qty"
                  aria-label={`Quantity of ${l.name}: ${l.qty}. Change`}
                  onClick={() => setOpen({ kind: 'qty', line: l })}
                >
                  {l.qty}
                </button>
                <button
                  type="button"
                  className="btn-icon"
                  aria-label={`One more ${l.name}`}
                  onClick={() => setQty(l.lineId, Math.min(l.qty + 1, 9_999))}
                >
                  +
                </button>
                <button
                  type="button"
                  className="btn-icon"
                  aria-label={`Discount on ${l.name}`}
                  onClick={() => setOpen({ kind: 'line-discount', line: l })}
                >
                  %
                </button>
                <button
                  type="button"
                  className="btn-icon danger"
                  aria-label={`Remove ${l.name}`}
                  onClick={() => remove(l.lineId)}
                >
                  ×
                </button>
              </span>
            </div>
          </li>
        ))}
      </ol>
      {cart.lines.length > 0 && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setOpen({ kind: 'order-discount' })}
        >
          {cart.orderDiscount > 0
            ? `Order discount −${money(cart.orderDiscount)}`
            : 'Order discount'}
        </button>
      )}
      <PromoEntry promo={promo} hasItems={cart.lines.length > 0} />
      <Totals cart={cart} pricesIncludeTax={pricesIncludeTax} promo={promo} />

      {open?.kind === 'qty' && (
        <QtyDialog
          name={open.line.name}
          qty={open.line.qty}
          onClose={() => setOpen(null)}
          onApply={(qty) => {
            setQty(open.line.lineId, qty);
            setOpen(null);
          }}
        />
      )}
      {open?.kind === 'line-discount' && (
        <DiscountDialog
          title={`Discount · ${open.line.name}`}
          appliesTo={open.line.gross}
          current={open.line.discount}
          onClose={() => setOpen(null)}
          onApply={(d, approvedBy) => {
            setLineDiscount(open.line.lineId, d, approvedBy);
            setOpen(null);
          }}
        />
      )}
      {open?.kind === 'order-discount' && (
        <DiscountDialog
          title="Order discount"
          appliesTo={cart.subtotal - cart.lineDiscounts}
          current={orderDiscount}
          onClose={() => setOpen(null)}
          onApply={(d, approvedBy) => {
            setOrderDiscount(d, approvedBy);
            setOpen(null);
          }}
        />
      )}
    </section>
  );
}
