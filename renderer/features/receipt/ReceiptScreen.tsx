// After payment: change due, the paper receipt's state, its preview, and on to the next customer.
import { useLiveQuery } from 'dexie-react-hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { useMoney } from '../../ui/money';
import { ReceiptPrintStatus } from '../printing/ReceiptPrintStatus';
import { ExchangeCreditNote } from '../returns/ExchangeCreditNote';
import { justPaid } from './just-paid';
import { ReceiptView } from './ReceiptView';

export function ReceiptScreen() {
  const saleId = useSession((s) => s.saleId);
  const go = useSession((s) => s.go);
  const money = useMoney();
  // The sale just paid is shown from memory at once (it is committed); the live read follows.
  const sale = useLiveQuery(
    async () => (saleId ? ((await posDb.sales.get(saleId)) ?? null) : null),
    [saleId],
    justPaid(saleId),
  );
  if (sale === undefined) return null;
  if (sale === null) return <p className="error">That sale is not on this till.</p>;
  return (
    <div className="receipt-screen">
      <section className="paid" aria-live="polite">
        <p className="paid-title">Paid</p>
        {sale.change > 0 && <p className="change">Change due {money(sale.change)}</p>}
        <ExchangeCreditNote sale={sale} />
        <button
          type="button"
          className="btn btn-primary btn-big"
          autoFocus
          onClick={() => go('sell', null)}
        >
          New sale
        </button>
        <ReceiptPrintStatus sale={sale} />
      </section>
      <ReceiptView sale={sale} />
    </div>
  );
}
