// What the KPI cards draw: a cumulative sell-through curve per tier that ends at the units sold.
import { describe, expect, it } from 'vitest';
import type { SellThrough } from '../../../shared/kpis';
import { toCsv } from './csv';
import { sellThroughCurve } from './kpi-views';

const scope = { family: 'Night Market', dropIds: ['nm-1', 'nm-2'], sku: null };

describe('sellThroughCurve', () => {
  it('adds each tier up minute by minute from the early-access start, family drops together', () => {
    const st: SellThrough = {
      scope,
      stock: 40,
      sold: 10,
      points: [
        { dropId: 'nm-1', tier: 'members', minute: -2, units: 2 },
        { dropId: 'nm-1', tier: 'everyone', minute: 0, units: 3 },
        { dropId: 'nm-2', tier: 'everyone', minute: 0, units: 1 },
        { dropId: 'nm-2', tier: 'members', minute: 1, units: 1 },
        { dropId: 'nm-1', tier: 'everyone', minute: 3, units: 3 },
      ],
    };
    const c = sellThroughCurve(st);
    expect(c.x).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(c.series).toEqual([
      { label: 'members', values: [2, 2, 2, 3, 3, 3] },
      { label: 'everyone', values: [0, 0, 4, 4, 4, 7] },
      { label: 'All tiers', values: [2, 2, 6, 7, 7, 10], dashed: true },
    ]);
    // The table lists the minutes that sold, with the same running total as the chart.
    expect(c.header).toEqual(['minute', 'members', 'everyone', 'total so far', '% sold']);
    expect(c.rows).toEqual([
      [-2, 2, 0, 2, '5.0'],
      [0, 0, 4, 6, '15.0'],
      [1, 1, 0, 7, '17.5'],
      [3, 0, 3, 10, '25.0'],
    ]);
    expect(c.series.at(-1)?.values.at(-1)).toBe(st.sold);
  });

  it('starts at the opening even when the first sale came later, and is empty with no sales', () => {
    const c = sellThroughCurve({
      scope,
      stock: 5,
      sold: 1,
      points: [{ dropId: 'nm-1', tier: 'everyone', minute: 2, units: 1 }],
    });
    expect(c.x).toEqual([0, 1, 2]);
    expect(c.series).toEqual([{ label: 'everyone', values: [0, 0, 1] }]);
    expect(sellThroughCurve({ scope, stock: 5, sold: 0, points: [] }).x).toEqual([]);
  });
});

describe('toCsv', () => {
  it('quotes commas and quotes, keeps negative amounts as numbers, defuses formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['Night, "Market"', '-12.50'],
          ['=HYPERLINK("x")', null],
        ],
      ),
    ).toBe('a,b\r\n"Night, ""Market""",-12.50\r\n"\'=HYPERLINK(""x"")",\r\n');
  });
});
