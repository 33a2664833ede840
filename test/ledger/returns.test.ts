// Returns at the real ledger over HTTP: accepted returns move stock and the day report, two tills returning one line raise over-returned, bad returns are refused and change nothing.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { DayReport } from '../../shared/reports';
import type { RefundTender } from '../../shared/returns/return-fact';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  makeSale,
  push,
  startLedger,
  stockLevels,
  storeSettings,
  type TestLedger,
} from './fixtures';
import { csvEuros, dayCsvRow, makeReturn } from './return-fixtures';

type Till = { deviceId: string; prefix: string; token: string };
const DAY = '2026-11-25';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 12, minute));

describe.each(engines)('returns at the ledger on %s', (engine) => {
  let ledger: TestLedger;
  let front: Till;
  let back: Till;
  let manager: string;
  const seqs = new Map<string, number>();
  const next = (t: Till) => {
    const s = (seqs.get(t.deviceId) ?? 0) + 1;
    seqs.set(t.deviceId, s);
    return s;
  };
  const sell = async (t: Till, lines: Parameters<typeof makeSale>[3], minute = 10) => {
    const e = makeSale(t.deviceId, t.prefix, next(t), lines, { at: at(minute) });
    const res = await push(ledger, t.token, [e]);
    expect(res.results[0]?.status).toBe('accepted');
    return e.payload as Sale;
  };
  const report = async () => {
    const res = await ledger.call(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=${DAY}`,
      ADMIN_TOKEN,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as DayReport;
  };
  const exceptions = async (kind: string, status = 'all') => {
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/exceptions?status=${status}&kind=${kind}`,
      manager,
    );
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: each test asserts the fields it reads
    return res.body.exceptions as any[];
  };

  beforeAll(async () => {
    ledger = await startLedger(engine);
    front = await enrolTill(ledger, 'Front');
    back = await enrolTill(ledger, 'Back');
    manager = await loginManager(ledger, ledger.storeId, 'staff-returns-mgr', '5937');
    const float = 10_000;
    for (const t of [front, back]) {
      const createdAt = at(1).toISOString();
      const shift = {
        id: `shift-${t.deviceId}`,
        deviceId: t.deviceId,
        openedAt: createdAt,
        openedBy: 'staff-aoife',
        float,
      };
      const id = ulid(Date.parse(createdAt));
      await push(ledger, t.token, [
        { id, seq: next(t), type: 'shift.opened', createdAt, payload: shift },
      ]);
    }
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('takes a return of a synced sale: resaleable units back in stock, damaged ones written off, refunds per tender and net takings in the day report', async () => {
    const sale = await sell(front, [
      { sku: 'TEE-LOGO-BLK-M', qty: 2 },
      { sku: 'TEE-LOGO-WHT-M', qty: 1 },
    ]);
    const stockBefore = await stockLevels(ledger);
    const dayBefore = await report();
    const cashBack = makeReturn(front, next(front), sale, [{ lineNo: 1, qty: 1 }], {
      tender: 'cash',
    });
    const cardBack = makeReturn(
      front,
      next(front),
      sale,
      [{ lineNo: 2, qty: 1, condition: 'damaged' }],
      { tender: 'card', at: at(31) },
    );
    const res = await push(ledger, front.token, [cashBack, cardBack]);
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    const stock = await stockLevels(ledger);
    expect(stock.get('TEE-LOGO-BLK-M')).toBe(stockBefore.get('TEE-LOGO-BLK-M')! + 1);
    expect(stock.get('TEE-LOGO-WHT-M')).toBe(stockBefore.get('TEE-LOGO-WHT-M')!);

    const cash = Math.floor(sale.lines[0]!.total / 2);
    const card = sale.lines[1]!.total;
    const day = await report();
    const till = day.tills.find((t) => t.deviceId === front.deviceId)!;
    expect(till.refunds).toEqual({
      returnCount: 2,
      returnedItems: 2,
      cash,
      card,
      storeCredit: 0,
      total: cash + card,
    });
    expect(till.totals).toEqual(dayBefore.tills.find((t) => t.deviceId === front.deviceId)!.totals);
    expect(till.netTakings).toBe(till.totals.takings - cash - card);
    expect(day.refunds?.total).toBe(cash + card);
    expect(day.netTakings).toBe(day.combined.takings - cash - card);
    const shift = day.shifts.find((s) => s.deviceId === front.deviceId)!;
    expect(shift.cashRefunds).toBe(cash);
    expect(shift.expectedCash).toBe(10_000 + shift.cashTakings - cash);

    const frontRow = await dayCsvRow(ledger, DAY, 'Front');
    expect(frontRow('refunds_cash')).toBe(csvEuros(cash));
    expect(frontRow('refunds_card')).toBe(csvEuros(card));
    expect(frontRow('net_takings')).toBe(csvEuros(till.netTakings!));
  });

  it('accepts two tills returning the same unit and raises one over-returned exception listing both, which a manager resolves', async () => {
    const sale = await sell(front, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }], 12);
    const first = makeReturn(front, next(front), sale, [{ lineNo: 1, qty: 1 }], { at: at(40) });
    const second = makeReturn(back, next(back), sale, [{ lineNo: 1, qty: 1 }], {
      at: at(41),
      tender: 'store-credit',
    });
    expect((await push(ledger, front.token, [first])).results[0]?.status).toBe('accepted');
    expect(await exceptions('over-returned')).toEqual([]);
    expect((await push(ledger, back.token, [second])).results[0]?.status).toBe('accepted');

    const open = await exceptions('over-returned', 'open');
    expect(open).toHaveLength(1);
    expect(open[0].details).toMatchObject({
      saleId: sale.id,
      lineNo: 1,
      sku: 'TEE-LOGO-BLK-S',
      sold: 1,
      returned: 2,
    });
    expect(open[0].details.returns.map((r: { returnNumber: string }) => r.returnNumber)).toEqual([
      first.payload && (first.payload as { returnNumber: string }).returnNumber,
      (second.payload as { returnNumber: string }).returnNumber,
    ]);
    // In the manager's words: the receipt and the product by name, not ids.
    expect(open[0].message).toContain(`Receipt ${sale.receiptNumber}, line 1 (`);
    expect(open[0].message).toContain('1 sold but 2 came back');
    expect(open[0].message).not.toContain(sale.id);
    expect(open[0].outcomes).toEqual(['refund-kept', 'recovered']);

    const done = await ledger.call('POST', `/api/v1/exceptions/${open[0].id}/resolve`, manager, {
      resolution:
        'Customer returned one tee twice; second refund recovered as a store credit void.',
      outcome: 'recovered',
    });
    expect(done).toEqual({ status: 200, body: { ok: true } });
    expect(await exceptions('over-returned', 'open')).toEqual([]);
    const resolved = await exceptions('over-returned', 'resolved');
    expect(resolved[0]).toMatchObject({ outcome: 'recovered', resolvedBy: 'staff-returns-mgr' });

    // The back till's store-credit refund shows in its own column.
    const day = await report();
    const backTill = day.tills.find((t) => t.deviceId === back.deviceId)!;
    expect(backTill.refunds?.storeCredit).toBe(sale.lines[0]!.total);
  });

  it('takes a return whose sale is still on an offline till, flags it, and links it when the sale arrives', async () => {
    const sale = makeSale(
      front.deviceId,
      front.prefix,
      next(front),
      [{ sku: 'TEE-LOGO-BLK-L', qty: 1 }],
      { at: at(14) },
    );
    const early = makeReturn(back, next(back), sale.payload as Sale, [{ lineNo: 1, qty: 1 }], {
      at: at(45),
    });
    expect((await push(ledger, back.token, [early])).results[0]?.status).toBe('accepted');
    const waiting = await exceptions('return-sale-unknown', 'open');
    expect(waiting.map((e) => e.eventId)).toEqual([early.id]);
    expect(waiting[0].message).toContain((sale.payload as Sale).receiptNumber);

    expect((await push(ledger, front.token, [sale])).results[0]?.status).toBe('accepted');
    expect(await exceptions('return-sale-unknown', 'open')).toEqual([]);
    const linked = await exceptions('return-sale-unknown', 'resolved');
    expect(linked[0]).toMatchObject({ eventId: early.id, resolvedBy: 'ledger' });
  });

  it('refuses returns that do not fit their sale or do not add up, with the field and both values, and changes nothing', async () => {
    const sale = await sell(
      front,
      [
        { sku: 'TEE-LOGO-BLK-M', qty: 2 },
        { sku: 'TEE-LOGO-WHT-M', qty: 1 },
      ],
      16,
    );
    const storeB = `returns-b-${engine}`;
    expect(
      (await ledger.call('PUT', `/api/v1/stores/${storeB}`, ADMIN_TOKEN, storeSettings(storeB)))
        .status,
    ).toBe(200);
    const code = await ledger.call('POST', `/api/v1/stores/${storeB}/pairing-codes`, ADMIN_TOKEN);
    const other = (
      await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
        pairingCode: code.body.code,
        name: 'Elsewhere',
      })
    ).body as Till;

    const stockBefore = await stockLevels(ledger);
    const dayBefore = await report();
    const cases: [Till, EventEnvelope, string[]][] = [
      [
        front,
        makeReturn(front, next(front), sale, [{ lineNo: 1, qty: 3 }]),
        ['lines.qty', 'returns 3', 'sold 2'],
      ],
      [
        front,
        makeReturn(front, next(front), sale, [{ lineNo: 5, qty: 1, refund: 100 }]),
        ['lines.0.lineNo', 'line 5', '2 lines'],
      ],
      [
        front,
        makeReturn(front, next(front), sale, [{ lineNo: 2, qty: 1, sku: 'TEE-LOGO-BLK-S' }]),
        ['lines.0.sku', 'TEE-LOGO-WHT-M', 'TEE-LOGO-BLK-S'],
      ],
      [
        front,
        makeReturn(front, next(front), sale, [{ lineNo: 1, qty: 1 }], { refundTotal: 1 }),
        ['refundTotal is 1', `add up to ${Math.floor(sale.lines[0]!.total / 2)}`],
      ],
      [
        front,
        makeReturn(front, next(front), sale, [
          { lineNo: 2, qty: 1, refund: sale.lines[1]!.total + 1 },
        ]),
        ['lines.refund', String(sale.lines[1]!.total + 1), String(sale.lines[1]!.total)],
      ],
      [other, makeReturn(other, 1, sale, [{ lineNo: 1, qty: 1 }]), ['belongs to another store']],
    ];
    for (const [till, fact, words] of cases) {
      const res = await push(ledger, till.token, [fact]);
      expect(res.results[0]?.status, JSON.stringify(res.results[0])).toBe('rejected');
      for (const w of words) expect(res.results[0]?.reason).toContain(w);
    }
    // Tenders that do not add up to the refund total.
    const short = makeReturn(front, next(front), sale, [{ lineNo: 1, qty: 1 }]);
    const p = short.payload as { refunds: RefundTender[]; refundTotal: number };
    p.refunds = [{ kind: 'cash', amount: p.refundTotal - 1 }];
    const res = await push(ledger, front.token, [short]);
    expect(res.results[0]).toMatchObject({ status: 'rejected' });
    expect(res.results[0]?.reason).toContain(
      `add up to ${p.refundTotal - 1} but refundTotal is ${p.refundTotal}`,
    );

    expect(await stockLevels(ledger)).toEqual(stockBefore);
    const day = await report();
    expect(day.refunds).toEqual(dayBefore.refunds);
    expect(day.netTakings).toBe(dayBefore.netTakings);
    expect(await exceptions('over-returned', 'open')).toEqual([]);
  });
});
