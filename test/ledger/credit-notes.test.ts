// Store credit and exchanges at the real ledger over HTTP: a credit note issued at one till and spent in parts at another, offline double spends, codes reused or spent before they arrive, exchanges checked against their return, and the day report's tenders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { DayReport } from '../../shared/reports';
import { creditLeft } from '../../shared/returns/credit-note';
import type { SaleReturn } from '../../shared/returns/return-fact';
import type { Sale } from '../../shared/sale';
import { pullAs, type Till } from './drop-fixtures';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  makeSale,
  push,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';
import { asExchange, csvEuros, dayCsvRow, makeReturn, payWith } from './return-fixtures';

const DAY = '2026-11-25';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 12, minute));
const NOW = new Date('2026-11-25T18:00:00Z');

describe.each(engines)('store credit and exchanges at the ledger on %s', (engine) => {
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
  /** A sale of one tee at `price`, paid by card unless re-paid with payWith. */
  const saleOf = (t: Till, price: number, minute = 10) =>
    makeSale(t.deviceId, t.prefix, next(t), [{ sku: 'TEE-LOGO-BLK-M', qty: 1, unitPrice: price }], {
      at: at(minute),
      tender: 'card',
    });
  const accepted = async (t: Till, events: EventEnvelope[]) => {
    const res = await push(ledger, t.token, events);
    expect(
      res.results.map((r) => r.status),
      JSON.stringify(res.results),
    ).toEqual(events.map(() => 'accepted'));
  };
  /** A synced sale of `price` at Front, returned at Front for a credit note `code`. */
  const issueNote = async (price: number, code: string, minute = 20) => {
    const sale = saleOf(front, price, minute - 5);
    await accepted(front, [sale]);
    const ret = makeReturn(front, next(front), sale.payload as Sale, [{ lineNo: 1, qty: 1 }], {
      tender: 'store-credit',
      code,
      at: at(minute),
    });
    await accepted(front, [ret]);
    return ret;
  };
  const spend = (t: Till, price: number, code: string, credit: number, minute = 30) =>
    payWith(saleOf(t, price, minute), [
      { kind: 'store-credit', amount: credit, code },
      ...(price > credit
        ? [{ kind: 'card' as const, amount: price - credit, reference: 'AUTH-REST' }]
        : []),
    ]);
  const note = async (t: Till, code: string) =>
    (await pullAs(ledger, t)).creditNotes.find((n) => n.code === code);
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
  const report = async () => {
    const res = await ledger.call(
      'GET',
      `/api/v1/reports/day?storeId=${ledger.storeId}&date=${DAY}`,
      ADMIN_TOKEN,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as DayReport;
  };
  const tillOf = (day: DayReport, t: Till) => day.tills.find((x) => x.deviceId === t.deviceId)!;

  beforeAll(async () => {
    ledger = await startLedger(engine, { now: () => NOW });
    front = await enrolTill(ledger, 'Front');
    back = await enrolTill(ledger, 'Back');
    manager = await loginManager(ledger, ledger.storeId, 'staff-credit-mgr', '6148');
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('issues a credit note at one till that the other till sees in its pull, spends part of it there, and shows it as its own tender in the day report', async () => {
    const before = await report();
    await issueNote(3000, 'CN-T1-PART');
    expect(await note(back, 'CN-T1-PART')).toMatchObject({
      code: 'CN-T1-PART',
      currency: 'EUR',
      issued: 3000,
      spent: 0,
    });

    await accepted(back, [spend(back, 5000, 'CN-T1-PART', 1000)]);
    const after = await note(back, 'CN-T1-PART');
    expect(after).toMatchObject({ issued: 3000, spent: 1000 });
    expect(creditLeft(after!)).toBe(2000);
    expect(await exceptions('credit-overspent')).toEqual([]);

    const day = await report();
    const b = tillOf(day, back).totals;
    const b0 = tillOf(before, back).totals;
    // 5000 taken: 1000 from the note, 4000 on the card, nothing in the drawer.
    expect(b.takings - b0.takings).toBe(5000);
    expect((b.storeCredit ?? 0) - (b0.storeCredit ?? 0)).toBe(1000);
    expect(b.card - b0.card).toBe(4000);
    expect(b.cash - b0.cash).toBe(0);
    // The note itself is store credit handed back at Front.
    const f = tillOf(day, front).refunds!;
    expect(f.storeCredit - (tillOf(before, front).refunds?.storeCredit ?? 0)).toBe(3000);
  });

  it('flags a credit note spent on two offline tills beyond its amount as credit-overspent, listing both sales, and the pull shows nothing left', async () => {
    await issueNote(3000, 'CN-T1-TWICE');
    const first = spend(front, 2000, 'CN-T1-TWICE', 2000, 40);
    const second = spend(back, 2500, 'CN-T1-TWICE', 2000, 41);
    await accepted(front, [first]);
    expect(await exceptions('credit-overspent')).toEqual([]);
    await accepted(back, [second]);

    const open = await exceptions('credit-overspent', 'open');
    expect(open).toHaveLength(1);
    expect(open[0].message).toContain('Credit note CN-T1-TWICE was issued for €30.00');
    expect(open[0].message).toContain('€40.00 was spent');
    for (const s of [first, second])
      expect(open[0].message).toContain((s.payload as Sale).receiptNumber);
    expect(open[0].details).toMatchObject({ code: 'CN-T1-TWICE', issued: 3000, spent: 4000 });
    expect(open[0].outcomes).toEqual(['honoured', 'charged']);

    const left = await note(front, 'CN-T1-TWICE');
    expect(left).toMatchObject({ issued: 3000, spent: 4000 });
    expect(creditLeft(left!)).toBe(0);

    const done = await ledger.call('POST', `/api/v1/exceptions/${open[0].id}/resolve`, manager, {
      resolution: 'Customer paid the extra €10 in cash at the next visit.',
      outcome: 'charged',
    });
    expect(done).toEqual({ status: 200, body: { ok: true } });
    expect(await exceptions('credit-overspent', 'open')).toEqual([]);
  });

  it('accepts a spend of a note the ledger has not seen yet, links it when the return arrives, and checks the amount then', async () => {
    const sale = saleOf(front, 1000, 50);
    await accepted(front, [sale]);
    const ret = makeReturn(front, next(front), sale.payload as Sale, [{ lineNo: 1, qty: 1 }], {
      tender: 'store-credit',
      code: 'CN-T1-LATE',
      at: at(51),
    });
    const early = spend(back, 2000, 'CN-T1-LATE', 1500, 52);
    await accepted(back, [early]);
    const waiting = await exceptions('credit-note-unknown', 'open');
    expect(waiting.map((e) => e.eventId)).toEqual([early.id]);
    expect(waiting[0].message).toContain('CN-T1-LATE');
    expect(waiting[0].message).toContain((early.payload as Sale).receiptNumber);

    await accepted(front, [ret]);
    expect(await exceptions('credit-note-unknown', 'open')).toEqual([]);
    expect((await exceptions('credit-note-unknown', 'resolved'))[0]).toMatchObject({
      eventId: early.id,
      resolvedBy: 'ledger',
    });
    // Issued for 10.00, 15.00 already spent: overspent as soon as the note arrives.
    const over = (await exceptions('credit-overspent', 'open')).filter(
      (e) => e.details.code === 'CN-T1-LATE',
    );
    expect(over).toHaveLength(1);
    expect(over[0].details).toMatchObject({ issued: 1000, spent: 1500 });
  });

  it('keeps a return that issues a code already issued, tells a manager, and the note keeps its first amount', async () => {
    await issueNote(2000, 'CN-SAME');
    const sale = saleOf(back, 4000, 55);
    await accepted(back, [sale]);
    const again = makeReturn(back, next(back), sale.payload as Sale, [{ lineNo: 1, qty: 1 }], {
      tender: 'store-credit',
      code: 'CN-SAME',
      at: at(56),
    });
    await accepted(back, [again]);
    const reused = await exceptions('credit-note-reused', 'open');
    expect(reused).toHaveLength(1);
    expect(reused[0].eventId).toBe(again.id);
    expect(reused[0].message).toContain('CN-SAME was issued again, for €40.00');
    expect(reused[0].message).toContain('first issued for €20.00');
    expect(await note(front, 'CN-SAME')).toMatchObject({ issued: 2000, spent: 0 });
  });

  it('flags a note spent by a sale in another currency', async () => {
    await issueNote(2000, 'CN-EUR', 57);
    const sale = spend(back, 1500, 'CN-EUR', 500, 58);
    const gbp = { ...sale, payload: { ...(sale.payload as Sale), currency: 'GBP' } };
    await accepted(back, [gbp]);
    const flagged = await exceptions('credit-currency', 'open');
    expect(flagged).toHaveLength(1);
    expect(flagged[0].message).toContain('in GBP, but the note was issued in EUR');
    expect(flagged[0].eventId).toBe(sale.id);
  });

  it('takes an exchange (return and new sale in one push): no money back, the difference paid in cash, net takings only the difference', async () => {
    const old = saleOf(front, 3000, 11);
    await accepted(front, [old]);
    const before = await report();
    const fresh = saleOf(back, 5000, 60);
    const ret = asExchange(
      makeReturn(back, next(back), old.payload as Sale, [{ lineNo: 1, qty: 1 }], { at: at(60) }),
      fresh.id,
    );
    // The till numbers the return before the sale it paid for.
    const s = fresh.payload as Sale;
    const paid = payWith({ ...fresh, seq: ret.seq + 1, payload: { ...s, seq: ret.seq + 1 } }, [
      { kind: 'exchange', amount: 3000, returnId: ret.id },
      { kind: 'cash', amount: 2000 },
    ]);
    seqs.set(back.deviceId, ret.seq + 1);
    await accepted(back, [ret, paid]);
    expect(await exceptions('exchange-mismatch')).toEqual([]);
    expect(await exceptions('exchange-return-unknown')).toEqual([]);

    const day = await report();
    const t = tillOf(day, back);
    const t0 = tillOf(before, back);
    expect(t.totals.takings - t0.totals.takings).toBe(5000);
    expect((t.totals.exchange ?? 0) - (t0.totals.exchange ?? 0)).toBe(3000);
    expect(t.totals.cash - t0.totals.cash).toBe(2000);
    expect(t.refunds!.total - t0.refunds!.total).toBe(0);
    expect(t.netTakings! - t0.netTakings!).toBe(2000);
    expect(day.netTakings! - before.netTakings!).toBe(2000);

    const backRow = await dayCsvRow(ledger, DAY, 'Back');
    expect(backRow('paid_exchange')).toBe(csvEuros(t.totals.exchange!));
    expect(backRow('paid_store_credit')).toBe(csvEuros(t.totals.storeCredit!));
    expect(backRow('net_takings')).toBe(csvEuros(t.netTakings!));
  });

  it('flags an exchange whose credit and refunds do not add up to the return, with both figures', async () => {
    const old = saleOf(front, 3000, 12);
    await accepted(front, [old]);
    const fresh = saleOf(back, 2500, 61);
    const ret = asExchange(
      makeReturn(back, next(back), old.payload as Sale, [{ lineNo: 1, qty: 1 }], { at: at(61) }),
      fresh.id,
    );
    const s = fresh.payload as Sale;
    const paid = payWith({ ...fresh, seq: ret.seq + 1, payload: { ...s, seq: ret.seq + 1 } }, [
      { kind: 'exchange', amount: 2500, returnId: ret.id },
    ]);
    seqs.set(back.deviceId, ret.seq + 1);
    await accepted(back, [ret, paid]);
    const bad = await exceptions('exchange-mismatch', 'open');
    expect(bad).toHaveLength(1);
    expect(bad[0].eventId).toBe(ret.id);
    expect(bad[0].details).toMatchObject({ refundTotal: 3000, exchange: 2500, refunds: 0 });
    expect(bad[0].message).toContain('is worth 3000');
    expect(bad[0].message).toContain('took 2500');
  });

  it('accepts an exchange sale pushed before its return, and checks it when the return arrives', async () => {
    const old = saleOf(front, 2000, 13);
    await accepted(front, [old]);
    const fresh = saleOf(back, 2000, 62);
    const ret = asExchange(
      makeReturn(front, next(front), old.payload as Sale, [{ lineNo: 1, qty: 1 }], { at: at(62) }),
      fresh.id,
    );
    const paid = payWith(fresh, [
      { kind: 'exchange', amount: (ret.payload as SaleReturn).refundTotal, returnId: ret.id },
    ]);
    await accepted(back, [paid]);
    const waiting = await exceptions('exchange-return-unknown', 'open');
    expect(waiting.map((e) => e.eventId)).toEqual([paid.id]);
    await accepted(front, [ret]);
    expect(await exceptions('exchange-return-unknown', 'open')).toEqual([]);
    expect((await exceptions('exchange-mismatch')).filter((e) => e.eventId === ret.id)).toEqual([]);
  });

  it("flags an exchange sale that takes credit from another store's return", async () => {
    const storeB = `credit-b-${engine}`;
    await ledger.call('PUT', `/api/v1/stores/${storeB}`, ADMIN_TOKEN, storeSettings(storeB));
    const code = await ledger.call('POST', `/api/v1/stores/${storeB}/pairing-codes`, ADMIN_TOKEN);
    const away = (
      await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
        pairingCode: code.body.code,
        name: 'Elsewhere',
      })
    ).body as Till;
    const theirSale = saleOf(away, 1500, 64);
    await accepted(away, [theirSale]);
    const theirReturn = makeReturn(away, next(away), theirSale.payload as Sale, [
      { lineNo: 1, qty: 1 },
    ]);
    await accepted(away, [theirReturn]);
    const mine = payWith(saleOf(back, 1500, 65), [
      { kind: 'exchange', amount: 1500, returnId: theirReturn.id },
    ]);
    await accepted(back, [mine]);
    const flagged = (await exceptions('exchange-mismatch', 'open')).filter(
      (e) => e.eventId === mine.id,
    );
    expect(flagged).toHaveLength(1);
    expect(flagged[0].message).toContain('belongs to another store');
    expect(await exceptions('exchange-return-unknown', 'open')).toEqual([]);
  });

  it('refuses a sale whose store credit is more than its total, and stores no spend', async () => {
    const sale = saleOf(back, 1000, 63);
    const s = sale.payload as Sale;
    const over = {
      ...sale,
      payload: { ...s, tenders: [{ kind: 'store-credit', amount: 1500, code: 'CN-SAME' }] },
    };
    const res = await push(ledger, back.token, [over]);
    expect(res.results[0]?.status).toBe('rejected');
    expect(res.results[0]?.reason).toContain(
      'tenders pay 0 by card and 1500 in store or exchange credit (1500) but the total is 1000',
    );
    expect((await note(back, 'CN-SAME'))?.spent).toBe(0);
  });
});

describe.each(engines)('credit notes in the pull over time on %s', (engine) => {
  let ledger: TestLedger;
  let clock = new Date('2026-11-25T18:00:00Z');
  afterAll(async () => {
    await ledger?.close();
  });

  it('keeps a note with something left in every pull, and a spent one only for the return window after it was last used', async () => {
    ledger = await startLedger(engine, { now: () => clock });
    const till = await enrolTill(ledger, 'Front');
    let seq = 0;
    const sale = (price: number) =>
      makeSale(
        till.deviceId,
        till.prefix,
        ++seq,
        [{ sku: 'TEE-LOGO-BLK-M', qty: 1, unitPrice: price }],
        { at: clock, tender: 'card' },
      );
    const sold = [sale(2000), sale(1000)];
    const notes = sold.map((s, i) =>
      makeReturn(till, ++seq, s.payload as Sale, [{ lineNo: 1, qty: 1 }], {
        tender: 'store-credit',
        code: ['CN-KEEP', 'CN-USED'][i],
        at: clock,
      }),
    );
    const used = makeSale(
      till.deviceId,
      till.prefix,
      ++seq,
      [{ sku: 'TEE-LOGO-BLK-M', qty: 1, unitPrice: 1000 }],
      { at: clock, tender: 'card' },
    );
    const spentAll = payWith(used, [{ kind: 'store-credit', amount: 1000, code: 'CN-USED' }]);
    const res = await push(ledger, till.token, [...sold, ...notes, spentAll]);
    expect(
      res.results.every((r) => r.status === 'accepted'),
      JSON.stringify(res.results),
    ).toBe(true);
    const codes = async () =>
      (await pullAs(ledger, till)).creditNotes.map((n) => [n.code, n.issued, n.spent]);
    expect((await codes()).sort()).toEqual([
      ['CN-KEEP', 2000, 0],
      ['CN-USED', 1000, 1000],
    ]);
    clock = new Date(clock.getTime() + 31 * 86_400_000);
    expect(await codes()).toEqual([['CN-KEEP', 2000, 0]]);
  });
});
