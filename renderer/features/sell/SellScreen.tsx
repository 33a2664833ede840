// The sell screen: drops strip, search, category grid and scanner input on the left; customer, cart and actions on the right.
import { useEffect, useRef, useState } from 'react';
import type { ProductRow } from '../../db/db';
import { useCurrentShift, useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { recordVoid } from '../../db/sales-repo';
import { useCart } from '../../state/cart';
import { useSession } from '../../state/session';
import { Dialog } from '../../ui/Dialog';
import { useMoney } from '../../ui/money';
import { DropStrip } from '../drops/DropStrip';
import { useDropSelling } from '../drops/useDropSelling';
import { ExchangeBanner } from '../returns/ExchangeBanner';
import { CartPanel } from './CartPanel';
import { CustomerDialog, tiersText } from './CustomerDialog';
import { ParkedBaskets } from './ParkedBaskets';
import { ProductGrid } from './ProductGrid';
import { takeScannedCode } from './scanned-code';
import { usePricedCart } from './usePricedCart';
import { useScanner } from './useScanner';

export function SellScreen() {
  const staff = useSession((s) => s.staff)!;
  const { go, notify } = useSession.getState();
  const shift = useCurrentShift();
  const priced = usePricedCart();
  const money = useMoney();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<'void' | 'customer' | null>(null);
  const [cartDialogOpen, setCartDialogOpen] = useState(false);
  const [parkingOpen, setParkingOpen] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const drops = useDropSelling();
  const store = useStoreSettings();
  const refusal = useCart((s) => s.dropRefusal);

  const add = (p: ProductRow) => useCart.getState().add(p);

  const addByCode = async (code: string): Promise<boolean> => {
    if (await takeScannedCode(code, store?.storeId)) return true;
    notify(`No product with barcode or SKU “${code}” — the cart is unchanged.`, 'error');
    return false;
  };

  useScanner(
    dialog === null && !cartDialogOpen && refusal === null && !parkingOpen,
    addByCode,
    (text) => {
      setQuery((q) => q + text);
      search.current?.focus();
    },
  );

  const canPay =
    priced !== undefined && priced.cart.lines.length > 0 && !!shift && priced.warning === null;
  useEffect(() => {
    if (!canPay || dialog !== null || cartDialogOpen) return;
    // F9 or Ctrl+Enter: to payment from anywhere on the sell screen, search box included.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F9' || (e.key === 'Enter' && e.ctrlKey)) {
        e.preventDefault();
        go('pay');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canPay, dialog, cartDialogOpen, go]);

  if (!priced) return null;
  const { cart, pricesIncludeTax, warning } = priced;
  const hasItems = cart.lines.length > 0;

  const voidSale = async () => {
    if (shift) await recordVoid(posDb, { cart, staffId: staff.id, shiftId: shift.id });
    useCart.getState().reset();
    setDialog(null);
    notify('Sale voided.');
  };

  return (
    <div className="sell">
      <div className="sell-left">
        {drops.data && (
          <DropStrip
            data={drops.data}
            now={drops.now}
            timeZone={drops.timeZone}
            linked={drops.linked}
          />
        )}
        <search>
          <form
            className="search"
            onSubmit={async (e) => {
              e.preventDefault();
              if (query.trim() && (await addByCode(query.trim()))) setQuery('');
            }}
          >
            <input
              ref={search}
              type="search"
              placeholder="Search name or SKU, or scan"
              aria-label="Search products"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setQuery('');
                  e.currentTarget.blur();
                }
              }}
            />
          </form>
        </search>
        <ProductGrid
          query={query}
          dropTile={drops.tile}
          onPick={(p) => {
            add(p);
            setQuery('');
          }}
        />
      </div>
      <div className="sell-right">
        {shift === null && (
          <div className="banner" role="status">
            No shift is open on this till.{' '}
            <button type="button" className="btn btn-small" onClick={() => go('shift')}>
              Open shift
            </button>
          </div>
        )}
        <ExchangeBanner />
        <div className="customer-bar">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setDialog('customer')}
            data-testid="customer"
          >
            {drops.member
              ? `Customer: ${drops.member.name} · ${tiersText(drops.member)}`
              : 'Customer…'}
          </button>
        </div>
        <CartPanel cart={cart} pricesIncludeTax={pricesIncludeTax} onDialog={setCartDialogOpen} />
        {warning && (
          <p className="error" role="alert">
            {warning}
          </p>
        )}
        <div className="actions">
          <ParkedBaskets itemCount={cart.itemCount} total={cart.total} onDialog={setParkingOpen} />
          <button
            type="button"
            className="btn danger"
            disabled={!hasItems}
            onClick={() => setDialog('void')}
          >
            Void
          </button>
          <button
            type="button"
            className="btn btn-primary btn-pay"
            disabled={!canPay}
            onClick={() => go('pay')}
          >
            Pay {money(cart.total)}
            <kbd>F9</kbd>
          </button>
        </div>
      </div>

      {dialog === 'customer' && (
        <CustomerDialog member={drops.member} onClose={() => setDialog(null)} />
      )}
      {refusal !== null && (
        <Dialog title="Cannot sell this drop item" onClose={useCart.getState().dismissDropRefusal}>
          <p role="alert" className="drop-refusal">
            {refusal}
          </p>
          <button
            type="button"
            className="btn btn-primary"
            onClick={useCart.getState().dismissDropRefusal}
          >
            OK
          </button>
        </Dialog>
      )}
      {dialog === 'void' && (
        <Dialog title="Void this sale?" onClose={() => setDialog(null)}>
          <p>
            {cart.itemCount} items · {money(cart.total)}. The cart is cleared and the void is
            recorded on the Z report.
          </p>
          <div className="row">
            <button type="button" className="btn btn-ghost" onClick={() => setDialog(null)}>
              Keep selling
            </button>
            <button type="button" className="btn danger" onClick={voidSale}>
              Void sale
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
