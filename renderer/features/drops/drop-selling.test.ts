// Selling drop items from the till's own data (fake-indexeddb): the cart's lines per ladder step, refusals, members and unsynced sales.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../../assets/demo-catalog.json';
import { storeSettingsSchema } from '../../../shared/catalog';
import type { Drop } from '../../../shared/drops';
import { contactHash } from '../../../shared/members';
import { openPosDb, type PosDb } from '../../db/db';
import { findMember, loadDropData } from '../../db/drops-repo';
import { putProducts } from '../../db/product-pages';
import { useCart } from '../../state/cart';
import { makeDropGuard } from './drop-till';

const NOW = new Date('2026-12-05T19:10:00Z');
const tote = { sku: 'BAG-TOTE-HP', name: 'Hand-Printed Tote', price: 3000, taxClassId: 'standard' };
const MEMBER_KEY = '5e'.repeat(32);
const aoife = {
  id: 'M7K3MQ9XT',
  name: 'Aoife',
  tiers: ['members'],
  phoneHash: await contactHash(MEMBER_KEY, 'northside-pop-up', '+353 87 123 4567', 'IE'),
  emailHash: null,
  active: true,
};

function drop(over: Partial<Drop> = {}): Drop {
  return {
    id: 'riso-02',
    name: 'Riso Drop',
    startsAt: '2026-12-05T19:00:00Z',
    endsAt: '2026-12-05T21:00:00Z',
    access: [{ tier: 'members', minutesBefore: 30 }],
    perCustomerLimit: null,
    restockAt: null,
    allotments: 'auto',
    status: 'scheduled',
    items: [
      {
        sku: tote.sku,
        quantity: 10,
        ladder: [
          { label: 'Early bird', price: 2500, untilUnits: 3, fastFulfilment: true },
          { label: 'Full price', price: 3000, fastFulfilment: false },
        ],
      },
    ],
    ...over,
  };
}

let db: PosDb;
let n = 0;

async function arm(d: Drop, allotment: number, sold = 0) {
  await db.drops.put(d);
  await db.allotments.put({ dropId: d.id, sku: tote.sku, qty: allotment });
  await db.dropProgress.put({ dropId: d.id, sku: tote.sku, sold });
  await putProducts(db, [
    {
      ...tote,
      barcodes: [],
      category: 'Bags',
      active: true,
      words: [],
    } as never,
  ]);
  await db.members.put(aoife);
  const data = await loadDropData(db);
  const member = useCart.getState().memberId ? aoife : null;
  useCart.getState().setDropGuard(makeDropGuard(data, member, 'Europe/Dublin', () => NOW));
}

beforeEach(() => {
  db = openPosDb(`drops-${++n}`);
  useCart.getState().reset();
});
afterEach(async () => {
  useCart.getState().setDropGuard(null);
  await db.delete();
});

