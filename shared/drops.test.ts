// Drop rules as a cashier meets them: opening times, ladder prices, limits, allotments and scarcity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  checkAccess,
  checkDropSale,
  currentStep,
  type Drop,
  type DropItem,
  type DropStock,
  dropPhase,
  dropSchema,
  findLiveDrop,
  leftHere,
  leftOverall,
  nextChange,
  priceUnits,
  scarcity,
} from './drops';

const START = '2026-12-05T19:00:00.000Z';
const at = (iso: string) => new Date(iso);
const plus = (ms: number) => new Date(Date.parse(START) + ms);
const MIN = 60_000;

const ladderItem: DropItem = {
  sku: 'TEE-NIGHT',
  quantity: 10,
  ladder: [
    { label: 'Early bird', price: 2000, untilUnits: 3, fastFulfilment: true },
    { label: 'Full price', price: 2500, fastFulfilment: false },
  ],
};

const drop: Drop = dropSchema.parse({
  id: 'night-market',
  name: 'Night Market Drop',
  startsAt: START,
  endsAt: '2026-12-05T21:00:00.000Z',
  access: [
    { tier: 'members', minutesBefore: 30 },
    { tier: 'subscribers', minutesBefore: 15 },
  ],
  perCustomerLimit: 2,
  restockAt: null,
  allotments: 'auto',
  status: 'scheduled',
  items: [ladderItem, { sku: 'CAP-NIGHT', quantity: 5, ladder: [] }],
});

const stock = (over: Partial<DropStock> = {}): DropStock => ({
  quantity: 10,
  soldOverall: 0,
  unsyncedHere: 0,
  allotment: 5,
  ...over,
});

const aoife = { id: 'M7K3MQ9XT', name: 'Aoife', tiers: ['members'] };

function sell(over: Partial<Parameters<typeof checkDropSale>[0]> = {}) {
  return checkDropSale({
    drop,
    item: ladderItem,
    shelfPrice: 2500,
    now: plus(5 * MIN),
    member: aoife,
    stock: stock(),
    inCartItem: 0,
    inCartDrop: 0,
    boughtByMember: 0,
    qty: 1,
    ...over,
  });
}

