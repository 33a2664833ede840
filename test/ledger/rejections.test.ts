// One bad fact in a batch is rejected alone with a reason a manager can act on; the rest go in and the queue moves on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  openingStock,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
  unitsSold,
} from './fixtures';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));

/** A copy of a sale event with its payload changed. */
function tampered(e: EventEnvelope, change: (payload: Record<string, unknown>) => void) {
  const payload = structuredClone(e.payload) as Record<string, unknown>;
  change(payload);
  return { ...e, payload };
}

async function openExceptions(ledger: TestLedger) {
  const res = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/exceptions?status=open`,
    ADMIN_TOKEN,
  );
  expect(res.status).toBe(200);
  return res.body.exceptions as { kind: string; eventId: string | null; message: string }[];
}

async function saleCount(ledger: TestLedger) {
  const row = await ledger.database.db
    .selectFrom('sales')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(engines)('bad facts in a batch on %s', (engine) => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await startLedger(engine);
  });
  afterEach(async () => {
    await ledger?.close();
  });

  it('rejects only the bad facts, says why, lists them for a manager and moves the watermark past them', async () => {
    const till = await enrolTill(ledger, 'Front');
    const other = await enrolTill(ledger, 'Back');
    const sale = (seq: number) =>
      makeSale(till.deviceId, till.prefix, seq, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }], {
        at: at(seq),
      });
    const good = [sale(1), sale(3), sale(6)];
    const missingReceipt = tampered(sale(2), (p) => {
      delete p.receiptNumber;
    });
    const unknownType: EventEnvelope = {
      ...sale(4),
      type: 'sale.teleported',
    };
    const someoneElses = tampered(sale(5), (p) => {
      p.deviceId = other.deviceId;
    });
    const batch = [good[0]!, missingReceipt, good[1]!, unknownType, someoneElses, good[2]!];

    const res = await push(ledger, till.token, batch);
    expect(res.results.map((r) => [r.id, r.status])).toEqual(
      batch.map((e) => [e.id, good.includes(e) ? 'accepted' : 'rejected']),
    );
    const reasonOf = (e: EventEnvelope) => res.results.find((r) => r.id === e.id)?.reason ?? '';
    expect(reasonOf(missingReceipt)).toMatch(/receiptNumber/);
    expect(reasonOf(unknownType)).toMatch(/unknown event type "sale\.teleported"/);
    expect(reasonOf(someoneElses)).toContain(other.deviceId);
    expect(res.watermark).toBe(6);

    const listed = await openExceptions(ledger);
    const rejected = listed.filter((x) => x.kind === 'rejected-event');
    expect(rejected.map((x) => x.eventId).sort()).toEqual(
      [missingReceipt.id, unknownType.id, someoneElses.id].sort(),
    );
    expect(rejected.find((x) => x.eventId === missingReceipt.id)?.message).toMatch(/receiptNumber/);

    // Only the good sales count, and only they moved stock.
    expect(await saleCount(ledger)).toBe(3);
    const levels = await stockLevels(ledger);
    expect(levels.get('TEE-LOGO-BLK-M')).toBe(openingStock['TEE-LOGO-BLK-M']! - 3);
    expect(unitsSold(good).get('TEE-LOGO-BLK-M')).toBe(3);

    // Sending the batch again (an unknown outcome) changes nothing, and adds no new exceptions;
    // a rejected fact gets its verdict and reason again, so the till still learns why.
    const again = await push(ledger, till.token, batch);
    expect(again.results).toEqual(
      res.results.map((r) => (r.status === 'accepted' ? { id: r.id, status: 'duplicate' } : r)),
    );
    expect(again.watermark).toBe(6);
    expect(await openExceptions(ledger)).toHaveLength(listed.length);
    expect(await saleCount(ledger)).toBe(3);

    // The queue is not stuck: the next fact goes straight in.
    const next = await push(ledger, till.token, [sale(7)]);
    expect(next.results[0]!.status).toBe('accepted');
    expect(next.watermark).toBe(7);
  });

  it('rejects a sale with a negative total, which no till can ring up, instead of counting it in takings', async () => {
    const till = await enrolTill(ledger);
    const good = makeSale(till.deviceId, till.prefix, 1, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }]);
    const negative = tampered(
      makeSale(till.deviceId, till.prefix, 2, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }]),
      (p) => {
        p.total = -(p.total as number);
      },
    );
    const res = await push(ledger, till.token, [good, negative]);
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(res.results[1]!.reason).toMatch(/total/);
    expect(res.watermark).toBe(2);
    expect(await saleCount(ledger)).toBe(1);
  });

  it('does not let a fact that reuses a stored sale id under a new event id block its batch', async () => {
    const till = await enrolTill(ledger);
    const first = makeSale(till.deviceId, till.prefix, 1, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }]);
    await push(ledger, till.token, [first]);

    // A new envelope (new id and seq) carrying the sale already stored, e.g. a till bug re-queuing it.
    const second = makeSale(till.deviceId, till.prefix, 2, [{ sku: 'TEE-LOGO-BLK-L', qty: 1 }]);
    const copy = makeSale(till.deviceId, till.prefix, 3, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }]);
    const reused = { ...copy, payload: { ...(first.payload as Sale), seq: 3 } };
    const res = await ledger.call('POST', '/api/v1/sync/push', till.token, {
      events: [second, reused],
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({ id: second.id, status: 'accepted' });
    expect(res.body.results[1].status).not.toBe('accepted');
    expect(res.body.watermark).toBe(3);
    expect(await saleCount(ledger)).toBe(2);
    expect((await stockLevels(ledger)).get('TEE-LOGO-BLK-M')).toBe(
      openingStock['TEE-LOGO-BLK-M']! - 1,
    );
  });
});
