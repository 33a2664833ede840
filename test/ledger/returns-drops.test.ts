// Returns of drop goods at the real ledger: resaleable units go back to the returning till's allotment (damaged ones do not), and the 14-day aftercare KPI counts the real returns by reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/sale';
import {
  allotmentOf,
  createDrop,
  dropSeller,
  liveDrop,
  progressOf,
  type Till,
} from './drop-fixtures';
import { ADMIN_TOKEN, engines, enrolTill, push, startLedger, type TestLedger } from './fixtures';
import { makeReturn } from './return-fixtures';

const CAP = 'HAT-CAP-REF';

describe.each(engines)('returns of drop goods on %s', (engine) => {
  let ledger: TestLedger;
  let a: Till;
  let b: Till;
  let sellA: ReturnType<typeof dropSeller>;
  let bSeq = 100;

  beforeAll(async () => {
    ledger = await startLedger(engine);
    a = await enrolTill(ledger, 'Till A');
    b = await enrolTill(ledger, 'Till B');
    sellA = dropSeller(a);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it("puts resaleable drop units back in the returning till's allotment, not damaged ones, and counts them in the aftercare KPI by reason", async () => {
    await createDrop(ledger, liveDrop('ret-drop'));
    expect(await allotmentOf(ledger, a, 'ret-drop', CAP)).toBe(5);
    expect(await allotmentOf(ledger, b, 'ret-drop', CAP)).toBe(5);
    const sale = sellA('ret-drop', CAP, 3);
    expect((await push(ledger, a.token, [sale])).results[0]?.status).toBe('accepted');
    expect(await allotmentOf(ledger, a, 'ret-drop', CAP)).toBe(2);

    // Till B takes back one unit in good condition (wrong size) and one faulty, damaged unit.
    const now = Date.now();
    const good = makeReturn(b, ++bSeq, sale.payload as Sale, [{ lineNo: 1, qty: 1 }], {
      at: new Date(now),
      reason: 'wrong-size',
    });
    const broken = makeReturn(
      b,
      ++bSeq,
      sale.payload as Sale,
      [{ lineNo: 1, qty: 1, condition: 'damaged' }],
      { at: new Date(now + 1000), reason: 'faulty' },
    );
    const res = await push(ledger, b.token, [good, broken]);
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    // B holds the good unit now; A's allotment is what it had after its sale.
    expect(await allotmentOf(ledger, b, 'ret-drop', CAP)).toBe(6);
    expect(await allotmentOf(ledger, a, 'ret-drop', CAP)).toBe(2);
    expect((await progressOf(ledger, 'ret-drop', CAP)).allotted).toBe(8);

    const kpi = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/reports/kpis/aftercare?dropId=ret-drop`,
      ADMIN_TOKEN,
    );
    expect(kpi.status, JSON.stringify(kpi.body)).toBe(200);
    expect(kpi.body).toMatchObject({
      returns: 2,
      returnsTracked: true,
      returnedUnits: 2,
      returnsByReason: [
        { reason: 'faulty', units: 1 },
        { reason: 'wrong-size', units: 1 },
      ],
    });
    const walkIn = kpi.body.returnRateByChannel.find((r: { key: string }) => r.key === 'walk-in');
    expect(walkIn).toMatchObject({ soldUnits: 3, returnedUnits: 2, rateBp: 6667 });
  });
});
