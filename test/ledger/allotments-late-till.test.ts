// Tills paired after a drop exists get their fair share: split again over the active tills as recorded movements, sold units never taken back, offline tills keep what they may have sold.
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemoDrops } from '../../server/demo';
import {
  createDrop,
  dropSeller,
  liveDrop,
  openExceptions,
  pullAs,
  type Till,
} from './drop-fixtures';
import { ADMIN_TOKEN, engines, enrolTill, push, startLedger, type TestLedger } from './fixtures';

const MINUTE = 60_000;
const BEANIE = 'HAT-BNE-NUM-GRN';

/** A ledger whose clock the test moves (starting at the real time, so drop fixtures are live). */
async function ledgerWithClock(engine: 'sqlite' | 'postgres') {
  let now = Date.now();
  const ledger = await startLedger(engine, { now: () => new Date(now) });
  return { ledger, clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const held = (pull: Awaited<ReturnType<typeof pullAs>>, dropId: string) =>
  Object.fromEntries(pull.allotments.filter((a) => a.dropId === dropId).map((a) => [a.sku, a.qty]));

async function listed(ledger: TestLedger, dropId: string) {
  const res = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/drops`, ADMIN_TOKEN);
  expect(res.status).toBe(200);
  return res.body.drops.find((d: { id: string }) => d.id === dropId);
}

async function movements(ledger: TestLedger, dropId: string, deviceId: string) {
  return ledger.database.db
    .selectFrom('allotment_movements')
    .select(['sku', 'delta', 'reason', 'actor'])
    .where('drop_id', '=', dropId)
    .where('device_id', '=', deviceId)
    .orderBy('id')
    .execute();
}

describe.each(engines)('a till paired after a drop exists, on %s', (engine) => {
  let ledger: TestLedger | undefined;
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
  });

  it('gets half of every demo drop item the first till took, sold units staying with the till that sold them', async () => {
    const l = await ledgerWithClock(engine);
    ledger = l.ledger;
    // As `npm start` does: the demo drops exist before any till is paired.
    await loadDemoDrops(ledger.database, ledger.storeId, l.clock());
    const a: Till = await enrolTill(ledger, 'Till A');
    expect(held(await pullAs(ledger, a), 'winter-drop-01')).toEqual({
      [BEANIE]: 4,
      'HAT-CAP-REF': 5,
      'HOD-PUF-BLK-M': 6,
    });
    // Till A sells one beanie and syncs it: 3 unsold beanies remain, all with Till A.
    await push(ledger, a.token, [dropSeller(a)('winter-drop-01', BEANIE, 1)]);

    l.advance(MINUTE);
    const b = await enrolTill(ledger, 'Till B');
    const pullB = await pullAs(ledger, b);
    // Unsold units split evenly; an odd unit stays with the till that already held it.
    expect(held(pullB, 'winter-drop-01')).toEqual({
      [BEANIE]: 1,
      'HAT-CAP-REF': 2,
      'HOD-PUF-BLK-M': 3,
    });
    expect(held(pullB, 'riso-drop-02')).toEqual({
      'BAG-TOTE-HP': 2,
      'PRT-RSO-NIGHT-A2': 5,
      'PRT-ZIN-0': 7,
    });
    expect(held(await pullAs(ledger, a), 'winter-drop-01')).toEqual({
      [BEANIE]: 2,
      'HAT-CAP-REF': 3,
      'HOD-PUF-BLK-M': 3,
    });

    // Every unit that moved is a recorded 'rebalance' movement naming the till that joined.
    const takenFromA = (await movements(ledger, 'winter-drop-01', a.deviceId)).filter(
      (m) => m.reason === 'rebalance' && m.delta < 0,
    );
    expect(takenFromA.map((m) => [m.sku, m.delta])).toEqual([
      [BEANIE, -1],
      ['HAT-CAP-REF', -2],
      ['HOD-PUF-BLK-M', -3],
    ]);
    expect(takenFromA.every((m) => m.actor?.startsWith(`auto:join|${b.deviceId}|2|`))).toBe(true);
    const givenToB = await movements(ledger, 'winter-drop-01', b.deviceId);
    expect(givenToB.map((m) => [m.sku, m.delta, m.reason])).toEqual([
      [BEANIE, 1, 'rebalance'],
      ['HAT-CAP-REF', 2, 'rebalance'],
      ['HOD-PUF-BLK-M', 3, 'rebalance'],
    ]);

    // The ledger's figures: nothing allotted beyond the drop, the sold beanie still Till A's.
    const drop = await listed(ledger, 'winter-drop-01');
    for (const p of drop.progress) {
      expect(p.sold + p.allotted).toBeLessThanOrEqual(p.quantity);
      expect(p.pool).toBe(0);
    }
    expect(drop.tills).toContainEqual({
      deviceId: a.deviceId,
      name: 'Till A',
      sku: BEANIE,
      allotted: 3,
      sold: 1,
      left: 2,
    });
    expect(drop.tills).toContainEqual({
      deviceId: b.deviceId,
      name: 'Till B',
      sku: BEANIE,
      allotted: 1,
      sold: 0,
      left: 1,
    });
    expect(drop.split).toEqual({
      why: 'joined',
      at: l.clock().toISOString(),
      tillName: 'Till B',
      over: 2,
      kept: [],
    });

    // Till B can sell its share at once; a second pull hands out nothing more.
    await push(ledger, b.token, [dropSeller(b)('winter-drop-01', BEANIE, 1)]);
    expect(held(await pullAs(ledger, b), 'winter-drop-01')[BEANIE]).toBe(0);
    expect(await openExceptions(ledger, 'oversold')).toEqual([]);
  });

  it('takes nothing back from a till not heard from lately: its offline sales still fit', async () => {
    const l = await ledgerWithClock(engine);
    ledger = l.ledger;
    await createDrop(
      ledger,
      liveDrop('quiet', { items: [{ sku: BEANIE, quantity: 6, ladder: [] }] }),
    );
    const a = await enrolTill(ledger, 'Till A');
    expect(held(await pullAs(ledger, a), 'quiet')).toEqual({ [BEANIE]: 6 });

    // Till A goes quiet (offline, selling); Till C is paired 10 minutes later.
    l.advance(10 * MINUTE);
    const c = await enrolTill(ledger, 'Till C');
    expect(held(await pullAs(ledger, c), 'quiet')).toEqual({});
    const early = await listed(ledger, 'quiet');
    expect(early.tills.filter((t: { left: number }) => t.left > 0)).toEqual([
      { deviceId: a.deviceId, name: 'Till A', sku: BEANIE, allotted: 6, sold: 0, left: 6 },
    ]);

    // Till A comes back with 4 beanies sold offline: all fit, none oversold.
    const sell = dropSeller(a);
    const offline = [1, 2, 3, 4].map(() => sell('quiet', BEANIE, 1));
    const res = await push(ledger, a.token, offline);
    expect(res.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    await pullAs(ledger, a);

    // Now that Till A is heard from, Till C's next pull splits the 2 unsold.
    l.advance(MINUTE);
    expect(held(await pullAs(ledger, c), 'quiet')).toEqual({ [BEANIE]: 1 });
    expect(held(await pullAs(ledger, a), 'quiet')).toEqual({ [BEANIE]: 1 });
    const after = await listed(ledger, 'quiet');
    expect(after.progress[0]).toMatchObject({ quantity: 6, sold: 4, allotted: 2, pool: 0 });
    expect(after.split).toMatchObject({ why: 'joined', tillName: 'Till C', over: 2, kept: [] });
    expect(await openExceptions(ledger, 'oversold')).toEqual([]);
  });

  it('says which till kept units when a quiet till holds more than its share', async () => {
    const l = await ledgerWithClock(engine);
    ledger = l.ledger;
    await createDrop(
      ledger,
      liveDrop('kept', { items: [{ sku: BEANIE, quantity: 9, ladder: [] }] }),
    );
    const a = await enrolTill(ledger, 'Till A');
    await pullAs(ledger, a);
    // Till A gives 3 back, then goes quiet; the pool of 3 goes to the newcomer.
    const back = await ledger.call('POST', '/api/v1/drops/kept/allotments/return', a.token, {
      sku: BEANIE,
      qty: 3,
    });
    expect(back.body).toEqual({ returned: 3, allotment: 6 });
    l.advance(5 * MINUTE);
    const b = await enrolTill(ledger, 'Till B');
    expect(held(await pullAs(ledger, b), 'kept')).toEqual({ [BEANIE]: 3 });
    const drop = await listed(ledger, 'kept');
    expect(drop.split).toEqual({
      why: 'joined',
      at: l.clock().toISOString(),
      tillName: 'Till B',
      over: 2,
      kept: ['Till A'],
    });
    expect(drop.progress[0]).toMatchObject({ quantity: 9, sold: 0, allotted: 9, pool: 0 });
  });

  it('gives a till paired after a drop ended nothing, and a revoked till’s units back to the split', async () => {
    const l = await ledgerWithClock(engine);
    ledger = l.ledger;
    const hour = 60 * MINUTE;
    await createDrop(
      ledger,
      liveDrop('over', {
        startsAt: new Date(l.clock().getTime() - 3 * hour).toISOString(),
        endsAt: new Date(l.clock().getTime() - hour).toISOString(),
      }),
    );
    await createDrop(
      ledger,
      liveDrop('open', { items: [{ sku: BEANIE, quantity: 4, ladder: [] }] }),
    );
    const a = await enrolTill(ledger, 'Till A');
    const gone = await enrolTill(ledger, 'Till R');
    expect(held(await pullAs(ledger, gone), 'open')).toEqual({ [BEANIE]: 2 });
    const off = await ledger.call('POST', `/api/v1/devices/${gone.deviceId}/revoke`, ADMIN_TOKEN);
    expect(off.status).toBe(200);
    expect((await listed(ledger, 'open')).progress[0]).toMatchObject({ allotted: 2, pool: 2 });

    const b = await enrolTill(ledger, 'Till B');
    const pull = await pullAs(ledger, b);
    expect(held(pull, 'over')).toEqual({});
    // Split over the two active tills: Till R's returned units are Till B's share.
    expect(held(pull, 'open')).toEqual({ [BEANIE]: 2 });
    expect(held(await pullAs(ledger, a), 'open')).toEqual({ [BEANIE]: 2 });
    const drop = await listed(ledger, 'open');
    expect(drop.progress[0]).toMatchObject({ quantity: 4, allotted: 4, pool: 0 });
    expect(drop.split).toMatchObject({ tillName: 'Till B', over: 2 });
  });
});
