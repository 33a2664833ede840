// Drops at the ledger: what a till pulls about drops, allotments, members and their purchases, and checks on pushed drop sales.
import type { Kysely, Transaction } from 'kysely';
import type { PullResponse } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import type { ExceptionInput } from './write';

export type DropPull = Pick<
  PullResponse,
  'drops' | 'allotments' | 'dropProgress' | 'members' | 'memberPurchases'
>;

/** FOUNDATION: filled in by the drops work (issue 6). */
export async function pullDrops(
  _db: Kysely<LedgerDb> | Transaction<LedgerDb>,
  _device: { id: string; storeId: string },
  _after: number,
  _now: Date,
): Promise<DropPull> {
  return { drops: [], allotments: [], dropProgress: [], members: [], memberPurchases: [] };
}

/**
 * FOUNDATION: after a batch's sales are stored, find drop items sold past their stock
 * (oversold) and members over their per-customer limit, as exceptions.
 */
export async function checkDropSales(
  _trx: Transaction<LedgerDb>,
  _storeId: string,
  _deviceId: string,
  _saleIds: readonly string[],
): Promise<ExceptionInput[]> {
  return [];
}
