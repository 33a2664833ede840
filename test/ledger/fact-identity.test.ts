// A fact is "already held" only by id, device and content: changed content is a conflict, a reused sequence number is held aside, and neither is ever lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
} from './fixtures';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));

async function openExceptions(ledger: TestLedger) {
  const res = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/exceptions?status=open`,
    ADMIN_TOKEN,
  );
  expect(res.status).toBe(200);
  return res.body.exceptions as {
    kind: string;
    eventId: string | null;
    deviceId: string | null;
    message: string;
  }[];
}

async function saleCount(ledger: TestLedger, deviceId: string) {
  const row = await ledger.database.db
    .selectFrom('sales')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('device_id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(engines)('fact identity on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('answers conflict to a stored id with other content, keeps both versions and tells a manager once', async () => {
    const till = await enrolTill(ledger, 'Conflict');
    const original = makeSale(till.deviceId, till.prefix, 1, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }], {
      at: at(1),
    });
    expect((await push(ledger, till.token, [original])).results[0]!.status).toBe('accepted');
    const before = await stockLevels(ledger);

    // Same id and seq, but the till now says the customer bought two.
    const changed = makeSale(till.deviceId, till.prefix, 1, [{ sku: 'TEE-LOGO-BLK-M', qty: 2 }], {
      at: at(1),
    });
    const edited: EventEnvelope = {
      ...changed,
      id: original.id,
      payload: { ...(changed.payload as Sale), id: original.id },
    };
    const res = await push(ledger, till.token, [edited]);
    expect(res.results[0]).toMatchObject({ id: original.id, status: 'conflict' });
    expect(res.results[0]!.reason).toMatch(/other content/);
    expect(res.watermark).toBe(1);

    // The original is what counts; the other version is kept beside it, word for word.
    expect(await saleCount(ledger, till.deviceId)).toBe(1);
    expect(await stockLevels(ledger)).toEqual(before);
    const held = await ledger.database.db
      .selectFrom('held_facts')
      .select(['kind', 'payload'])
      .where('event_id', '=', original.id)
      .execute();
    expect(held).toHaveLength(1);
    expect(held[0]!.kind).toBe('conflict');
    expect(JSON.parse(held[0]!.payload).lines[0].qty).toBe(2);
    const conflicts = (await openExceptions(ledger)).filter((e) => e.eventId === original.id);
    expect(conflicts.map((e) => e.kind)).toEqual(['fact-conflict']);

    // Resending either version changes nothing and raises nothing new.
    const again = await push(ledger, till.token, [original, edited]);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'conflict']);
    expect((await openExceptions(ledger)).filter((e) => e.eventId === original.id)).toHaveLength(1);
    expect(await saleCount(ledger, till.deviceId)).toBe(1);
  });

  it("answers conflict, not duplicate, to another till's fact under an id already held", async () => {
    const first = await enrolTill(ledger, 'First');
    const second = await enrolTill(ledger, 'Second');
    const mine = makeSale(first.deviceId, first.prefix, 1, [{ sku: 'TEE-LOGO-BLK-XL', qty: 1 }], {
      at: at(2),
    });
    await push(ledger, first.token, [mine]);
    const theirs = makeSale(
      second.deviceId,
      second.prefix,
      1,
      [{ sku: 'TEE-LOGO-BLK-XL', qty: 1 }],
      {
        at: at(2),
      },
    );
    const colliding: EventEnvelope = {
      ...theirs,
      id: mine.id,
      payload: { ...(theirs.payload as Sale), id: mine.id },
    };
    const res = await push(ledger, second.token, [colliding]);
    expect(res.results[0]).toMatchObject({ id: mine.id, status: 'conflict' });
    expect(res.results[0]!.reason).toMatch(/another device/);
    // The second till's seq 1 is processed (held), so its queue moves on.
    expect(res.watermark).toBe(1);
    const next = makeSale(second.deviceId, second.prefix, 2, [{ sku: 'TEE-LOGO-BLK-XL', qty: 1 }], {
      at: at(3),
    });
    expect((await push(ledger, second.token, [next])).watermark).toBe(2);
    const kinds = (await openExceptions(ledger))
      .filter((e) => e.deviceId === second.deviceId)
      .map((e) => e.kind);
    expect(kinds).toEqual(['fact-conflict']);
  });

  it('never drops a new fact under a used sequence number: it is rejected, held and listed for a manager', async () => {
    const till = await enrolTill(ledger, 'Restored');
    const sales = [1, 2, 3].map((seq) =>
      makeSale(till.deviceId, till.prefix, seq, [{ sku: 'TEE-LOGO-BLK-L', qty: 1 }], {
        at: at(10 + seq),
      }),
    );
    await push(ledger, till.token, sales);
    // A till restored from an old backup records new sales under seq 2 (≤ the watermark) and,
    // behind a gap, under seq 5 twice.
    const reused = makeSale(till.deviceId, till.prefix, 2, [{ sku: 'TEE-LOGO-BLK-L', qty: 3 }], {
      at: at(20),
    });
    const five = makeSale(till.deviceId, till.prefix, 5, [{ sku: 'TEE-LOGO-BLK-L', qty: 1 }], {
      at: at(21),
    });
    const fiveAgain = makeSale(
      till.deviceId,
      till.prefix,
      5,
      [{ sku: 'TEE-LOGO-BLK-XL', qty: 1 }],
      {
        at: at(22),
      },
    );
    const res = await push(ledger, till.token, [reused, five, fiveAgain]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected']);
    expect(res.results[0]!.reason).toMatch(/sequence number 2 is already used by fact/);
    expect(res.results[2]!.reason).toMatch(
      new RegExp(`sequence number 5 is already used by fact ${five.id}`),
    );
    expect(res.watermark).toBe(3);
    expect(await saleCount(ledger, till.deviceId)).toBe(4);

    const listed = (await openExceptions(ledger)).filter((e) => e.deviceId === till.deviceId);
    expect(listed.map((e) => [e.kind, e.eventId]).sort()).toEqual(
      [
        ['seq-reused', reused.id],
        ['seq-reused', fiveAgain.id],
      ].sort(),
    );
    const held = await ledger.database.db
      .selectFrom('held_facts')
      .select(['event_id', 'kind'])
      .where('device_id', '=', till.deviceId)
      .execute();
    expect(held.map((h) => h.event_id).sort()).toEqual([reused.id, fiveAgain.id].sort());

    // Resent, they get the same verdict and raise nothing new; filling the gap moves the watermark past all.
    const again = await push(ledger, till.token, [reused, fiveAgain]);
    expect(again.results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const four = makeSale(till.deviceId, till.prefix, 4, [{ sku: 'TEE-LOGO-BLK-XL', qty: 1 }], {
      at: at(23),
    });
    expect((await push(ledger, till.token, [four])).watermark).toBe(5);
    expect((await openExceptions(ledger)).filter((e) => e.deviceId === till.deviceId)).toHaveLength(
      2,
    );
  });
});
