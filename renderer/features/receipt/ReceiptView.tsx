// On-screen receipt for a committed sale, drawn from the very document the printer gets, so screen and paper agree (returns and tier notes included).
import { useMemo } from 'react';
import { receiptDocument } from '../../../shared/receipt';
import type { Sale } from '../../../shared/sale';
import { useStoreSettings } from '../../db/hooks';
import { defaultPrinter, usePrintQueue } from '../printing/print-queue';
import { columnsFor, PaperDocument } from './PaperDocument';
import { useSalePromo } from './useSalePromo';
import { useSaleReturns } from './useSaleReturns';

export function ReceiptView({ sale }: { sale: Sale }) {
  const store = useStoreSettings();
  const printers = usePrintQueue((s) => s.printers);
  const width = columnsFor(defaultPrinter(printers, 'receipt')?.paperWidthMm);
  const promo = useSalePromo(sale.id);
  const returns = useSaleReturns(sale.id);
  const doc = useMemo(
    () =>
      store && promo && returns ? receiptDocument(sale, store, { width, ...promo, returns }) : null,
    [sale, store, width, promo, returns],
  );
  return <PaperDocument doc={doc} label={`Receipt ${sale.receiptNumber}`} width={width} />;
}
