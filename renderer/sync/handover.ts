// Whether this till may leave its ledger (re-enrol or reset): not while facts the ledger has not applied exist only here.
import { getSetting, type PosDb } from '../db/db';

export type HandoverCheck =
  | { ok: true }
  | { ok: false; code: 'unexported-facts'; unsynced: number; rejected: number; message: string };

/**
 * A linked till's unsynced facts and the ledger's rejected/conflict verdicts live only in its
 * IndexedDB until exported; leaving the ledger wipes it. Allowed once the last export covers
 * every such fact (facts only ever get higher seqs, so "covered" is "seq ≤ throughSeq").
 * A standalone till holds demo data only.
 */
export async function checkHandover(db: PosDb): Promise<HandoverCheck> {
  if ((await getSetting(db, 'mode')) !== 'ledger') return { ok: true };
  const { unsynced, rejected, lastSeq, exported } = await db.transaction(
    'r',
    [db.outbox, db.rejected, db.settings],
    async () => {
      const [unsynced, rejected, lastQueued, lastRejected, exported] = await Promise.all([
        db.outbox.count(),
        db.rejected.count(),
        db.outbox.orderBy('seq').last(),
        db.rejected.orderBy('seq').last(),
        getSetting(db, 'export'),
      ]);
      const lastSeq = Math.max(lastQueued?.seq ?? 0, lastRejected?.seq ?? 0);
      return { unsynced, rejected, lastSeq, exported };
    },
  );
  if (unsynced + rejected === 0) return { ok: true };
  if (exported && exported.throughSeq >= lastSeq) return { ok: true };
  const what = [
    ...(unsynced > 0
      ? [`${unsynced} ${unsynced === 1 ? 'fact' : 'facts'} not on the ledger yet`]
      : []),
    ...(rejected > 0 ? [`${rejected} refused by the ledger`] : []),
  ].join(' and ');
  return {
    ok: false,
    code: 'unexported-facts',
    unsynced,
    rejected,
    message: `This till holds ${what}${exported ? ', more than the last export' : ''}. Export them to a file first (Settings → Sync), then try again.`,
  };
}
