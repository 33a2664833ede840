// The exchange in progress, shown above the cart: the credit the returned goods give and a way to cancel it.
import { useExchange } from '../../state/exchange';
import { useSession } from '../../state/session';
import { useMoney } from '../../ui/money';

export function ExchangeBanner() {
  const exchange = useExchange((s) => s.exchange);
  const money = useMoney();
  if (!exchange) return null;
  return (
    <div className="banner exchange-banner" role="status" data-testid="exchange-banner">
      <span>
        Exchange: <strong>{money(exchange.credit)}</strong> credit from{' '}
        {exchange.found.sale.receiptNumber}
      </span>
      <button
        type="button"
        className="btn"
        onClick={() => {
          useExchange.getState().cancel();
          useSession.getState().notify('Exchange cancelled: nothing was returned.');
        }}
      >
        Cancel exchange
      </button>
    </div>
  );
}
