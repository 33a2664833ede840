// The receipt document of a sale or of a return, live from Dexie at this till's receipt width: what the screen, the QR and both kinds of printing draw from.
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { type ReceiptDocument, type ReceiptWidth, receiptDocument } from '../../../shared/receipt';
import { returnReceipt } from '../../../shared/return-receipt';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useReceiptColumns } from './paper-width';
import { returnedSale, returnReceiptExtras } from './sale-returns';
import { useSalePromo } from './useSalePromo';
import { useSaleReturns } from './useSaleReturns';

export interface ReceiptDoc {
  /** Null while loading (or, for a return, when its sale is not on this till). */
  doc: ReceiptDocument | null;
  width: ReceiptWidth;
}

/** A sale's receipt with its promo codes and what came back since (as a reprint shows it). */
export function useSaleReceipt(sale: Sale): ReceiptDoc {
  const store = useStoreSettings();
  const width = useReceiptColumns();
  const promo = useSalePromo(sale.id);
  const returns = useSaleReturns(sale.id);
  const doc = useMemo(
    () =>
      store && promo && returns ? receiptDocument(sale, store, { width, ...promo, returns }) : null,
    [sale, store, width, promo, returns],
  );
  return { doc, width };
}

/** A return's receipt; `sale` (the one the goods came from) is looked up on this till when not given. */
export function useReturnReceipt(
  saleReturn: SaleReturn,
  sale?: Sale,
): ReceiptDoc & { saleMissing: boolean } {
  const store = useStoreSettings();
  const width = useReceiptColumns();
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
  return { doc, width, saleMissing: found !== undefined && !found.sale };
}
