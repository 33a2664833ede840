// The end-of-day report: per-till and combined totals that match the tills' own sales, on the stall's local day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { DayReport, DayTotals } from '../../shared/reports';
import type { Sale, SaleVoid } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  makeSales,
  makeVoid,
  push,
  type SaleLineSpec,
  startLedger,
  type TestLedger,
} from './fixtures';

const utc = (iso: string) => new Date(iso);

/** What the report should say for these events, added up here from the tills' own records. */
function totalsOf(events: readonly EventEnvelope[]): DayTotals {
  const t: DayTotals = {
    saleCount: 0,
    itemCount: 0,
    subtotal: 0,
    discounts: 0,
    tax: 0,
    takings: 0,
    rounding: 0,
    cash: 0,
    card: 0,
    voidCount: 0,
    voidValue: 0,
  };
  for (const e of events) {
    if (e.type === 'sale.voided') {
      t.voidCount += 1;
      t.voidValue += (e.payload as SaleVoid).value;
      continue;
    }
    const s = e.payload as Sale;
    t.saleCount += 1;
    t.itemCount += s.lines.reduce((n, l) => n + l.qty, 0);
    t.subtotal += s.subtotal;
    t.discounts += s.discountTotal;
    t.tax += s.tax;
    t.takings += s.total + s.rounding;
    t.rounding += s.rounding;
    for (const tender of s.tenders) {
      if (tender.kind === 'card') t.card += tender.amount;
      else t.cash += tender.amount;
    }
    t.cash -= s.change;
  }
  return t;
}

function bandsOf(events: readonly EventEnvelope[]) {
  const bands = new Map<number, { ratePpm: number; base: number; tax: number }>();
  for (const e of events) {
    if (e.type !== 'sale.completed') continue;
    for (const b of (e.payload as Sale).taxBands) {
      const band = bands.get(b.ratePpm) ?? { ratePpm: b.ratePpm, base: 0, tax: 0 };
      band.base += b.base;
      band.tax += b.tax;
      bands.set(b.ratePpm, band);
    }
  }
  return [...bands.values()].sort((a, b) => b.ratePpm - a.ratePpm);
}

