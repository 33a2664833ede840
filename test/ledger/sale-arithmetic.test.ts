// The ledger re-works each pushed sale's arithmetic: one that does not add up is rejected with the field and both values, listed for a manager, and counted nowhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { DayReport } from '../../shared/reports';
import type { Sale } from '../../shared/sale';
import { settle, type Tender } from '../../shared/tender';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  makeSales,
  openingStock,
  push,
  startLedger,
  stockLevels,
  type TestLedger,
  unitsSold,
} from './fixtures';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));

/** A copy of a sale event with its payload changed as a buggy or hostile till might. */
function tampered(e: EventEnvelope, change: (sale: Sale) => void): EventEnvelope {
  const payload = structuredClone(e.payload) as Sale;
  change(payload);
  return { ...e, payload };
}

async function dayReport(ledger: TestLedger): Promise<DayReport> {
  const res = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/reports/day?date=2026-11-25`,
    ADMIN_TOKEN,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as DayReport;
}

async function rejectedInInbox(ledger: TestLedger) {
  const res = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/exceptions?status=open`,
    ADMIN_TOKEN,
  );
  expect(res.status).toBe(200);
  return (
    res.body.exceptions as { kind: string; eventId: string | null; message: string }[]
  ).filter((x) => x.kind === 'rejected-event');
}

