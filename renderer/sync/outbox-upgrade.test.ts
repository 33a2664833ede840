// A till installed before v5 had facts it set aside itself ("quarantine"); the upgrade queues them again, since the ledger never judged them.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { ulid } from 'ulid';
import { afterEach, expect, it } from 'vitest';
import { type OutboxRow, openPosDb, type PosDb, type QuarantineRow } from '../db/db';

const name = `upgrade-${process.pid}`;
let db: PosDb | undefined;

afterEach(async () => {
  await db?.delete();
});

function row(seq: number, type: OutboxRow['type'] = 'sale.completed'): OutboxRow {
  return { seq, eventId: ulid(), type, createdAt: '2026-11-20T10:00:00.000Z', payload: { seq } };
}

it('puts the quarantined facts back in the outbox in seq order, ready to send, and leaves nothing aside', async () => {
  // The database as version 4 of the app left it (only the tables this upgrade touches).
  const old = new Dexie(name);
  old.version(4).stores({
    settings: 'key',
    outbox: 'seq, &eventId, type',
    quarantine: 'seq, &eventId',
  });
  const queued = [row(3), row(6, 'shift.closed')];
  const setAside: QuarantineRow[] = [row(5), row(2), row(4, 'promo.redeemed')].map((r) => ({
    ...r,
    reason: 'The ledger refused it: Request body is too large',
    quarantinedAt: '2026-11-20T11:00:00.000Z',
  }));
  await old.table('outbox').bulkAdd(queued);
  await old.table('quarantine').bulkAdd(setAside);
  old.close();

  db = openPosDb(name);
  const outbox = await db.outbox.orderBy('seq').toArray();

  expect(outbox.map((r) => r.seq)).toEqual([2, 3, 4, 5, 6]);
  // Each goes back exactly as it was recorded: no trace of the local verdict.
  const byEvent = new Map(outbox.map((r) => [r.eventId, r]));
  for (const q of setAside) {
    const { reason: _r, quarantinedAt: _q, ...fact } = q;
    expect(byEvent.get(q.eventId)).toEqual(fact);
  }
  expect(await db.quarantine.count()).toBe(0);
  expect(await db.rejected.count()).toBe(0);
});
