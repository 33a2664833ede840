// The credit note an exchange issued (returned goods worth more than the new ones), shown beside the new sale's receipt.
import { create } from 'zustand';
import type { IssuedCreditNote } from '../../db/returns-repo';
import { useMoney } from '../../ui/money';
import { ReceiptCode } from '../receipt/ReceiptCode';

interface ExchangeNoteState {
  saleId: string | null;
  note: IssuedCreditNote | null;
  show: (saleId: string, note: IssuedCreditNote | null) => void;
}

/** UI state only: which sale's exchange gave which note (the note itself is in the database). */
export const useExchangeCreditNote = create<ExchangeNoteState>()((set) => ({
  saleId: null,
  note: null,
  show: (saleId, note) => set({ saleId, note }),
}));

export function ExchangeCreditNote({ saleId }: { saleId: string }) {
  const money = useMoney();
  const shown = useExchangeCreditNote((s) => (s.saleId === saleId ? s.note : null));
  if (!shown) return null;
  return (
    <div className="credit-note" data-testid="credit-note">
      <p>
        Exchange: <strong>{money(shown.amount)}</strong> back as store credit — give the customer
        this code:
      </p>
      <p className="mono credit-code" data-testid="credit-note-code">
        {shown.code}
      </p>
      <ReceiptCode symbology="qr" data={shown.qr} />
    </div>
  );
}
