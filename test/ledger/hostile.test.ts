// A hostile or buggy till cannot make the ledger answer 5xx, hold back good facts, or change stock and reports beyond the facts it accepted.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  products,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
} from './fixtures';

const DATE = '2026-05-04';
const DEEP = '"@@deep@@"';

/** A raw POST: the body is sent exactly as given, with the content type given. */
async function rawPush(ledger: TestLedger, token: string, body: string, type = 'application/json') {
  const res = await fetch(`${ledger.url}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
    body,
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json as { results?: { id: string; status: string }[] } };
}

async function takings(ledger: TestLedger) {
  const res = await ledger.call(
    'GET',
    `/api/v1/reports/day?storeId=${ledger.storeId}&date=${DATE}`,
    ADMIN_TOKEN,
  );
  expect(res.status).toBe(200);
  return { saleCount: res.body.combined.saleCount, takings: res.body.combined.takings };
}

const controlText = fc
  .tuple(
    fc.string({ maxLength: 5 }),
    fc.integer({ min: 0, max: 0x1f }),
    fc.string({ maxLength: 5 }),
  )
  .map(([a, c, b]) => `${a}${String.fromCharCode(c)}${b}`);
const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }))
  .map(([a, c]) => `${a}${String.fromCharCode(c)}`);

/** Values a hostile till might put anywhere. DEEP is swapped for 20,000 nested arrays in the body text. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  controlText,
  loneSurrogate,
  fc.constant('\u0000'),
  fc.constant('x'.repeat(100_000)),
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e308, -1e308, -(2 ** 63), 0.5, -1, 0),
  fc.constant(DEEP),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "sku": "TEE-LOGO-BLK-M"}')),
  fc.oneof(fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.integer()),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
);

/** Where in a sale fact the hostile value goes. */
const paths: (string | number)[][] = [
  ['id'],
  ['seq'],
  ['type'],
  ['createdAt'],
  ['payload'],
  ['payload', 'receiptNumber'],
  ['payload', 'shiftId'],
  ['payload', 'staffName'],
  ['payload', 'memberId'],
  ['payload', 'total'],
  ['payload', 'subtotal'],
  ['payload', 'lines'],
  ['payload', 'lines', 0, 'sku'],
  ['payload', 'lines', 0, 'name'],
  ['payload', 'lines', 0, 'qty'],
  ['payload', 'lines', 0, 'unitPrice'],
  ['payload', 'lines', 0, 'drop'],
  ['payload', 'taxBands', 0, 'taxClassId'],
  ['payload', 'tenders', 0, 'amount'],
  ['payload', 'tenders', 0, 'kind'],
  ['payload', 'extra'],
];

function setPath(target: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  // defineProperty: a "__proto__" value must be data, never a prototype, in the test too.
  Object.defineProperty(node, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const slotArb = fc.oneof(
  fc.record({ kind: fc.constant('good' as const), product: fc.nat({ max: products.length - 1 }) }),
  fc.record({
    kind: fc.constant('hostile' as const),
    product: fc.nat({ max: products.length - 1 }),
    path: fc.constantFrom(...paths),
    value: hostileValue,
  }),
);

describe.each(engines)('hostile tills on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('answers every batch mixing good and hostile facts below 500, takes the good ones, and changes stock and takings only by what it accepted', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(slotArb, { minLength: 1, maxLength: 6 }), async (slots) => {
        run += 1;
        const till = await enrolTill(ledger, `Hostile ${run}`);
        const events: EventEnvelope[] = slots.map((slot, i) => {
          const e = makeSale(
            till.deviceId,
            till.prefix,
            i + 1,
            [{ sku: products[slot.product]!.sku, qty: 1 }],
            { at: new Date(`${DATE}T12:00:00Z`), tender: 'card' },
          );
          const copy = structuredClone(e);
          if (slot.kind === 'hostile') {
            // A valid sequence number would only take another fact's place in this batch (a rule of its own, tested elsewhere).
            const validSeq =
              slot.path[0] === 'seq' &&
              Number.isSafeInteger(slot.value) &&
              (slot.value as number) > 0;
            setPath(copy, slot.path, validSeq ? 10_000 + (slot.value as number) : slot.value);
          }
          return copy;
        });
        const stockBefore = await stockLevels(ledger);
        const reportBefore = await takings(ledger);

        const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
        const res = await rawPush(
          ledger,
          till.token,
          JSON.stringify({ events }).replaceAll(DEEP, deep),
        );
        expect(res.status).toBeLessThan(500);
        // Under 1 MiB, so every fact gets its own verdict.
        expect(res.status).toBe(200);
        const results = res.body.results!;
        slots.forEach((slot, i) => {
          if (slot.kind === 'good')
            expect(results[i]).toEqual({ id: events[i]!.id, status: 'accepted' });
        });

        // Only accepted facts (good ones, and hostile ones that were harmless after all) moved anything.
        const accepted = events.filter((_, i) => results[i]!.status === 'accepted');
        const expected = new Map(stockBefore);
        let takingsAdded = 0;
        for (const e of accepted) {
          const sale = e.payload as Sale;
          takingsAdded += sale.total + sale.rounding;
          for (const l of sale.lines) expected.set(l.sku, (expected.get(l.sku) ?? 0) - l.qty);
        }
        expect(await stockLevels(ledger)).toEqual(expected);
        expect(await takings(ledger)).toEqual({
          saleCount: reportBefore.saleCount + accepted.length,
          takings: reportBefore.takings + takingsAdded,
        });
        // And the till is never stranded: its next sale goes straight in.
        const next = makeSale(
          till.deviceId,
          till.prefix,
          slots.length + 1,
          [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }],
          { at: new Date('2026-05-05T12:00:00Z') },
        );
        expect((await push(ledger, till.token, [next])).results[0]!.status).toBe('accepted');
      }),
      { numRuns: engine === 'postgres' ? 12 : 30 },
    );
  }, 120_000);

  it('answers whole bodies that are not a batch with a 4xx in the error shape and stores nothing', async () => {
    const till = await enrolTill(ledger, 'Garbage');
    const good = makeSale(till.deviceId, till.prefix, 1, [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }]);
    const before = await stockLevels(ledger);
    const bodies: [string, string][] = [
      ['{"events": [', 'application/json'],
      ['', 'application/json'],
      ['null', 'application/json'],
      ['[1,2,3]', 'application/json'],
      ['"events"', 'application/json'],
      ['{"events": "all of them"}', 'application/json'],
      ['{"events": []}', 'application/json'],
      [`{"events": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'application/json'],
      [`{"__proto__": {"admin": true}, "events": [${JSON.stringify(good)}]}`, 'application/json'],
      [JSON.stringify({ events: [good] }), 'text/plain'],
      [JSON.stringify({ events: [good] }), 'application/xml'],
      [JSON.stringify({ events: [good] }), ''],
      [`{"events": ["${'x'.repeat(2 * 1024 * 1024)}"]}`, 'application/json'],
    ];
    for (const [body, type] of bodies) {
      const res = await rawPush(ledger, till.token, body, type);
      const what = `${type || 'no type'}: ${body.slice(0, 40)}`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status !== 200) {
        expect(res.body, what).toEqual({
          error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
        });
      }
    }
    // The one body above that was a well-formed batch (a top-level "__proto__" key is ignored data) took the good sale once.
    const held = await ledger.database.db
      .selectFrom('events')
      .select('id')
      .where('device_id', '=', till.deviceId)
      .execute();
    expect(held.map((h) => h.id)).toEqual([good.id]);
    const after = await stockLevels(ledger);
    expect(after.get('TEE-LOGO-BLK-M')).toBe(before.get('TEE-LOGO-BLK-M')! - 1);
    expect(Object.prototype).not.toHaveProperty('admin');
  });
});