describe.each(engines)('sale arithmetic re-checked by the ledger on %s', (engine) => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await startLedger(engine);
  });
  afterEach(async () => {
    await ledger?.close();
  });

  it('rejects sales that do not add up, naming the field and both values, lists them for a manager and counts only the good ones', async () => {
    const till = await enrolTill(ledger, 'Front');
    const sale = (seq: number, tender: 'cash' | 'card' | 'split' = 'cash') =>
      makeSale(
        till.deviceId,
        till.prefix,
        seq,
        [
          { sku: 'TEE-LOGO-BLK-M', qty: 1 },
          { sku: 'PRT-ZIN-1', qty: 2 },
        ],
        { at: at(seq), tender },
      );
    const good = [sale(1), sale(6, 'split')];
    // Lines worth 10.00, a total of 0 and nothing paid.
    const nothingPaid = tampered(
      makeSale(
        till.deviceId,
        till.prefix,
        2,
        [{ sku: 'TEE-LOGO-BLK-L', qty: 1, unitPrice: 1000 }],
        {
          at: at(2),
        },
      ),
      (s) => {
        s.total = 0;
        s.tenders = [];
        s.change = 0;
        s.rounding = 0;
      },
    );
    const negativeLine = tampered(sale(3), (s) => {
      s.lines[1]!.net = -500;
    });
    const shortCard = tampered(sale(4, 'card'), (s) => {
      s.tenders = [{ kind: 'card', amount: s.total - 1000, reference: 'AUTH4' }];
    });
    const extraChange = tampered(sale(5), (s) => {
      s.change += 500;
    });
    const bad = [nothingPaid, negativeLine, shortCard, extraChange];
    const batch = [good[0]!, nothingPaid, negativeLine, shortCard, extraChange, good[1]!];
    const before = await dayReport(ledger);

    const res = await push(ledger, till.token, batch);
    expect(res.results.map((r) => r.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    const reasonOf = (e: EventEnvelope) => res.results.find((r) => r.id === e.id)?.reason ?? '';
    expect(reasonOf(nothingPaid)).toContain('total is 0 but its lines come to 1000');
    expect(reasonOf(negativeLine)).toContain(
      'lines[1].net is -500 but unit price, quantity and discounts come to 1600',
    );
    const total = (shortCard.payload as Sale).total;
    // The store's cash rounding (5) comes from its settings at the ledger.
    expect(reasonOf(shortCard)).toContain(
      `tenders come to ${total - 1000} but ${total} is due (1000 short, cash rounding 5)`,
    );
    const paid = extraChange.payload as Sale;
    const tendered = paid.tenders.reduce((n, t) => n + t.amount, 0);
    const due = paid.total + paid.rounding;
    expect(reasonOf(extraChange)).toContain(
      `change is ${paid.change} but tendered ${tendered} − due ${due} is ${tendered - due}`,
    );
    // The watermark moves past the rejected facts: they are recorded, not lost.
    expect(res.watermark).toBe(6);

    // Each rejected sale is in the manager's inbox with its reason.
    const inbox = await rejectedInInbox(ledger);
    expect(inbox.map((x) => x.eventId).sort()).toEqual(bad.map((e) => e.id).sort());
    for (const e of bad) {
      expect(inbox.find((x) => x.eventId === e.id)?.message).toContain(reasonOf(e));
    }

    // The day report and the stock count the two good sales only.
    const after = await dayReport(ledger);
    const goodSales = good.map((e) => e.payload as Sale);
    expect(before.combined.saleCount).toBe(0);
    expect(after.combined).toMatchObject({
      saleCount: 2,
      subtotal: goodSales.reduce((n, s) => n + s.subtotal, 0),
      tax: goodSales.reduce((n, s) => n + s.tax, 0),
      takings: goodSales.reduce((n, s) => n + s.total + s.rounding, 0),
    });
    const levels = await stockLevels(ledger);
    for (const [sku, sold] of unitsSold(good))
      expect(levels.get(sku)).toBe(openingStock[sku]! - sold);
    expect(levels.get('TEE-LOGO-BLK-L')).toBe(openingStock['TEE-LOGO-BLK-L']);
  });

  it('accepts sales a till makes: every tender (a card without its terminal reference too), line and order discounts, and a cash rounding the store changed since', async () => {
    const till = await enrolTill(ledger, 'Front');
    const history = makeSales(till.deviceId, till.prefix, 40, { seed: 12, at: at(0) });
    const discounted = [
      makeSale(
        till.deviceId,
        till.prefix,
        41,
        [
          { sku: 'TEE-LOGO-BLK-M', qty: 3, discount: { kind: 'percent', bp: 1500 } },
          { sku: 'PRT-ZIN-2', qty: 1 },
        ],
        { at: at(41), tender: 'split', orderDiscount: { kind: 'amount', amount: 333 } },
      ),
      makeSale(till.deviceId, till.prefix, 42, [{ sku: 'PRT-ZIN-3', qty: 2 }], {
        at: at(42),
        tender: 'card',
        orderDiscount: { kind: 'percent', bp: 10_000 },
      }),
    ];
    // Rung up while offline when the store rounded cash to 0.10: 10.03 paid with a 10.00 note.
    // The store rounds to 0.05 now, under which 10.00 would be short.
    const offline = tampered(
      makeSale(till.deviceId, till.prefix, 43, [{ sku: 'PRT-ZIN-1', qty: 1, unitPrice: 1003 }], {
        at: at(43),
      }),
      (s) => {
        const tenders: Tender[] = [{ kind: 'cash', amount: 1000 }];
        const then = settle(s.total, tenders, 10);
        if (!then.ok || !then.value.complete) throw new Error('expected a complete settlement');
        s.tenders = tenders;
        s.rounding = then.value.rounding;
        s.change = then.value.change;
      },
    );
    expect(offline.payload).toMatchObject({ total: 1003, rounding: -3, change: 0 });
    // Paid by card at a store that does not ask for the terminal's reference: none is sent.
    const noReference = tampered(
      makeSale(till.deviceId, till.prefix, 44, [{ sku: 'PRT-ZIN-2', qty: 1 }], {
        at: at(44),
        tender: 'card',
      }),
      (s) => {
        s.tenders = s.tenders.map((t) =>
          t.kind === 'card' ? { kind: 'card', amount: t.amount } : t,
        );
      },
    );
    const all = [...history, ...discounted, offline, noReference];
    const res = await push(ledger, till.token, all);
    expect(res.results.filter((r) => r.status !== 'accepted')).toEqual([]);
    expect((await dayReport(ledger)).combined.saleCount).toBe(all.length);
  });
});
