// On-screen return receipt, drawn from the very document the printer gets: returned lines, refunds, credit-note QR.
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import { PaperDocument } from './PaperDocument';
import { useReturnReceipt } from './useReceiptDocument';

interface Props {
  saleReturn: SaleReturn;
  /** The sale the goods came from, when the caller has it (else looked up on this till). */
  sale?: Sale;
}

export function ReturnReceiptView({ saleReturn, sale }: Props) {
  const { doc, width, saleMissing } = useReturnReceipt(saleReturn, sale);
  if (saleMissing) {
    return <p className="error">Sale {saleReturn.saleReceiptNumber} is not on this till.</p>;
  }
  return (
    <PaperDocument doc={doc} label={`Return receipt ${saleReturn.returnNumber}`} width={width} />
  );
}
