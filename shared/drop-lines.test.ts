// A drop item's cart lines: units are never lost or invented, other lines keep their order, steps never merge.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CartLine } from './cart';
import { addDropUnits, type DropUnits, isDropLineOf, replaceDropUnits } from './drop-lines';

const tote = { sku: 'TOTE', name: 'Tote', price: 3000, taxClassId: 'standard' };

function ids() {
  let n = 0;
  return () => `N${++n}`;
}

/** Units as the ladder prices them: one entry per step crossed, steps in order. */
const unitsArb = fc
  .uniqueArray(
    fc.record({ step: fc.integer({ min: -1, max: 3 }), qty: fc.integer({ min: 0, max: 5 }) }),
    { maxLength: 4, selector: (u) => u.step },
  )
  .map((parts) => parts.sort((x, y) => x.step - y.step));

const toUnits = (parts: { step: number; qty: number }[]): DropUnits[] =>
  parts.map((p) => ({
    dropId: 'd1',
    tier: 'everyone',
    step: p.step,
    price: 1000 + p.step * 100,
    fastFulfilment: false,
    qty: p.qty,
  }));

const plain = (sku: string, qty: number): CartLine => ({
  lineId: `P-${sku}`,
  sku,
  name: sku,
  unitPrice: 500,
  qty,
  taxClassId: 'standard',
});

const itemUnits = (lines: readonly CartLine[]) =>
  lines.filter((l) => isDropLineOf(l, tote.sku)).reduce((n, l) => n + l.qty, 0);
const others = (lines: readonly CartLine[]) => lines.filter((l) => !isDropLineOf(l, tote.sku));
const sum = (u: readonly DropUnits[]) => u.reduce((n, x) => n + x.qty, 0);

describe('drop lines', () => {
  it('adding keeps every unit, leaves other lines alone and never merges two steps', () => {
    fc.assert(
      fc.property(unitsArb, unitsArb, (first, second) => {
        const next = ids();
        const start = [plain('CAP', 1), plain('MUG', 2)];
        const a = addDropUnits(start, tote, toUnits(first), next).lines;
        const b = addDropUnits(a, tote, toUnits(second), next).lines;
        expect(itemUnits(b)).toBe(sum(toUnits(first)) + sum(toUnits(second)));
        expect(others(b)).toEqual(start);
        const steps = b.filter((l) => isDropLineOf(l, tote.sku)).map((l) => l.drop!.step);
        expect(new Set(steps).size).toBe(steps.length);
        for (const l of b.filter((x) => isDropLineOf(x, tote.sku))) {
          expect(l.unitPrice).toBe(1000 + l.drop!.step * 100);
          expect(l.qty).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('replacing holds exactly the new units, keeps other lines in order, and a line’s discount stays with its step', () => {
    fc.assert(
      fc.property(unitsArb, unitsArb, (before, after) => {
        const next = ids();
        const start = addDropUnits([plain('CAP', 1)], tote, toUnits(before), next).lines;
        const discounted = start.map((l) =>
          isDropLineOf(l, tote.sku)
            ? { ...l, discount: { kind: 'percent' as const, bp: 1000 } }
            : l,
        );
        const out = replaceDropUnits([...discounted, plain('MUG', 2)], tote, toUnits(after), next);
        expect(itemUnits(out)).toBe(sum(toUnits(after)));
        expect(others(out)).toEqual([plain('CAP', 1), plain('MUG', 2)]);
        const kept = new Set(start.filter((l) => l.drop).map((l) => l.drop!.step));
        for (const l of out.filter((x) => isDropLineOf(x, tote.sku))) {
          if (kept.has(l.drop!.step)) expect(l.discount).toEqual({ kind: 'percent', bp: 1000 });
        }
      }),
    );
  });
});