describe('the window: tiers first, then everyone, closed at the end', () => {
  it('opens to members 30 minutes early, to subscribers 15, to everyone at the start', () => {
    expect(dropPhase(drop, plus(-30 * MIN - 1))).toBe('upcoming');
    expect(dropPhase(drop, plus(-30 * MIN))).toBe('early');
    expect(dropPhase(drop, plus(-1))).toBe('early');
    expect(dropPhase(drop, plus(0))).toBe('live');

    expect(checkAccess(drop, ['members'], plus(-30 * MIN - 1)).ok).toBe(false);
    expect(checkAccess(drop, ['members'], plus(-30 * MIN))).toEqual({ ok: true, tier: 'members' });
    expect(checkAccess(drop, ['subscribers'], plus(-16 * MIN))).toMatchObject({
      ok: false,
      code: 'members-only',
      opensAt: plus(-15 * MIN).toISOString(),
    });
    expect(checkAccess(drop, ['subscribers'], plus(-15 * MIN))).toEqual({
      ok: true,
      tier: 'subscribers',
    });
    expect(checkAccess(drop, [], plus(-1))).toMatchObject({ ok: false, code: 'members-only' });
    expect(checkAccess(drop, [], plus(0))).toEqual({ ok: true, tier: 'everyone' });
    // A member buying after the start buys as everyone does.
    expect(checkAccess(drop, ['members'], plus(1))).toEqual({ ok: true, tier: 'everyone' });
  });

  it('tells the cashier when it opens, in the store time zone', () => {
    const early = checkAccess(drop, ['members'], plus(-60 * MIN), 'Europe/Dublin');
    expect(early).toEqual({
      ok: false,
      code: 'not-open-yet',
      message: 'Opens to members at 18:30, to subscribers at 18:45, to everyone at 19:00.',
      opensAt: plus(-30 * MIN).toISOString(),
    });
    // Summer time: Dublin is UTC+1.
    const summer = { ...drop, startsAt: '2026-07-04T17:00:00.000Z', access: [] };
    expect(checkAccess(summer, [], at('2026-07-04T16:00:00Z'), 'Europe/Dublin')).toMatchObject({
      message: 'Opens to everyone at 18:00.',
    });
  });

  it('closes at the end, with a minute of grace for a till whose clock runs ahead, never early', () => {
    const end = Date.parse(drop.endsAt);
    expect(checkAccess(drop, [], new Date(end - 1)).ok).toBe(true);
    expect(checkAccess(drop, [], new Date(end + CLOCK_SKEW_MS - 1)).ok).toBe(true);
    expect(checkAccess(drop, [], new Date(end + CLOCK_SKEW_MS))).toMatchObject({
      ok: false,
      code: 'ended',
      message: 'Night Market Drop ended at 21:00.',
    });
    expect(dropPhase(drop, new Date(end + CLOCK_SKEW_MS))).toBe('ended');
    // No grace before the opening: one millisecond early is still early.
    expect(checkAccess(drop, [], plus(-1)).ok).toBe(false);
  });

  it('a cancelled drop sells to nobody', () => {
    const off = { ...drop, status: 'cancelled' as const };
    expect(dropPhase(off, plus(0))).toBe('cancelled');
    expect(checkAccess(off, ['members'], plus(0))).toMatchObject({ ok: false, code: 'cancelled' });
    expect(nextChange(off, plus(0))).toBeNull();
  });

  it('counts down to early access, then the opening, then the close', () => {
    expect(nextChange(drop, plus(-60 * MIN))).toEqual({
      at: plus(-30 * MIN).toISOString(),
      what: 'early-access',
    });
    expect(nextChange(drop, plus(-20 * MIN))).toEqual({
      at: plus(-15 * MIN).toISOString(),
      what: 'early-access',
    });
    expect(nextChange(drop, plus(-1))).toEqual({ at: START, what: 'opens' });
    expect(nextChange(drop, plus(0))).toEqual({ at: drop.endsAt, what: 'closes' });
    expect(nextChange(drop, at(drop.endsAt))).toBeNull();
  });
});