describe.each(engines)('day report on %s', (engine) => {
  let ledger: TestLedger;
  let clock = utc('2026-11-25T09:00:00Z').getTime();
  let front: Awaited<ReturnType<typeof enrolTill>>;
  let back: Awaited<ReturnType<typeof enrolTill>>;
  let spare: Awaited<ReturnType<typeof enrolTill>>;
  const frontDay: EventEnvelope[] = [];
  const backDay: EventEnvelope[] = [];
  let july: EventEnvelope;
  let nextDay: EventEnvelope;

  const report = async (date: string): Promise<DayReport> => {
    const res = await ledger.call(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=${date}`,
      ADMIN_TOKEN,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const till = (r: DayReport, deviceId: string) => r.tills.find((t) => t.deviceId === deviceId);

  beforeAll(async () => {
    ledger = await startLedger(engine, { now: () => new Date(clock) });
    front = await enrolTill(ledger, 'Front');
    back = await enrolTill(ledger, 'Back');
    spare = await enrolTill(ledger, 'Spare');

    // Back till: a morning of generated sales, a voided cart, pushed at noon.
    backDay.push(
      ...makeSales(back.deviceId, back.prefix, 40, { seed: 31, at: utc('2026-11-25T10:00:00Z') }),
      makeVoid(back.deviceId, 41, { at: utc('2026-11-25T11:00:00Z'), itemCount: 3, value: 7985 }),
    );
    clock = utc('2026-11-25T12:00:00Z').getTime();
    await push(ledger, back.token, backDay);

    // Front till: discounts, both tax rates, split tenders, a void, and a sale at 23:30 UTC
    // (23:30 in Dublin in November, so still the 25th).
    let seq = 0;
    const sale = (iso: string, lines: SaleLineSpec[], opts: Parameters<typeof makeSale>[4]) =>
      makeSale(front.deviceId, front.prefix, ++seq, lines, { ...opts, at: utc(iso) });
    july = sale('2026-07-14T23:30:00Z', [{ sku: 'PRT-ZIN-4', qty: 2 }], { tender: 'card' });
    frontDay.push(
      sale(
        '2026-11-25T09:15:00Z',
        [
          { sku: 'TEE-LOGO-BLK-S', qty: 2 },
          { sku: 'PRT-ZIN-1', qty: 3 },
        ],
        {
          tender: 'split',
        },
      ),
      sale(
        '2026-11-25T13:02:00Z',
        [
          { sku: 'TEE-LOGO-WHT-S', qty: 1, discount: { kind: 'percent', bp: 1_000 } },
          { sku: 'PRT-ZIN-2', qty: 1 },
        ],
        { tender: 'cash', orderDiscount: { kind: 'amount', amount: 333 } },
      ),
      makeVoid(front.deviceId, ++seq, {
        at: utc('2026-11-25T15:00:00Z'),
        itemCount: 1,
        value: 2995,
      }),
      sale('2026-11-25T17:41:00Z', [{ sku: 'PRT-ZIN-3', qty: 1 }], {
        tender: 'cash',
        orderDiscount: { kind: 'percent', bp: 1_500 },
      }),
      sale('2026-11-25T23:30:00Z', [{ sku: 'TEE-LOGO-BLK-M', qty: 1 }], { tender: 'card' }),
    );
    nextDay = sale('2026-11-26T00:30:00Z', [{ sku: 'TEE-LOGO-BLK-L', qty: 1 }], { tender: 'cash' });
    clock = utc('2026-11-26T00:45:00Z').getTime();
    await push(ledger, front.token, [nextDay, ...frontDay, july]);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('gives each till the totals its own sales and voids add up to', async () => {
    const day = await report('2026-11-25');
    expect(day).toMatchObject({ storeId: ledger.storeId, date: '2026-11-25', currency: 'EUR' });
    expect(till(day, front.deviceId)?.totals).toEqual(totalsOf(frontDay));
    expect(till(day, back.deviceId)?.totals).toEqual(totalsOf(backDay));
    expect(till(day, spare.deviceId)?.totals).toEqual(totalsOf([]));
    expect(day.tills.map((t) => [t.name, t.prefix])).toEqual([
      ['Front', 'T1'],
      ['Back', 'T2'],
      ['Spare', 'T3'],
    ]);
    // Rounding, change and discounts are really in there, so the checks above are not trivial.
    const sales = [...frontDay, ...backDay].flatMap((e) =>
      e.type === 'sale.completed' ? [e.payload as Sale] : [],
    );
    expect(sales.some((s) => s.rounding !== 0)).toBe(true);
    expect(sales.some((s) => s.change > 0)).toBe(true);
    expect(totalsOf(frontDay).discounts).toBeGreaterThan(0);
  });

  it('adds the tills up into combined totals and tax bands by rate', async () => {
    const day = await report('2026-11-25');
    const all = [...frontDay, ...backDay];
    expect(day.combined).toEqual(totalsOf(all));
    expect(day.taxBands).toEqual(bandsOf(all));
    expect(day.taxBands.map((b) => b.ratePpm)).toEqual([230_000, 135_000]);
    expect(day.lastSaleAt).toBe('2026-11-25T23:30:00.000Z');
  });

  it("counts a 23:30 UTC sale on the next day in summer, when Dublin's clock is an hour ahead", async () => {
    const summer = await report('2026-07-15');
    expect(summer.combined).toEqual(totalsOf([july]));
    expect((await report('2026-07-14')).combined.saleCount).toBe(0);
    expect((await report('2026-11-26')).combined).toEqual(totalsOf([nextDay]));
  });

  it('lists the tills that have not pushed since the last sale of the day', async () => {
    const before = await report('2026-11-25');
    expect(before.notSynced.map((t) => t.name)).toEqual(['Back', 'Spare']);
    expect(before.notSynced.find((t) => t.name === 'Back')?.lastPushAt).toBe(
      '2026-11-25T12:00:00.000Z',
    );

    // Back comes online again (nothing new to send, but it has caught up).
    clock = utc('2026-11-26T01:00:00Z').getTime();
    await push(ledger, back.token, backDay.slice(-1));
    const after = await report('2026-11-25');
    expect(after.notSynced.map((t) => t.name)).toEqual(['Spare']);
    expect(after.combined).toEqual(before.combined);
  });
});
