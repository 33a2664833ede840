// On-screen receipt for a committed sale, drawn from the very document the printer gets, so screen and paper agree (returns and tier notes included).
import type { Sale } from '../../../shared/sale';
import { PaperDocument } from './PaperDocument';
import { useSaleReceipt } from './useReceiptDocument';

export function ReceiptView({ sale }: { sale: Sale }) {
  const { doc, width } = useSaleReceipt(sale);
  return <PaperDocument doc={doc} label={`Receipt ${sale.receiptNumber}`} width={width} />;
}
