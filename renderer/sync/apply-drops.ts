// Writing the drop, allotment, member and promo parts of a pull into IndexedDB.

import type { Table } from 'dexie';
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
      // The ledger's current totals, sent whole with every pull: replaced only when they changed,
      // since clearing a table wakes every screen's live query of it (the drop data, promo checks).
      const [progress, purchases, usage] = await Promise.all([
        db.dropProgress.toArray(),
        db.memberPurchases.toArray(),
        db.codeUsage.toArray(),
      ]);
      const replace = <T>(table: Table<T>, stored: T[], pulled: T[], add = false) =>
        pull.full || !sameRows(stored, pulled)
          ? [table.clear(), add ? table.bulkAdd(pulled) : table.bulkPut(pulled)]
          : [];
      // Issued together (IndexedDB carries them out in this order): one wait, not one each.
      await Promise.all([
        ...(pull.full
          ? [
              db.drops.clear(),
              db.allotments.clear(),
              db.members.clear(),
              db.campaigns.clear(),
              db.promoKeys.clear(),
            ]
          : []),
        ...putAll(db.drops, pull.drops),
        ...putAll(db.allotments, pull.allotments),
        ...putAll(db.members, pull.members),
        ...putAll(db.campaigns, pull.campaigns),
        ...putAll(db.promoKeys, pull.promoKeys),
        ...replace(db.dropProgress, progress, pull.dropProgress),
        ...replace(db.memberPurchases, purchases, pull.memberPurchases),
        ...replace(db.codeUsage, usage, pull.codeUsage, true),
      ]);
    },
  );
}

/** A put of the rows a delta brought, or none when it brought none. */
function putAll<T>(table: Table<T>, rows: readonly T[]): Promise<unknown>[] {
  return rows.length > 0 ? [table.bulkPut(rows as T[])] : [];
}

/** The same rows in any order (each compared as JSON). */
function sameRows(stored: readonly unknown[], pulled: readonly unknown[]): boolean {
  if (stored.length !== pulled.length) return false;
  const key = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  const a = key(stored);
  const b = key(pulled);
  return a.every((x, i) => x === b[i]);
}
