// On-screen return receipt, drawn from the very document the printer gets: returned lines, refunds, credit-note QR.
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { returnReceipt } from '../../../shared/return-receipt';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { defaultPrinter, usePrintQueue } from '../printing/print-queue';
import { columnsFor, PaperDocument } from './PaperDocument';
import { returnedSale, returnReceiptExtras } from './sale-returns';

interface Props {
  saleReturn: SaleReturn;
  /** The sale the goods came from, when the caller has it (else looked up on this till). */
  sale?: Sale;
}

export function ReturnReceiptView({ saleReturn, sale }: Props) {
  const store = useStoreSettings();
  const printers = usePrintQueue((s) => s.printers);
  const width = columnsFor(defaultPrinter(printers, 'receipt')?.paperWidthMm);
  const found = useLiveQuery(
    async () => ({
      sale: sale ?? (await returnedSale(posDb, saleReturn)) ?? null,
      extras: await returnReceiptExtras(posDb, saleReturn),
    }),
    [saleReturn, sale],
  );
  const doc = useMemo(
    () =>
      store && found?.sale
        ? returnReceipt(saleReturn, found.sale, store, { width, ...found.extras })
        : null,
    [saleReturn, store, width, found],
  );
  if (found && !found.sale) {
    return <p className="error">Sale {saleReturn.saleReceiptNumber} is not on this till.</p>;
  }
  return (
    <PaperDocument doc={doc} label={`Return receipt ${saleReturn.returnNumber}`} width={width} />
  );
}
