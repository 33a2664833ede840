import { describe, expect, it } from 'vitest';
import type { Drop } from './drops';
import { MAX_PUBLIC_DROPS, publicCounts, publicSnapshot, soldKey } from './public-drops';

const store = {
  storeId: 's1',
  name: 'Stall',
  currency: 'EUR',
  locale: 'en-IE',
  timeZone: 'Europe/Dublin',
  returnsPromise: '14 days',
  shippingPromise: 'No post',
};
const at = (iso: string) => new Date(iso);

function drop(id: string, over: Partial<Drop> = {}): Drop {
  return {
    id,
    name: `Drop ${id}`,
    startsAt: '2026-12-05T18:00:00.000Z',
    endsAt: '2026-12-05T20:00:00.000Z',
    access: [{ tier: 'members', minutesBefore: 30 }],
    perCustomerLimit: 2,
    restockAt: null,
    allotments: 'auto',
    status: 'scheduled',
    items: [
      {
        sku: 'CAP',
        quantity: 5,
        ladder: [
          { label: 'Early bird', price: 2000, untilUnits: 2, fastFulfilment: false },
          { label: 'Full price', price: 3000, fastFulfilment: false },
        ],
      },
    ],
    ...over,
  };
}

const input = (drops: Drop[], sold: [string, number][] = []) => ({
  store,
  drops,
  sold: new Map(sold.map(([sku, n]) => [soldKey('d1', sku), n])),
  products: new Map([['CAP', { name: 'Cap', price: 3500 }]]),
});

describe('publicSnapshot', () => {
  it('shows units left, the ladder step, its next price and when it changes', () => {
    const s = publicSnapshot(input([drop('d1')], [['CAP', 1]]), at('2026-12-05T18:10:00Z'));
    expect(s.drops[0]).toMatchObject({
      phase: 'live',
      opens: [
        { tier: 'members', at: '2026-12-05T17:30:00.000Z' },
        { tier: 'everyone', at: '2026-12-05T18:00:00.000Z' },
      ],
      items: [
        {
          name: 'Cap',
          left: 4,
          price: 2000,
          stepLabel: 'Early bird',
          priceChanges: { afterUnits: 1 },
          nextPrice: 3000,
        },
      ],
    });
  });

  it('never shows fewer than 0 left when oversold', () => {
    const s = publicSnapshot(input([drop('d1')], [['CAP', 7]]), at('2026-12-05T18:10:00Z'));
    expect(s.drops[0]!.items[0]!.left).toBe(0);
    expect(s.drops[0]!.items[0]!.priceChanges).toBeNull();
  });

  it('is the same from one second to the next while nothing changes', () => {
    const a = publicSnapshot(input([drop('d1')]), at('2026-12-05T18:10:00Z'));
    const b = publicSnapshot(input([drop('d1')]), at('2026-12-05T18:10:01Z'));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('leaves out ended and cancelled drops, and lists live ones before coming ones', () => {
    const now = at('2026-12-05T18:10:00Z');
    const s = publicSnapshot(
      input([
        drop('later', { startsAt: '2026-12-06T18:00:00.000Z', endsAt: '2026-12-06T20:00:00.000Z' }),
        drop('gone', { startsAt: '2026-12-04T18:00:00.000Z', endsAt: '2026-12-04T20:00:00.000Z' }),
        drop('off', { status: 'cancelled' }),
        drop('d1'),
      ]),
      now,
    );
    expect(s.drops.map((d) => [d.id, d.phase])).toEqual([
      ['d1', 'live'],
      ['later', 'upcoming'],
    ]);
    const many = Array.from({ length: MAX_PUBLIC_DROPS + 5 }, (_, i) => drop(`x${i}`));
    expect(publicSnapshot(input(many), now).drops).toHaveLength(MAX_PUBLIC_DROPS);
  });

  it('carries the store promises and nothing about buyers', () => {
    const s = publicSnapshot(input([drop('d1')]), at('2026-12-05T18:10:00Z'));
    expect(s.returnsPromise).toBe('14 days');
    expect(publicCounts(s, '"t"')).toEqual({
      etag: '"t"',
      left: [{ dropId: 'd1', sku: 'CAP', left: 5 }],
    });
  });
});