describe('adding drop items to the cart', () => {
  it('prices units across a ladder step change as two lines, never merged', async () => {
    await arm(drop(), 5, 1);
    const { add } = useCart.getState();
    for (let i = 0; i < 3; i++) add(tote);
    const lines = useCart.getState().lines;
    expect(lines.map((l) => [l.unitPrice, l.qty, l.drop?.step])).toEqual([
      [2500, 2, 0],
      [3000, 1, 1],
    ]);
    expect(lines[0]!.drop).toMatchObject({
      dropId: 'riso-02',
      tier: 'everyone',
      fastFulfilment: true,
    });
  });

  it('refuses the unit past this till’s allotment with the allotment message', async () => {
    await arm(drop(), 2);
    const { add } = useCart.getState();
    add(tote);
    add(tote);
    add(tote);
    expect(useCart.getState().lines.reduce((q, l) => q + l.qty, 0)).toBe(2);
    expect(useCart.getState().dropRefusal).toBe(
      'No units left on this till (allotment used up). Sync to ask for more.',
    );
  });

  it('counts this till’s unsynced sales against the allotment and the member’s limit', async () => {
    await db.outbox.add({
      seq: 1,
      eventId: 'E1',
      type: 'sale.completed',
      createdAt: NOW.toISOString(),
      payload: {
        memberId: aoife.id,
        lines: [
          {
            sku: tote.sku,
            qty: 1,
            drop: { dropId: 'riso-02', step: 0, tier: 'everyone', fastFulfilment: true },
          },
        ],
      },
    });
    useCart.getState().setMember(aoife.id);
    await arm(drop({ perCustomerLimit: 1 }), 5);
    useCart.getState().add(tote);
    expect(useCart.getState().lines).toHaveLength(0);
    expect(useCart.getState().dropRefusal).toMatch(
      /^Limit reached: Aoife has already bought 1 of 1/,
    );
  });

  it('re-checks a quantity change on a drop line and re-prices the item as a whole', async () => {
    await arm(drop(), 5);
    useCart.getState().add(tote);
    const [line] = useCart.getState().lines;
    useCart.getState().setQty(line!.lineId, 4);
    expect(useCart.getState().lines.map((l) => [l.unitPrice, l.qty])).toEqual([
      [2500, 3],
      [3000, 1],
    ]);
    useCart.getState().setQty(useCart.getState().lines[1]!.lineId, 3);
    expect(useCart.getState().dropRefusal).toMatch(/allotment/);
    expect(useCart.getState().lines.reduce((q, l) => q + l.qty, 0)).toBe(4);
    // One early unit fewer: the full-price unit moves down to the early price.
    useCart.getState().setQty(useCart.getState().lines[0]!.lineId, 2);
    expect(useCart.getState().lines.map((l) => [l.unitPrice, l.qty])).toEqual([[2500, 3]]);
  });

  it('asks to identify the member for a limited drop, and opens early to a member', async () => {
    await arm(drop({ perCustomerLimit: 2, startsAt: '2026-12-05T19:30:00Z' }), 5);
    useCart.getState().add(tote);
    expect(useCart.getState().dropRefusal).toMatch(
      /open to members only; it opens for everyone at 19:30/,
    );
    useCart.getState().setMember(aoife.id);
    await arm(drop({ perCustomerLimit: 2, startsAt: '2026-12-05T19:30:00Z' }), 5);
    useCart.getState().add(tote);
    expect(useCart.getState().lines[0]!.drop?.tier).toBe('members');
  });
});

describe('finding the customer', () => {
  it('by member id, by phone written any way, and says plainly when nobody matches', async () => {
    await db.members.put(aoife);
    await db.settings.put({ key: 'memberKey', value: MEMBER_KEY });
    await db.settings.put({ key: 'store', value: storeSettingsSchema.parse(demo.store) });
    expect(await findMember(db, 'northside-pop-up', 'm7k3mq9xt')).toMatchObject({ ok: true });
    // The till's store is Irish (demo settings): the national form is the same number.
    for (const typed of ['+353871234567', '087 123 4567', '00353 87 123 4567'])
      expect(await findMember(db, 'northside-pop-up', typed), typed).toMatchObject({
        ok: true,
        member: { name: 'Aoife' },
      });
    expect(await findMember(db, 'northside-pop-up', 'nobody@example.com')).toMatchObject({
      ok: false,
      code: 'not-found',
    });
  });
});

describe('before the drop data has loaded', () => {
  it('refuses a drop SKU instead of selling it at shelf price, then sells it from the drop', async () => {
    useCart.getState().setDropGuard(null);
    useCart.getState().add(tote);
    expect(useCart.getState().lines).toHaveLength(0);
    expect(useCart.getState().dropRefusal).toBe(
      'Drop data is still loading — try again in a moment.',
    );
    await arm(drop(), 5);
    useCart.getState().add(tote);
    expect(useCart.getState().lines.map((l) => [l.unitPrice, l.drop?.step])).toEqual([[2500, 0]]);
  });
});

describe('a parked cart brought back', () => {
  it('re-prices its drop units from the ladder as it stands now, keeping a line discount', async () => {
    await arm(drop(), 5);
    useCart.getState().add(tote);
    const [line] = useCart.getState().lines;
    useCart.getState().setLineDiscount(line!.lineId, { kind: 'percent', bp: 1000 });
    // Parked; meanwhile three units sold at the ledger, so the early-bird step is over.
    const parked = useCart.getState().lines;
    useCart.getState().reset();
    await arm(drop(), 5, 3);
    useCart.getState().load({ lines: parked, memberId: aoife.id, promoCode: 'ABCD' });
    useCart.getState().repriceDrops();
    const lines = useCart.getState().lines;
    expect(lines.map((l) => [l.lineId, l.unitPrice, l.qty, l.drop?.step])).toEqual([
      [line!.lineId, 3000, 1, 1],
    ]);
    expect(lines[0]!.discount).toEqual({ kind: 'percent', bp: 1000 });
    expect(useCart.getState()).toMatchObject({ memberId: aoife.id, promoCode: 'ABCD' });
  });
});
