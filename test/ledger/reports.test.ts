// The end-of-day report: per-till and combined totals, promo redemptions, shifts' over/short and unsynced tills, matching the tills' own records, as JSON and CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../shared/business-day';
import type { EventEnvelope } from '../../shared/events';
import type { DayReport, DayTotals } from '../../shared/reports';
import type { Sale, SaleVoid } from '../../shared/sale';
import { generateHistory, type History, seedHistory } from '../fixtures/history';
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
    storeCredit: 0,
    exchange: 0,
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
      else if (tender.kind === 'store-credit') t.storeCredit! += tender.amount;
      else if (tender.kind === 'exchange') t.exchange! += tender.amount;
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

/** The day report worked out by hand from a seeded history's rows. */
function expectedDay(h: History, date: string, timeZone = 'Europe/Dublin') {
  const sales = h.sales.filter((s) => s.business_date === date);
  const saleIds = new Set(sales.map((s) => s.id));
  const voids = h.voids.filter((v) => v.business_date === date);
  const tills = h.devices.map((d) => {
    const own = sales.filter((s) => s.device_id === d.id);
    const ownVoids = voids.filter((v) => v.device_id === d.id);
    const redeemed = h.redemptions.filter((r) => own.some((s) => s.id === r.sale_id));
    const sum = (f: (s: (typeof own)[number]) => number) => own.reduce((n, s) => n + f(s), 0);
    return {
      deviceId: d.id,
      name: d.name,
      prefix: d.prefix,
      lastPushAt: d.last_push_at,
      totals: {
        saleCount: own.length,
        itemCount: sum((s) => s.item_count),
        subtotal: sum((s) => s.subtotal),
        discounts: sum((s) => s.discount_total),
        tax: sum((s) => s.tax),
        takings: sum((s) => s.total + s.rounding),
        rounding: sum((s) => s.rounding),
        cash: sum((s) => s.cash),
        card: sum((s) => s.card),
        voidCount: ownVoids.length,
        voidValue: ownVoids.reduce((n, v) => n + v.value, 0),
        storeCredit: sum((s) => s.store_credit ?? 0),
        exchange: sum((s) => s.exchange ?? 0),
      } as DayTotals,
      redemptions: {
        count: redeemed.length,
        discount: redeemed.reduce((n, r) => n + r.discount, 0),
      },
    };
  });
  const bands = new Map<number, { ratePpm: number; base: number; tax: number }>();
  for (const l of h.sale_lines.filter((x) => saleIds.has(x.sale_id))) {
    const b = bands.get(l.rate_ppm) ?? { ratePpm: l.rate_ppm, base: 0, tax: 0 };
    b.base += l.total - l.tax;
    b.tax += l.tax;
    bands.set(l.rate_ppm, b);
  }
  const shiftIds = new Set([
    ...sales.map((s) => s.shift_id),
    ...h.shifts.filter((s) => businessDate(s.opened_at, timeZone) === date).map((s) => s.id),
  ]);
  const shifts = h.shifts
    .filter((s) => shiftIds.has(s.id))
    .map((s) => {
      const cashTakings = h.sales
        .filter((x) => x.shift_id === s.id)
        .reduce((n, x) => n + x.cash, 0);
      const counted = s.counted_total ?? null;
      return {
        shiftId: s.id,
        deviceId: s.device_id,
        openedAt: s.opened_at,
        closedAt: s.closed_at ?? null,
        float: s.float,
        cashTakings,
        expectedCash: s.float + cashTakings,
        countedCash: counted,
        overShort: counted === null ? null : counted - s.float - cashTakings,
      };
    })
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.shiftId.localeCompare(b.shiftId));
  const lastSaleAt = sales.reduce<string | null>(
    (m, s) => (m === null || s.device_time > m ? s.device_time : m),
    null,
  );
  return {
    tills,
    combined: tills.reduce(
      (acc, t) => {
        for (const k of Object.keys(acc) as (keyof DayTotals)[]) acc[k]! += t.totals[k] ?? 0;
        return acc;
      },
      { ...totalsOf([]) },
    ),
    redemptions: {
      count: tills.reduce((n, t) => n + t.redemptions.count, 0),
      discount: tills.reduce((n, t) => n + t.redemptions.discount, 0),
    },
    taxBands: [...bands.values()].sort((a, b) => b.ratePpm - a.ratePpm),
    shifts,
    lastSaleAt,
    notSynced: h.devices
      .filter((d) => lastSaleAt && (d.last_push_at ?? '') < lastSaleAt)
      .map((d) => ({
        deviceId: d.id,
        name: d.name,
        lastPushAt: d.last_push_at,
        lastSaleAt: d.last_sale_at,
        missingFacts: d.id === 'hist-till-5',
      })),
  };
}