describe('the pricing ladder', () => {
  it('splits a cart across a step that changes mid-cart (by units)', () => {
    expect(priceUnits(ladderItem, 2500, START, 1, 4, plus(0))).toEqual([
      { step: 0, label: 'Early bird', price: 2000, fastFulfilment: true, qty: 2 },
      { step: 1, label: 'Full price', price: 2500, fastFulfilment: false, qty: 2 },
    ]);
    // The 4th unit across the whole drop is at full price.
    expect(priceUnits(ladderItem, 2500, START, 3, 1, plus(0))).toMatchObject([{ step: 1 }]);
  });

  it('changes step when the minutes run out', () => {
    const timed: DropItem = {
      sku: 'X',
      quantity: 50,
      ladder: [
        { label: 'First 10 minutes', price: 1500, untilMinutes: 10, fastFulfilment: true },
        { label: 'First 20 units', price: 1800, untilUnits: 20, fastFulfilment: false },
        { label: 'Full price', price: 2000, fastFulfilment: false },
      ],
    };
    expect(priceUnits(timed, 2000, START, 30, 1, plus(10 * MIN - 1))[0]?.price).toBe(1500);
    expect(priceUnits(timed, 2000, START, 0, 1, plus(10 * MIN))[0]?.price).toBe(1800);
    expect(priceUnits(timed, 2000, START, 19, 2, plus(10 * MIN)).map((u) => u.price)).toEqual([
      1800, 2000,
    ]);
    expect(currentStep(timed, 2000, START, 0, plus(MIN))).toMatchObject({
      price: 1500,
      changes: { at: plus(10 * MIN).toISOString() },
    });
    expect(currentStep(timed, 2000, START, 5, plus(15 * MIN))).toMatchObject({
      price: 1800,
      changes: { afterUnits: 15 },
    });
    expect(currentStep(timed, 2000, START, 25, plus(15 * MIN))).toMatchObject({
      step: 2,
      changes: null,
    });
  });

  it('falls back to the last step when none applies, and to the shelf price without a ladder', () => {
    const allBounded: DropItem = {
      sku: 'X',
      quantity: 9,
      ladder: [{ label: 'Early', price: 900, untilUnits: 2, fastFulfilment: true }],
    };
    expect(priceUnits(allBounded, 1200, START, 5, 1, plus(0))).toMatchObject([
      { step: 0, price: 900 },
    ]);
    expect(currentStep(allBounded, 1200, START, 5, plus(0)).changes).toBeNull();
    expect(priceUnits({ sku: 'X', quantity: 5, ladder: [] }, 1200, START, 0, 3, plus(0))).toEqual([
      { step: -1, label: 'Shelf price', price: 1200, fastFulfilment: false, qty: 3 },
    ]);
  });

  it('always prices exactly the units asked for (property)', () => {
    const step = fc.record({
      label: fc.constant('s'),
      price: fc.integer({ min: 0, max: 100_000 }),
      untilUnits: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
      untilMinutes: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
      fastFulfilment: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 6 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: -60, max: 200 }),
        (ladder, soldBefore, qty, minutes) => {
          const item = { sku: 'X', quantity: 1000, ladder };
          const parts = priceUnits(item, 999, START, soldBefore, qty, plus(minutes * MIN));
          expect(parts.reduce((n, p) => n + p.qty, 0)).toBe(qty);
          for (const p of parts) expect(p.qty).toBeGreaterThan(0);
          // Unit by unit gives the same prices as the whole cart at once.
          const oneByOne = Array.from(
            { length: qty },
            (_, i) =>
              priceUnits(item, 999, START, soldBefore + i, 1, plus(minutes * MIN))[0]?.price,
          );
          expect(parts.flatMap((p) => Array(p.qty).fill(p.price))).toEqual(oneByOne);
        },
      ),
    );
  });
});

describe('selling a drop item: limits, allotments, stock', () => {
  it('sells within the limit at the ladder price, counting synced, unsynced and cart units', () => {
    const ok = sell({ stock: stock({ soldOverall: 1, unsyncedHere: 1 }), inCartItem: 0, qty: 2 });
    expect(ok).toEqual({
      ok: true,
      tier: 'everyone',
      units: [
        { step: 0, label: 'Early bird', price: 2000, fastFulfilment: true, qty: 1 },
        { step: 1, label: 'Full price', price: 2500, fastFulfilment: false, qty: 1 },
      ],
    });
  });

  it('refuses a member who reached the limit on another till (synced purchases)', () => {
    expect(sell({ boughtByMember: 2 })).toEqual({
      ok: false,
      code: 'limit-reached',
      message: 'Limit reached: Aoife has already bought 2 of 2 allowed in Night Market Drop.',
    });
    // One bought elsewhere, one in the cart (another item of the drop): the limit is per drop.
    expect(sell({ boughtByMember: 1, inCartDrop: 1 })).toMatchObject({ code: 'limit-reached' });
    expect(sell({ boughtByMember: 1, qty: 2 })).toMatchObject({
      code: 'limit-reached',
      message:
        'Limit: Aoife may buy only 1 more in Night Market Drop (1 of 2 allowed already bought).',
    });
    expect(sell({ boughtByMember: 1 }).ok).toBe(true);
  });

  it('refuses when this till has used its allotment, though units remain elsewhere', () => {
    expect(sell({ stock: stock({ allotment: 5, unsyncedHere: 5 }) })).toEqual({
      ok: false,
      code: 'allotment-exhausted',
      message: 'No units left on this till (allotment used up). Sync to ask for more.',
    });
    expect(
      sell({ stock: stock({ allotment: 5, unsyncedHere: 3 }), inCartItem: 1, qty: 2 }),
    ).toEqual({
      ok: false,
      code: 'allotment-exhausted',
      message: 'Only 1 unit left on this till (allotment). Sync to ask for more.',
    });
  });

  it('with allotments off, sells what is left overall as of the last sync', () => {
    const off = stock({ allotment: null, soldOverall: 6, unsyncedHere: 3 });
    expect(leftHere(off)).toBe(1);
    expect(leftOverall(off)).toBe(1);
    expect(sell({ stock: off }).ok).toBe(true);
    expect(sell({ stock: off, inCartItem: 1 })).toMatchObject({ ok: false, code: 'sold-out' });
  });

  it('says sold out when nothing is left anywhere', () => {
    expect(sell({ stock: stock({ soldOverall: 10, allotment: 0 }) })).toEqual({
      ok: false,
      code: 'sold-out',
      message: 'Sold out: no units of TEE-NIGHT left in Night Market Drop.',
    });
    expect(leftOverall(stock({ soldOverall: 12 }))).toBe(0);
  });

  it('asks to identify the member before an anonymous sale of a limited drop', () => {
    expect(sell({ member: null })).toEqual({
      ok: false,
      code: 'identify-member',
      message: 'Night Market Drop has a limit of 2 per customer: identify the member first.',
    });
    const open = { ...drop, perCustomerLimit: null, access: [] };
    expect(sell({ member: null, drop: open })).toMatchObject({ ok: true, tier: 'everyone' });
    // Before the opening an anonymous buyer is simply too early.
    expect(sell({ member: null, drop: open, now: plus(-1) })).toMatchObject({
      ok: false,
      code: 'not-open-yet',
    });
  });

  it('lets a member in early and records the tier they bought under', () => {
    expect(sell({ now: plus(-10 * MIN) })).toMatchObject({ ok: true, tier: 'members' });
    expect(sell({ now: plus(-10 * MIN), member: { id: 'M1234', tiers: [] } })).toMatchObject({
      ok: false,
      code: 'members-only',
    });
  });
});

