// The whole-cart drop check: a cart priced by the ladder passes; one priced before the ladder moved, or over a limit, does not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CartLine } from './cart';
import { checkDropCart, type DropFacts, itemKey, memberKey } from './drop-cart';
import { priceUnits } from './drop-rules';
import type { Drop } from './drops';

const NOW = new Date('2026-12-05T19:10:00Z');
const SKU = 'BAG-TOTE-HP';
const drop: Drop = {
  id: 'riso-02',
  name: 'Riso Drop',
  startsAt: '2026-12-05T19:00:00Z',
  endsAt: '2026-12-05T21:00:00Z',
  access: [],
  perCustomerLimit: null,
  restockAt: null,
  allotments: 'off',
  status: 'scheduled',
  items: [
    {
      sku: SKU,
      quantity: 100,
      ladder: [
        { label: 'First ten', price: 2000, untilUnits: 10, fastFulfilment: true },
        { label: 'Early bird', price: 2500, untilUnits: 25, fastFulfilment: false },
        { label: 'Full price', price: 3000, fastFulfilment: false },
      ],
    },
  ],
};

function facts(over: { drop?: Drop; sold?: number; bought?: number } = {}): DropFacts {
  const d = over.drop ?? drop;
  return {
    drops: [d],
    allotments: new Map(),
    sold: new Map([[itemKey(d.id, SKU), over.sold ?? 0]]),
    unsyncedItem: new Map(),
    boughtByMember: new Map([[memberKey(d.id, 'M1'), over.bought ?? 0]]),
    products: new Map([[SKU, { name: 'Tote', price: 3000 }]]),
  };
}

/** Cart lines for `qty` units as the ladder priced them with `soldBefore` units sold. */
function linesAt(soldBefore: number, qty: number): CartLine[] {
  return priceUnits(drop.items[0]!, 3000, drop.startsAt, soldBefore, qty, NOW).map((u, i) => ({
    lineId: `L${i}`,
    sku: SKU,
    name: 'Tote',
    unitPrice: u.price,
    qty: u.qty,
    taxClassId: 'standard',
    drop: { dropId: drop.id, step: u.step, tier: 'everyone', fastFulfilment: u.fastFulfilment },
  }));
}

const input = (lines: CartLine[], member: { id: string; tiers: string[] } | null = null) => ({
  lines,
  member,
  now: NOW,
  timeZone: 'Europe/Dublin',
  currency: 'EUR',
});

describe('checkDropCart', () => {
  it('passes any cart priced from the ladder as it stands, and refuses it once more units sold since', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (sold, qty, since) => {
          const lines = linesAt(sold, qty);
          expect(checkDropCart(facts({ sold }), input(lines))).toEqual({ ok: true });
          // Units sold elsewhere since the cart was priced: wrong exactly when a unit's step moved.
          const now = linesAt(sold + since, qty);
          const same = JSON.stringify(now.map((l) => [l.unitPrice, l.qty, l.drop?.step]));
          const was = JSON.stringify(lines.map((l) => [l.unitPrice, l.qty, l.drop?.step]));
          const later = checkDropCart(facts({ sold: sold + since }), input(lines));
          expect(later.ok).toBe(same === was);
          if (!later.ok) expect(later.code).toBe('price-changed');
        },
      ),
    );
  });

  it('names the price now and the price in the cart', () => {
    expect(checkDropCart(facts({ sold: 10 }), input(linesAt(9, 1)))).toEqual({
      ok: false,
      code: 'price-changed',
      sku: SKU,
      message:
        'The price of Tote is now €25.00 (Early bird), not €20.00: update the prices before paying.',
    });
  });

  it('counts every unit of the drop in the cart towards the member’s limit', () => {
    const limited = { ...drop, perCustomerLimit: 3 };
    const aoife = { id: 'M1', tiers: [] };
    expect(checkDropCart(facts({ drop: limited, bought: 1 }), input(linesAt(0, 2), aoife))).toEqual(
      { ok: true },
    );
    expect(
      checkDropCart(facts({ drop: limited, bought: 2 }), input(linesAt(0, 2), aoife)),
    ).toMatchObject({
      ok: false,
      code: 'limit-reached',
      message:
        'Limit: This member may buy only 1 more in Riso Drop (2 of 3 allowed already bought).',
    });
  });

  it('refuses a drop SKU at shelf price while the drop sells, and a line of a drop this till no longer has', () => {
    const plain: CartLine = {
      lineId: 'P',
      sku: SKU,
      name: 'Tote',
      unitPrice: 3000,
      qty: 1,
      taxClassId: 'standard',
    };
    expect(checkDropCart(facts(), input([plain]))).toMatchObject({
      ok: false,
      code: 'drop-details-missing',
    });
    const gone = { ...facts(), drops: [] };
    expect(checkDropCart(gone, input(linesAt(0, 1)))).toMatchObject({
      ok: false,
      code: 'drop-unknown',
    });
    // With no drop selling the SKU, a shelf-price line is an ordinary sale.
    expect(checkDropCart(gone, input([plain]))).toEqual({ ok: true });
  });
});
