// A second connection with relaxed durability for catalog writes: the ledger or the file can always send them again.
import { openPosDb, type PosDb } from './db';

const writers = new WeakMap<PosDb, PosDb>();

/**
 * The connection catalog writes go through. Strict durability waits for the disk on every
 * commit; a lost catalog write is pulled again (the cursor moves in a strict transaction after
 * it), so only sales and the sync cursor need the wait.
 */
export function catalogWriter(db: PosDb): PosDb {
  let writer = writers.get(db);
  if (!writer || writer.hasBeenClosed()) {
    writer = openPosDb(db.name, 'relaxed');
    writers.set(db, writer);
  }
  return writer;
}
