// Sales history on this till: find a sale by its receipt number, see its receipt, print it again, or take goods back.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { parseReceiptNumber } from '../../../shared/receipt-number';
import { useDevice } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';
import { ComplaintPanel } from '../manager/ComplaintPanel';
import { ReceiptPrintStatus } from '../printing/ReceiptPrintStatus';
import { ReceiptView } from '../receipt/ReceiptView';
import { SaleList } from './SaleList';

/** "T1-000042", "t1-42" or just "42" (this till's prefix) → the stored receipt number. */
function normalise(text: string, prefix: string): string | null {
  const t = text.trim();
  const parsed = parseReceiptNumber(/^\d+$/.test(t) ? `${prefix}-${t}` : t);
  return parsed ? `${parsed.devicePrefix}-${String(parsed.n).padStart(6, '0')}` : null;
}

export function HistoryScreen() {
  const dates = useDates();
  const device = useDevice();
  const money = useMoney();
  const saleId = useSession((s) => s.saleId);
  const go = useSession((s) => s.go);
  const [text, setText] = useState('');
  const wanted = device ? normalise(text, device.prefix) : null;
  const sales = useLiveQuery(
    () =>
      wanted
        ? posDb.sales.where('receiptNumber').equals(wanted).toArray()
        : posDb.sales.orderBy('createdAt').reverse().limit(100).toArray(),
    [wanted],
  );
  const selected = useLiveQuery(
    async () => (saleId ? await posDb.sales.get(saleId) : undefined),
    [saleId],
  );
  const returns = useLiveQuery(
    async () =>
      saleId ? await posDb.returns.where('saleId').equals(saleId).sortBy('createdAt') : [],
    [saleId],
  );

  return (
    <div className="history">
      <h1 className="sr-only">Sales history</h1>
      <section className="history-list">
        <input
          type="search"
          aria-label="Find receipt number"
          placeholder="Receipt number, e.g. T1-000042 or 42"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {text.trim() && !wanted && <p className="error">A receipt number looks like T1-000042.</p>}
        <SaleList
          sales={sales}
          selectedId={saleId}
          onPick={(id) => go('history', id)}
          withVoids={!wanted}
          empty={wanted ? `No sale ${wanted} on this till.` : 'No sales yet.'}
        />
      </section>
      <section className="history-receipt">
        {selected && (
          <>
            <ReceiptPrintStatus sale={selected} />
            <div className="row">
              <button type="button" className="btn" onClick={() => go('returns', selected.id)}>
                Return or exchange
              </button>
            </div>
            {returns && returns.length > 0 && (
              <ul
                className="list sale-returns"
                aria-label="Returns of this sale"
                data-testid="sale-returns"
              >
                {returns.map((r) => (
                  <li key={r.id} className="banner">
                    Returned {r.lines.reduce((n, l) => n + l.qty, 0)} item
                    {r.lines.reduce((n, l) => n + l.qty, 0) === 1 ? '' : 's'} on{' '}
                    {dates.dateTime(r.createdAt)}: {r.returnNumber},{' '}
                    {r.exchangeSaleId ? 'exchanged' : 'refunded'} {money(r.refundTotal)}
                  </li>
                ))}
              </ul>
            )}
            <ReceiptView sale={selected} />
            <ComplaintPanel sale={selected} />
          </>
        )}
      </section>
    </div>
  );
}
