// Promo codes at the ledger: campaigns and keys a till pulls, and redemptions/issues recorded from pushed facts.
import type { Kysely, Transaction } from 'kysely';
import type { ParsedEvent } from '../../shared/events';
import type { PullResponse } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import type { ExceptionInput } from './write';

export type PromoPull = Pick<PullResponse, 'campaigns' | 'promoKeys' | 'codeUsage'>;

/** FOUNDATION: filled in by the promo work (issue 7). */
export async function pullPromos(
  _db: Kysely<LedgerDb> | Transaction<LedgerDb>,
  _device: { id: string; storeId: string },
  _after: number,
  _now: Date,
): Promise<PromoPull> {
  return { campaigns: [], promoKeys: [], codeUsage: [] };
}

/**
 * FOUNDATION: store promo.redeemed / promo.issued / complaint.logged facts from an accepted
 * batch (after its sales), mark redeeming sales as channel "promo", and return exceptions
 * for codes used more than allowed or budgets exceeded.
 */
export async function recordPromoFacts(
  _trx: Transaction<LedgerDb>,
  _device: { id: string; storeId: string },
  _accepted: readonly ParsedEvent[],
  _receivedAt: string,
): Promise<ExceptionInput[]> {
  return [];
}
