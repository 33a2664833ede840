// Writing the drop, allotment, member and promo parts of a pull into IndexedDB.
import type { PullResponse } from '../../shared/sync';
import { catalogWriter } from '../db/catalog-writes';
import type { PosDb } from '../db/db';

/**
 * Drops, members and campaigns arrive whole on a full pull and as changes otherwise;
 * progress, member purchases and code usage are the ledger's current totals and replace
 * what the till had.
 */
export async function applyDropsAndPromos(pulled: PosDb, pull: PullResponse): Promise<void> {
  // Relaxed, like the catalog: all of it comes again from the ledger if lost, since the cursor
  // moves after it in a strict transaction (which flushes this write with it).
  const db = catalogWriter(pulled);
  await db.transaction(
    'rw',
    [
      db.drops,
      db.allotments,
      db.dropProgress,
      db.members,
      db.memberPurchases,
      db.campaigns,
      db.promoKeys,
      db.codeUsage,
    ],
    async () => {
      if (pull.full) {
        await Promise.all([
          db.drops.clear(),
          db.allotments.clear(),
          db.members.clear(),
          db.campaigns.clear(),
          db.promoKeys.clear(),
        ]);
      }
      await db.drops.bulkPut(pull.drops);
      await db.allotments.bulkPut(pull.allotments);
      await db.members.bulkPut(pull.members);
      await db.campaigns.bulkPut(pull.campaigns);
      await db.promoKeys.bulkPut(pull.promoKeys);
      await db.dropProgress.clear();
      await db.dropProgress.bulkPut(pull.dropProgress);
      await db.memberPurchases.clear();
      await db.memberPurchases.bulkPut(pull.memberPurchases);
      await db.codeUsage.clear();
      await db.codeUsage.bulkAdd(pull.codeUsage);
    },
  );
}
