// The device's watermark: the highest sequence number up to which the ledger holds every fact of it, in the log or held aside.
import { sql, type Transaction } from 'kysely';
import type { LedgerDb } from '../db/schema';

/**
 * Walk up from the watermark over sequence numbers held without a gap, in growing chunks,
 * stopping at the first gap: behind a gap a push reads one small chunk, not every fact above it.
 */
export async function advanceWatermark(
  trx: Transaction<LedgerDb>,
  deviceId: string,
  watermark: number,
): Promise<number> {
  let next = watermark;
  let chunk = 64;
  for (;;) {
    const { rows } = await sql<{ seq: number | string }>`
      select seq from events where device_id = ${deviceId} and seq > ${next}
      union
      select seq from held_facts where device_id = ${deviceId} and seq > ${next}
      order by seq limit ${chunk}`.execute(trx);
    for (const r of rows) {
      if (Number(r.seq) !== next + 1) return next;
      next += 1;
    }
    if (rows.length < chunk) return next;
    chunk = Math.min(chunk * 4, 4_096);
  }
}
