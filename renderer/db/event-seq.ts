// Ids and sequence numbers for the facts a till records: ULIDs, the per-device event sequence and receipt numbers.
import { monotonicFactory } from 'ulid';
import { type Counters, getSetting, type PosDb } from './db';

export const newId = monotonicFactory();

/** Take the next event sequence number (and receipt number); call inside a transaction that includes settings. */
export async function nextCounters(db: PosDb, receipt: boolean): Promise<Counters> {
  const current = (await getSetting(db, 'counters')) ?? { receipt: 0, seq: 0 };
  const next = { receipt: current.receipt + (receipt ? 1 : 0), seq: current.seq + 1 };
  await db.settings.put({ key: 'counters', value: next });
  return next;
}
