// After a return is recorded: what went back and how, the credit note's code and QR when one was issued, and the return receipt.
import type { RefundTender } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import type { ReturnCommit } from '../../db/returns-repo';
import { useMoney } from '../../ui/money';
import { ReceiptPrintStatus } from '../printing/ReceiptPrintStatus';
import { ReceiptCode } from '../receipt/ReceiptCode';
import { ReturnReceiptView } from '../receipt/ReturnReceiptView';

function refundWords(t: RefundTender): string {
  if (t.kind === 'cash') return 'Cash from the drawer';
  if (t.kind === 'card') return `To card, refund reference ${t.reference}`;
  return `Store credit ${t.code}`;
}

interface Props {
  recorded: Extract<ReturnCommit, { ok: true }>;
  /** The sale the goods came from. */
  sale: Sale;
  onNext: () => void;
}

export function ReturnDone({ recorded, sale, onNext }: Props) {
  const money = useMoney();
  const r = recorded.saleReturn;
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
        <ReceiptPrintStatus saleReturn={r} sale={sale} />
      </section>
      <ReturnReceiptView saleReturn={r} sale={sale} />
    </div>
  );
}
