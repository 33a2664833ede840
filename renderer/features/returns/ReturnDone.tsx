// After a return is recorded: what went back and how, the credit note's code and QR when one was issued, and the return receipt.
import type { RefundTender, SaleReturn } from '../../../shared/returns/return-fact';
import type { ReturnCommit } from '../../db/returns-repo';
import { useMoney } from '../../ui/money';
import { ReceiptCode } from '../receipt/ReceiptCode';
import { REASON_WORDS } from './ReturnLineRow';

function refundWords(t: RefundTender): string {
  if (t.kind === 'cash') return 'Cash from the drawer';
  if (t.kind === 'card') return `To card, refund reference ${t.reference}`;
  return `Store credit ${t.code}`;
}

interface Props {
  recorded: Extract<ReturnCommit, { ok: true }>;
  /** Line names of the original sale, by line number. */
  names: Map<number, string>;
  onNext: () => void;
}

export function ReturnDone({ recorded, names, onNext }: Props) {
  const money = useMoney();
  const r: SaleReturn = recorded.saleReturn;
  const note = recorded.creditNote;
  return (
    <div className="return-done">
      <section className="paid" aria-live="polite">
        <p className="paid-title">Return recorded</p>
        <p>
          Return <strong data-testid="return-number">{r.returnNumber}</strong> of sale{' '}
          {r.saleReceiptNumber}
        </p>
        <ul className="tenders" aria-label="Money back">
          {r.refunds.map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a recorded fact's refunds never change
            <li key={i}>
              <span>{refundWords(t)}</span> <strong>{money(t.amount)}</strong>
            </li>
          ))}
        </ul>
        {note && (
          <div className="credit-note" data-testid="credit-note">
            <p>
              Store credit <strong>{money(note.amount)}</strong> — give the customer this code:
            </p>
            <p className="mono credit-code" data-testid="credit-note-code">
              {note.code}
            </p>
            <ReceiptCode symbology="qr" data={note.qr} />
          </div>
        )}
        <button type="button" className="btn btn-primary btn-big" autoFocus onClick={onNext}>
          Next customer
        </button>
      </section>
      <section className="receipt" aria-label="Return receipt" data-testid="return-receipt">
        <header>
          <p>
            <strong>Return {r.returnNumber}</strong>
          </p>
          <p>Sale {r.saleReceiptNumber}</p>
          <p className="muted">{new Date(r.createdAt).toLocaleString()}</p>
        </header>
        <table>
          <thead>
            <tr>
              <th>Item</th>
              <th className="num">Qty</th>
              <th className="num">Refund</th>
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a recorded fact's lines never change
              <tr key={i}>
                <td>
                  {names.get(l.lineNo) ?? l.sku}
                  <br />
                  <span className="muted">
                    {REASON_WORDS[l.reason]} ·{' '}
                    {l.condition === 'damaged' ? 'damaged' : 'resaleable'}
                  </span>
                </td>
                <td className="num">{l.qty}</td>
                <td className="num">{money(l.refund)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="return-total">
          Refunded <strong data-testid="return-refund-total">{money(r.refundTotal)}</strong>
        </p>
        {r.override && <p className="muted">Manager override: {r.override.reason}</p>}
      </section>
    </div>
  );
}
