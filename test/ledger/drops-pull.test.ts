// What a till pulls about drops: current drops only, its own allotments, progress and member purchases; a late till's share; the demo drops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDrops } from '../../server/demo';
import { checkDropSale, dropPhase } from '../../shared/drops';
import { createDrop, dropSeller, liveDrop, pullAs, type Till } from './drop-fixtures';
import { ADMIN_TOKEN, engines, enrolTill, push, startLedger, type TestLedger } from './fixtures';

const CAP = 'HAT-CAP-REF';
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe.each(engines)('pulling drops on %s', (engine) => {
  let ledger: TestLedger;
  let a: Till;
  let b: Till;

  beforeAll(async () => {
    ledger = await startLedger(engine);
    a = await enrolTill(ledger, 'Till A');
    b = await enrolTill(ledger, 'Till B');
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('carries current drops, this till’s allotments, progress and limited drops’ member purchases', async () => {
    await createDrop(ledger, liveDrop('current', { perCustomerLimit: 2 }));
    await createDrop(ledger, liveDrop('unlimited'));
    await createDrop(
      ledger,
      liveDrop('ended-lately', { startsAt: ago(13 * DAY + 3_600_000), endsAt: ago(13 * DAY) }),
    );
    await createDrop(
      ledger,
      liveDrop('ended-long-ago', { startsAt: ago(15 * DAY + 3_600_000), endsAt: ago(15 * DAY) }),
    );
    await createDrop(ledger, liveDrop('called-off', { status: 'cancelled' }));
    const sell = dropSeller(b);
    await push(ledger, b.token, [
      sell('current', CAP, 2, 'MQ7R0003'),
      sell('unlimited', CAP, 1, 'MQ7R0003'),
    ]);

    const pull = await pullAs(ledger, a);
    expect(pull.full).toBe(true);
    const ids = pull.drops.map((d) => d.id).sort();
    expect(ids).toEqual(['current', 'ended-lately', 'unlimited']);
    expect(pull.drops.find((d) => d.id === 'current')).toMatchObject({
      perCustomerLimit: 2,
      items: [{ sku: CAP, quantity: 10, ladder: [] }],
    });
    // Only this till's escrow: 5 of each auto drop split over two tills.
    expect(pull.allotments).toContainEqual({ dropId: 'current', sku: CAP, qty: 5 });
    expect(pull.allotments.every((x) => ids.includes(x.dropId))).toBe(true);
    expect(pull.dropProgress).toContainEqual({ dropId: 'current', sku: CAP, sold: 2 });
    expect(pull.dropProgress).toContainEqual({ dropId: 'unlimited', sku: CAP, sold: 1 });
    expect(pull.memberPurchases).toEqual([{ dropId: 'current', memberId: 'MQ7R0003', qty: 2 }]);

    // With what it pulled, the till refuses the same member a third unit.
    const current = pull.drops.find((d) => d.id === 'current')!;
    const check = checkDropSale({
      drop: current,
      item: current.items[0]!,
      shelfPrice: 3900,
      now: new Date(),
      member: { id: 'MQ7R0003', tiers: [], name: 'Róisín' },
      stock: { quantity: 10, soldOverall: 2, unsyncedHere: 0, allotment: 5 },
      inCartItem: 0,
      inCartDrop: 0,
      boughtByMember: pull.memberPurchases[0]!.qty,
      qty: 1,
    });
    expect(check).toMatchObject({ ok: false, code: 'limit-reached' });

    // A delta pull tells the till a drop was cancelled.
    await createDrop(ledger, liveDrop('unlimited', { status: 'cancelled' }));
    const delta = await pullAs(ledger, a, pull.cursor);
    expect(delta.full).toBe(false);
    expect(delta.drops.map((d) => [d.id, d.status])).toEqual([['unlimited', 'cancelled']]);
    expect(delta.dropProgress.map((p) => p.dropId).sort()).toEqual(['current', 'ended-lately']);
  });

  it('gives a till that joined after an auto drop was split its share of the pool at its first pull', async () => {
    await createDrop(
      ledger,
      liveDrop('late-joiner', { items: [{ sku: CAP, quantity: 9, ladder: [] }] }),
    );
    // Two tills hold 5 + 4; give 3 back so there is a pool for the newcomer.
    const back = await ledger.call('POST', '/api/v1/drops/late-joiner/allotments/return', a.token, {
      sku: CAP,
      qty: 3,
    });
    expect(back.body.returned).toBe(3);
    const c = await enrolTill(ledger, 'Till C');
    const first = await pullAs(ledger, c);
    expect(first.allotments).toContainEqual({ dropId: 'late-joiner', sku: CAP, qty: 3 });
    // Only once: the next pull hands out nothing more.
    const again = await pullAs(ledger, c);
    expect(again.allotments).toContainEqual({ dropId: 'late-joiner', sku: CAP, qty: 3 });
    const list = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/drops`, ADMIN_TOKEN);
    const progress = list.body.drops.find((d: { id: string }) => d.id === 'late-joiner')
      .progress[0];
    expect(progress).toMatchObject({ allotted: 9, pool: 0 });
  });

  it('loads a live and an upcoming demo drop with a 3-step ladder, and three members', async () => {
    const now = new Date();
    await loadDemoDrops(ledger.database, ledger.storeId, now);
    const pull = await pullAs(ledger, a);
    const live = pull.drops.find((d) => d.id === 'winter-drop-01')!;
    const next = pull.drops.find((d) => d.id === 'riso-drop-02')!;
    expect(dropPhase(live, now)).toBe('live');
    expect(dropPhase(next, now)).toBe('upcoming');
    expect(live.perCustomerLimit).toBe(2);
    expect(live.access).toEqual([{ tier: 'members', minutesBefore: 30 }]);
    expect(live.items[0]!.ladder.map((s) => s.label)).toEqual([
      'Early bird',
      'First hour',
      'Full price',
    ]);
    expect(pull.allotments.some((x) => x.dropId === 'winter-drop-01' && x.qty > 0)).toBe(true);
    const demoMembers = pull.members.filter((m) =>
      ['M7K3MQ9XT', 'M4DRG8KYZ', 'M9MBH2DXY'].includes(m.id),
    );
    expect(demoMembers).toHaveLength(3);
    expect(demoMembers.every((m) => m.tiers.length > 0 && (m.phoneHash ?? m.emailHash))).toBe(true);
  });
});
