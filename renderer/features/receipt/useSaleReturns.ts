// A sale's returns on this till, live from Dexie (undefined while loading).
import { useLiveQuery } from 'dexie-react-hooks';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import { posDb } from '../../db/instance';
import { saleReturns } from './sale-returns';

export function useSaleReturns(saleId: string): SaleReturn[] | undefined {
  return useLiveQuery(() => saleReturns(posDb, saleId), [saleId]);
}
