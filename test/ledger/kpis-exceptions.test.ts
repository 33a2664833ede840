// The exceptions inbox behind the drop KPIs: filtered by kind, resolved with an outcome and a reason, and the resolution kept as a ledger event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerException } from '../../shared/reports';
import { seedHistory } from '../fixtures/history';
import { ADMIN_TOKEN, engines, loginManager, startLedger, type TestLedger } from './fixtures';

describe.each(engines)('exceptions inbox on %s', (engine) => {
  let ledger: TestLedger;
  let manager: string;
  const list = async (query: string) => {
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/exceptions?${query}`,
      manager,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.exceptions as LedgerException[];
  };
  const resolve = (id: string, body: unknown) =>
    ledger.call('POST', `/api/v1/exceptions/${id}/resolve`, manager, body);

  beforeAll(async () => {
    ledger = await startLedger(engine);
    await seedHistory(ledger.database.db, { storeId: ledger.storeId, saleLines: 500 });
    manager = await loginManager(ledger, ledger.storeId, 'staff-inbox-mgr', '7391');
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('filters open exceptions by one kind or several', async () => {
    const open = await list('status=open');
    expect(open.map((e) => e.kind).sort()).toEqual([
      'double-redeemed',
      'over-limit',
      'oversold',
      'rejected-event',
    ]);
    expect((await list('kind=oversold')).map((e) => e.kind)).toEqual(['oversold']);
    expect((await list('kind=oversold,over-limit')).map((e) => e.kind).sort()).toEqual([
      'over-limit',
      'oversold',
    ]);
    expect(await list('kind=negative-stock')).toEqual([]);
  });

  it('shows the quarantined fact behind a rejected-event exception', async () => {
    const [rejected] = await list('kind=rejected-event');
    expect(rejected).toMatchObject({
      eventId: 'hist-rejected-1',
      event: { type: 'sale.completed', status: 'rejected', reason: 'payload.lines: too small' },
      outcomes: ['discarded', 're-entered'],
      outcomeRequired: false,
    });
  });

  it('will not settle an oversold unit without backorder or refund', async () => {
    const [oversold] = await list('kind=oversold');
    expect(oversold!.outcomeRequired).toBe(true);
    const none = await resolve(oversold!.id, { resolution: 'Customer was told' });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('backorder or refund');
    const wrong = await resolve(oversold!.id, {
      resolution: 'Customer was told',
      outcome: 'ignore',
    });
    expect(wrong.status).toBe(400);
    expect((await list('kind=oversold&status=open')).map((e) => e.id)).toEqual([oversold!.id]);
  });

  it('resolves with an outcome and a reason, moves it to resolved, and records an exception.resolved event', async () => {
    const [oversold] = await list('kind=oversold');
    const reason = 'Three customers agreed to wait for the restock on Friday.';
    const done = await resolve(oversold!.id, { resolution: reason, outcome: 'backorder' });
    expect(done).toEqual({ status: 200, body: { ok: true } });

    expect(await list('kind=oversold')).toEqual([]);
    const [resolved] = await list('status=resolved&kind=oversold');
    expect(resolved).toMatchObject({
      id: oversold!.id,
      resolution: reason,
      outcome: 'backorder',
      resolvedBy: 'staff-inbox-mgr',
    });

    const event = await ledger.database.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'exception.resolved')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      store_id: ledger.storeId,
      device_id: 'manager:staff-inbox-mgr',
      status: 'accepted',
    });
    expect(JSON.parse(event.payload)).toEqual({
      exceptionId: oversold!.id,
      kind: 'oversold',
      outcome: 'backorder',
      resolution: reason,
      by: 'staff-inbox-mgr',
    });

    const again = await resolve(oversold!.id, { resolution: reason, outcome: 'refund' });
    expect(again.status).toBe(409);
  });

  it('resolves a double-redeemed code with a reason only, and refuses an outcome of another kind', async () => {
    const [double] = await list('kind=double-redeemed');
    const wrong = await resolve(double!.id, { resolution: 'Fine', outcome: 'backorder' });
    expect(wrong.status).toBe(400);
    const ok = await ledger.call('POST', `/api/v1/exceptions/${double!.id}/resolve`, ADMIN_TOKEN, {
      resolution: 'Both tills were offline; honoured once as goodwill.',
    });
    expect(ok.status).toBe(200);
    const [resolved] = await list('status=resolved&kind=double-redeemed');
    expect(resolved).toMatchObject({ outcome: null, resolvedBy: 'admin' });
    expect((await list('status=all')).length).toBe(4);
    expect((await list('status=open')).map((e) => e.kind).sort()).toEqual([
      'over-limit',
      'rejected-event',
    ]);
  });
});
