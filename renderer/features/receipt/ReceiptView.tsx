// On-screen receipt for a committed sale: what the customer gets on paper.
import type { Sale } from '../../../shared/sale';
import { useStoreSettings } from '../../db/hooks';
import { formatRate, useMoney } from '../../ui/money';

export function ReceiptView({ sale }: { sale: Sale }) {
  const store = useStoreSettings();
  const money = useMoney();
  return (
    <article className="receipt" aria-label={`Receipt ${sale.receiptNumber}`}>
      <header>
        <h2>{store?.name}</h2>
        {store?.address.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </header>
      <p className="receipt-meta">
        <span data-testid="receipt-number">{sale.receiptNumber}</span>
        <span>{new Date(sale.createdAt).toLocaleString(store?.locale)}</span>
        <span>Served by {sale.staffName}</span>
      </p>
      <table>
        <tbody>
          {sale.lines.map((l) => (
            <tr key={l.lineId}>
              <td>
                {l.qty} × {l.name}
                {l.lineDiscount > 0 && (
                  <div className="muted">discount −{money(l.lineDiscount)}</div>
                )}
              </td>
              <td className="num">{money(l.gross - l.lineDiscount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>{money(sale.subtotal)}</dd>
        {sale.discountTotal > 0 && (
          <>
            <dt>Discounts</dt>
            <dd>−{money(sale.discountTotal)}</dd>
          </>
        )}
        <dt className="grand">Total</dt>
        <dd className="grand" data-testid="receipt-total">
          {money(sale.total)}
        </dd>
        {sale.rounding !== 0 && (
          <>
            <dt>Cash rounding</dt>
            <dd>{money(sale.rounding)}</dd>
          </>
        )}
        {sale.tenders.map((t, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: tenders are only appended or removed, never reordered
          <div key={`${t.kind}-${i}`} className="tender">
            <dt>{t.kind === 'cash' ? 'Cash' : `Card ${t.reference}`}</dt>
            <dd>{money(t.amount)}</dd>
          </div>
        ))}
        {sale.change > 0 && (
          <>
            <dt>Change</dt>
            <dd data-testid="receipt-change">{money(sale.change)}</dd>
          </>
        )}
      </dl>
      <table className="vat">
        <thead>
          <tr>
            <th>VAT</th>
            <th className="num">Net</th>
            <th className="num">VAT</th>
          </tr>
        </thead>
        <tbody>
          {sale.taxBands.map((b) => (
            <tr key={b.taxClassId}>
              <td>{formatRate(b.ratePpm)}</td>
              <td className="num">{money(b.base)}</td>
              <td className="num">{money(b.tax)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {store?.receiptFooter && <footer>{store.receiptFooter}</footer>}
    </article>
  );
}