describe('scarcity and finding the drop for a SKU', () => {
  it('reads as a cashier would say it', () => {
    expect(scarcity(41, 100)).toEqual({ level: 'plenty', text: '41 left' });
    expect(scarcity(3, 100)).toEqual({ level: 'low', text: '3 left' });
    expect(scarcity(20, 100)).toEqual({ level: 'low', text: '20 left' });
    expect(scarcity(4, 10)).toEqual({ level: 'plenty', text: '4 left' });
    expect(scarcity(1, 10)).toEqual({ level: 'last', text: 'Last one' });
    expect(scarcity(0, 10)).toEqual({ level: 'sold-out', text: 'Sold out' });
    expect(scarcity(-2, 10)).toEqual({ level: 'sold-out', text: 'Sold out' });
  });

  it('finds the open drop for a SKU first, else the soonest, skipping ended and cancelled', () => {
    const later = { ...drop, id: 'later', startsAt: '2026-12-06T19:00:00.000Z', access: [] };
    const ended = {
      ...drop,
      id: 'ended',
      startsAt: '2026-12-04T19:00:00.000Z',
      endsAt: '2026-12-04T21:00:00.000Z',
    };
    const cancelled = { ...drop, id: 'x', status: 'cancelled' as const };
    const found = findLiveDrop([later, ended, cancelled, drop], 'TEE-NIGHT', plus(-20 * MIN));
    expect(found?.drop.id).toBe('night-market');
    expect(found?.item.sku).toBe('TEE-NIGHT');
    expect(findLiveDrop([later, ended], 'TEE-NIGHT', plus(0))?.drop.id).toBe('later');
    expect(findLiveDrop([drop], 'NOT-IN-DROP', plus(0))).toBeNull();
    // Within the clock-skew grace the drop is still found; beyond it, not.
    expect(findLiveDrop([drop], 'CAP-NIGHT', at('2026-12-05T21:00:30Z'))?.drop.id).toBe(
      'night-market',
    );
    expect(findLiveDrop([drop], 'CAP-NIGHT', at('2026-12-05T21:01:00Z'))).toBeNull();
  });
});
