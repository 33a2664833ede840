import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  explainSplit,
  fairSplit,
  joinActor,
  readJoinActor,
  type TillHolding,
} from './allotment-split';

const till = (deviceId: string, held: number, reclaimable = true): TillHolding => ({
  deviceId,
  held,
  reclaimable,
});
const asObject = (m: Map<string, number>) => Object.fromEntries(m);

describe('splitting a drop item fairly when a till joins late', () => {
  it('halves what the first till took when a second joins', () => {
    expect(asObject(fairSplit(4, [till('T1', 4), till('T2', 0)]))).toEqual({ T1: 2, T2: 2 });
  });

  it('gives the odd unit to the till already holding it, so fewer units move', () => {
    expect(asObject(fairSplit(5, [till('T2', 0), till('T1', 5)]))).toEqual({ T1: 3, T2: 2 });
  });

  it('splits only what is unsold: a till that sold keeps no claim on its sold units', () => {
    // 6 in the drop, T1 sold 2 and holds 4: the 4 unsold go 2/2.
    expect(asObject(fairSplit(4, [till('T1', 4), till('T2', 0)]))).toEqual({ T1: 2, T2: 2 });
  });

  it('leaves a till not heard from lately at least what it holds and splits the rest', () => {
    // T1 is offline with 5 of 9: T2 and T3 share the 4 the pool and T4 have.
    expect(
      asObject(fairSplit(9, [till('T1', 5, false), till('T4', 4), till('T2', 0), till('T3', 0)])),
    ).toEqual({ T1: 5, T4: 2, T2: 1, T3: 1 });
    // An offline till holding less than a share still gets its share.
    expect(asObject(fairSplit(9, [till('T1', 1, false), till('T2', 8), till('T3', 0)]))).toEqual({
      T1: 3,
      T2: 3,
      T3: 3,
    });
  });

  it('keeps the totals within the unsold units and never below what an offline till holds (property)', () => {
    const tills = fc.uniqueArray(
      fc.record({
        deviceId: fc.string({ minLength: 1, maxLength: 4 }),
        held: fc.nat(50),
        reclaimable: fc.boolean(),
      }),
      { selector: (t) => t.deviceId, minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 200 }), tills, (unsold, ts) => {
        const targets = fairSplit(unsold, ts);
        expect(targets.size).toBe(ts.length);
        const kept = ts.filter((t) => !t.reclaimable).reduce((n, t) => n + t.held, 0);
        const total = [...targets.values()].reduce((n, q) => n + q, 0);
        expect(total).toBeLessThanOrEqual(Math.max(unsold, kept, 0));
        for (const t of ts) {
          const q = targets.get(t.deviceId) ?? -1;
          expect(q).toBeGreaterThanOrEqual(0);
          if (!t.reclaimable) expect(q).toBeGreaterThanOrEqual(t.held);
        }
        if (ts.every((t) => t.reclaimable)) {
          // Everyone can give back: exactly the unsold units, no two tills more than 1 apart.
          expect(total).toBe(Math.max(0, unsold));
          const qs = [...targets.values()];
          expect(Math.max(...qs) - Math.min(...qs)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('records who joined and who kept units in the movements, and explains it in words', () => {
    const actor = joinActor('01JDEV2', 2, ['Till A']);
    expect(readJoinActor(actor)).toEqual({ deviceId: '01JDEV2', over: 2, kept: ['Till A'] });
    expect(readJoinActor('manager:staff-aoife')).toBeNull();
    const time = (iso: string) => iso.slice(11, 16);
    expect(
      explainSplit(
        { why: 'joined', at: '2026-12-05T14:02:00.000Z', tillName: 'Till B', over: 2, kept: [] },
        time,
      ),
    ).toBe('Unsold units split evenly over 2 tills when Till B joined at 14:02.');
    expect(
      explainSplit(
        { why: 'saved', at: '2026-12-05T13:40:00.000Z', over: 3, kept: ['Till A', 'Till C'] },
        time,
      ),
    ).toBe(
      'Unsold units split evenly over 3 tills when the drop was saved at 13:40. Till A, Till C kept their units: not heard from lately, they may have sold them offline.',
    );
  });
});
