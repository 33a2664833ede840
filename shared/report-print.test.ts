import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';
import { receiptText } from './receipt';
import {
  reportDocument,
  reportText,
  shiftReportLines,
  shiftReportRows,
  shiftReportSections,
} from './report-print';
import type { ShiftReport } from './shift';

const money = (m: number) => formatMoney(m, 'EUR', 'en-IE');

const before: ShiftReport = {
  saleCount: 3,
  itemCount: 4,
  subtotal: 9000,
  discounts: 0,
  tax: 1683,
  taxBands: [{ ratePpm: 230_000, base: 7317, tax: 1683 }],
  takings: 9000,
  rounding: 0,
  byTender: { cash: 4000, card: 5000 },
  voidCount: 0,
  voidValue: 0,
  float: 10_000,
  expectedCash: 14_000,
  countedCash: 14_000,
  overShort: 0,
};
const withReturns: ShiftReport = {
  ...before,
  returnCount: 2,
  refunds: { cash: 1500, card: 2000, storeCredit: 700 },
  exchangeCredit: 1200,
  storeCreditTaken: 300,
  netTakings: 3600,
  expectedCash: 12_500,
  overShort: 1500,
};

describe('a shift report on screen and paper', () => {
  it('shows refunds per tender, the returns, credit taken and net takings before the drawer it lowered', () => {
    const rows = new Map(shiftReportRows(withReturns, money));
    expect(rows.get('Returns')).toBe('2');
    expect(rows.get('Refunds in cash')).toBe('€15.00');
    expect(rows.get('Refunds to card')).toBe('€20.00');
    expect(rows.get('Store credit issued')).toBe('€7.00');
    expect(rows.get('Exchange credit taken')).toBe('€12.00');
    expect(rows.get('Store credit taken')).toBe('€3.00');
    expect(rows.get('Net takings')).toBe('€36.00');
    expect(rows.get('Expected in drawer')).toBe('€125.00');
    const labels = [...rows.keys()];
    expect(labels.indexOf('Refunds in cash')).toBeLessThan(labels.indexOf('Expected in drawer'));
  });

  it('a Z report stored before returns existed prints as it did, with no refund rows', () => {
    const labels = shiftReportRows(before, money).map(([k]) => k);
    expect(labels).not.toContain('Returns');
    expect(labels).not.toContain('Refunds in cash');
    expect(labels).toContain('Expected in drawer');
  });

  it('prints on 58 mm paper with every row inside the line', () => {
    const lines = shiftReportLines('Z report · 14 Jun 2025', withReturns, money, '14/06/2025');
    const doc = reportDocument({ title: 'Z report', lines }, 32);
    const paper = receiptText(doc);
    for (const l of paper) expect(Array.from(l).length).toBeLessThanOrEqual(32);
    expect(paper).toContainEqual(expect.stringMatching(/^Refunds in cash +€15\.00$/));
    expect(reportText(lines, 48)).toContainEqual(expect.stringMatching(/^Over +€15\.00$/));
  });

  it("a Z report prints the count note by note and each cashier's sales, takings, tenders and refunds", () => {
    const z: ShiftReport = {
      ...withReturns,
      countedByDenomination: [
        { denomination: 5000, count: 2, value: 10_000 },
        { denomination: 200, count: 20, value: 4000 },
      ],
      byStaff: [
        {
          staffId: 'a',
          name: 'Aoife',
          saleCount: 2,
          takings: 6000,
          cash: 1000,
          card: 5000,
          returnCount: 0,
          refunds: 0,
        },
        {
          staffId: 'c',
          name: 'Cian',
          saleCount: 1,
          takings: 3000,
          cash: 3000,
          card: 0,
          returnCount: 2,
          refunds: 4200,
        },
      ],
    };
    const sections = shiftReportSections(z, money);
    expect(sections.map((s) => s.heading)).toEqual(['Drawer count', 'Staff: Aoife', 'Staff: Cian']);
    expect(sections[0]!.rows).toEqual([
      ['2 × €50.00', '€100.00'],
      ['20 × €2.00', '€40.00'],
      ['Total counted', '€140.00'],
    ]);
    expect(new Map(sections[2]!.rows).get('Refunds (2)')).toBe('€42.00');
    // Aoife refunded nothing: no refund row to misread.
    expect(sections[1]!.rows.map(([k]) => k)).not.toContain('Refunds (0)');
    const paper = reportText(shiftReportLines('Z report', z, money, '4 Dec 2026, 16:31'), 32);
    for (const l of paper) expect(Array.from(l).length).toBeLessThanOrEqual(32);
    expect(paper).toContainEqual(expect.stringMatching(/^20 × €2\.00 +€40\.00$/));
    expect(paper.indexOf('Staff: Cian')).toBeGreaterThan(paper.indexOf('Staff: Aoife'));
    // An X report and a report stored before the split have no such sections.
    expect(shiftReportSections(before, money)).toEqual([]);
  });
});

describe('an X report for a blind count', () => {
  it('says what was sold and gives no money total the count could be squared against', () => {
    const open = { ...withReturns, countedCash: null, overShort: null };
    const rows = shiftReportRows(open, money, { blind: true });
    expect(Object.fromEntries(rows)).toMatchObject({ Sales: '3', Returns: '2', Voids: '0' });
    const text = rows.flat().join(' ');
    // Cash, card, takings, refunds, expected drawer: none of them, in any form.
    for (const amount of [4000, 5000, 9000, 1500, 12_500, 3600]) {
      expect(text).not.toContain(money(amount));
    }
    expect(shiftReportSections(open, money, { blind: true })).toEqual([]);
    const printed = shiftReportLines('X report', open, money, 'now', { blind: true });
    expect(JSON.stringify(printed)).not.toContain(money(12_500));
    // Without the option (a manager), everything is there.
    expect(shiftReportRows(open, money).flat()).toContain(money(12_500));
  });
});