const euros = (minor: number) => (minor / 100).toFixed(2);

describe.each(engines)('day report of a seeded history on %s', (engine) => {
  let ledger: TestLedger;
  let h: History;
  const day = async (date: string) => {
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/reports/day?date=${date}`,
      ADMIN_TOKEN,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as DayReport;
  };

  beforeAll(async () => {
    ledger = await startLedger(engine);
    const opts = { storeId: ledger.storeId, saleLines: 2_000 };
    h = generateHistory(opts);
    await seedHistory(ledger.database.db, opts);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('gives five tills their sales, voids, promo redemptions, tax, tenders and shifts on a drop day and on any past day', async () => {
    for (const date of ['2026-09-04', '2026-09-20', '2026-10-30']) {
      const got = await day(date);
      const want = expectedDay(h, date);
      expect(got, date).toMatchObject(want);
      expect(got.tills).toHaveLength(5);
      expect(got.combined.saleCount).toBeGreaterThan(0);
    }
    // A drop day has promo redemptions, and some shift was counted over or short.
    const dropDay = await day('2026-09-04');
    expect(dropDay.redemptions.count).toBeGreaterThan(0);
    expect(dropDay.redemptions.discount).toBeGreaterThan(0);
    const counted = h.shifts.filter((s) => s.counted_total !== null);
    expect(
      counted.some(
        (s) =>
          s.counted_total !==
          s.float + h.sales.filter((x) => x.shift_id === s.id).reduce((n, x) => n + x.cash, 0),
      ),
    ).toBe(true);
  });

  it('says which till has not synced, since when, and that it holds facts the ledger is missing', async () => {
    const last = await day('2026-10-30');
    expect(last.notSynced).toEqual([
      expect.objectContaining({
        deviceId: 'hist-till-5',
        lastPushAt: '2026-10-29T00:00:00.000Z',
        missingFacts: true,
      }),
    ]);
    // Its last shift is still open: no count, so no over/short yet.
    const open = last.shifts.find((s) => s.shiftId === 'hist-shift-5-59');
    expect(open).toMatchObject({ countedCash: null, overShort: null, closedAt: null });
  });

  it('exports the day as CSV with a row per till, the combined row, shifts and tax bands', async () => {
    const res = await fetch(
      `${ledger.url}/api/v1/stores/${ledger.storeId}/reports/day.csv?date=2026-09-04`,
      { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('day-northside-pop-up-2026-09-04.csv');
    const rows = (await res.text())
      .trim()
      .split('\r\n')
      .map((r) => r.split(','));
    const want = expectedDay(h, '2026-09-04');
    expect(rows[1]!.slice(0, 8)).toEqual([
      'till',
      'prefix',
      'sales',
      'items',
      'subtotal',
      'discounts',
      'tax',
      'takings',
    ]);
    for (const [i, t] of want.tills.entries())
      expect(rows[2 + i]!.slice(0, 8)).toEqual([
        t.name,
        t.prefix,
        String(t.totals.saleCount),
        String(t.totals.itemCount),
        euros(t.totals.subtotal),
        euros(t.totals.discounts),
        euros(t.totals.tax),
        euros(t.totals.takings),
      ]);
    const combined = rows[7]!;
    expect(combined[0]).toBe('All tills');
    expect(combined[7]).toBe(euros(want.combined.takings));
    expect(combined[13]).toBe(String(want.redemptions.count));
    const shiftRows = rows.filter((r) => r[0]?.startsWith('hist-shift-'));
    expect(shiftRows.map((r) => r[0])).toEqual(want.shifts.map((s) => s.shiftId));
    expect(shiftRows.map((r) => r[8])).toEqual(
      want.shifts.map((s) => (s.overShort === null ? '' : euros(s.overShort))),
    );

    const bad = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/reports/day.csv?date=yesterday`,
      ADMIN_TOKEN,
    );
    expect(bad.status).toBe(400);
  });
});
