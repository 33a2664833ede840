// A sale's redeemed and issued promo codes for its on-screen receipt, live from Dexie.
import { useLiveQuery } from 'dexie-react-hooks';
import { posDb } from '../../db/instance';
import { type SalePromo, salePromo } from './sale-promo';

export function useSalePromo(saleId: string): SalePromo | undefined {
  return useLiveQuery(() => salePromo(posDb, saleId), [saleId]);
}
