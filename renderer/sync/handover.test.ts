// Leaving the ledger (re-enrol or reset) is refused while unsynced or rejected facts exist only on this till, until they are exported.
import 'fake-indexeddb/auto';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex, syncFileSchema, verifySyncFile } from '../../shared/sync-file';
import { getSetting, type OutboxRow, openPosDb, type PosDb } from '../db/db';
import { enrolTill, resetDevice } from './enrol';
import { exportUnsynced } from './export';
import { checkHandover } from './handover';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
vi.hoisted(() => vi.stubGlobal('window', globalThis));

const TOKEN = 'pt_dev_handover-test-token';
let db: PosDb;
let n = 0;

beforeEach(async () => {
  db = openPosDb(`handover-${process.pid}-${++n}`);
  await db.settings.bulkPut([
    { key: 'mode', value: 'ledger' },
    {
      key: 'ledger',
      value: {
        // Nothing listens here: a guard that let enrolment through would fail differently.
        url: 'http://127.0.0.1:9',
        deviceId: 'DEV1',
        storeId: 'STORE1',
        prefix: 'T1',
        enrolledAt: '2026-11-25T09:00:00.000Z',
        token: TOKEN,
      },
    },
    { key: 'device', value: { deviceId: 'DEV1', prefix: 'T1', name: 'Till 1' } },
  ]);
});

afterEach(async () => {
  await db.delete();
});

function fact(seq: number): OutboxRow {
  return {
    seq,
    eventId: ulid(),
    type: 'shift.opened',
    createdAt: '2026-11-25T10:00:00.000Z',
    payload: { id: `S${seq}` },
  };
}

async function queue(...seqs: number[]) {
  await db.outbox.bulkAdd(seqs.map(fact));
}

async function refuse(...seqs: number[]) {
  await db.rejected.bulkAdd(
    seqs.map((seq) => ({
      ...fact(seq),
      verdict: 'rejected' as const,
      reason: 'invalid sale.completed payload at total: Too small',
      judgedAt: '2026-11-25T10:05:00.000Z',
    })),
  );
}

const enrolAgain = () =>
  enrolTill(db, { url: 'http://127.0.0.1:9', pairingCode: '7K3M-Q9XT', name: 'Till 1' });

describe('leaving the ledger', () => {
  it('is refused while unsynced facts are not exported, and nothing is wiped', async () => {
    await queue(1, 2, 3);

    const reset = await resetDevice(db);
    const enrol = await enrolAgain();

    for (const result of [reset, enrol]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/3 facts not on the ledger yet.*Export/);
    }
    expect(await db.outbox.count()).toBe(3);
    expect(await getSetting(db, 'ledger')).toBeDefined();
  });

  it('is refused while facts the ledger rejected are kept here only, even with an empty outbox', async () => {
    await refuse(4);

    const check = await checkHandover(db);

    expect(check).toMatchObject({ ok: false, code: 'unexported-facts', unsynced: 0, rejected: 1 });
    expect((await resetDevice(db)).ok).toBe(false);
    expect(await db.rejected.count()).toBe(1);
  });

  it('goes ahead once both are in an export file that the ledger can verify', async () => {
    await refuse(2);
    await queue(3, 4);

    const exported = await exportUnsynced(db, new Date('2026-11-25T18:00:00Z'));
    if (!exported.ok) throw new Error(exported.message);

    const file = syncFileSchema.parse(JSON.parse(JSON.stringify(exported.file)));
    expect(file.events.map((e) => e.seq)).toEqual([3, 4]);
    expect(file.rejected?.map((r) => [r.seq, r.verdict, r.reason])).toEqual([
      [2, 'rejected', 'invalid sale.completed payload at total: Too small'],
    ]);
    expect(await verifySyncFile(file, await sha256Hex(TOKEN))).toBe(true);
    // Any change to the rejected section breaks the signature.
    const edited = { ...file, rejected: [{ ...file.rejected![0]!, reason: 'fine' }] };
    expect(await verifySyncFile(edited, await sha256Hex(TOKEN))).toBe(false);
    expect(exported.name).toBe('poptill-T1-2026-11-25-18-00-2-events-1-rejected.json');
    expect(await getSetting(db, 'export')).toMatchObject({ throughSeq: 4, events: 2, rejected: 1 });

    expect(await checkHandover(db)).toEqual({ ok: true });
    expect(await resetDevice(db)).toEqual({ ok: true });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.rejected.count()).toBe(0);
    expect(await getSetting(db, 'export')).toBeUndefined();
  });

  it('is refused again when a fact is recorded after the export', async () => {
    await queue(1);
    expect((await exportUnsynced(db)).ok).toBe(true);
    await queue(2);

    const result = await enrolAgain();

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/more than the last export/);
    expect(await db.outbox.count()).toBe(2);
  });

  it('is free when the ledger has everything, or when the till only ever ran on demo data', async () => {
    expect(await checkHandover(db)).toEqual({ ok: true });
    await queue(1);
    await db.settings.put({ key: 'mode', value: 'standalone' });
    expect(await checkHandover(db)).toEqual({ ok: true });
  });
});
