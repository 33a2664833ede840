// The credit note an exchange issued (returned goods worth more than the new ones), shown beside the new sale's receipt.
import { useLiveQuery } from 'dexie-react-hooks';
import type { Sale } from '../../../shared/sale';
import { posDb } from '../../db/instance';
import { useMoney } from '../../ui/money';
import { ReceiptCode } from '../receipt/ReceiptCode';

/** Nothing unless the sale took an exchange's credit and that return issued a credit note for the rest. */
export function ExchangeCreditNote({ sale }: { sale: Sale }) {
  const money = useMoney();
  const returnId = sale.tenders.find((t) => t.kind === 'exchange')?.returnId;
  const note = useLiveQuery(
    async () =>
      returnId
        ? ((await posDb.creditIssued.where('returnId').equals(returnId).first()) ?? null)
        : null,
    [returnId],
  );
  if (!note) return null;
  return (
    <div className="credit-note" data-testid="credit-note">
      <p>
        Exchange: <strong>{money(note.amount)}</strong> back as store credit — give the customer
        this code:
      </p>
      <p className="mono credit-code" data-testid="credit-note-code">
        {note.code}
      </p>
      <ReceiptCode symbology="qr" data={note.qr} />
    </div>
  );
}
