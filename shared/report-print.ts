// A report (the end-of-day Z report, a shift's X/Z report) as lines for a receipt printer: the request the bridge takes and its receipt-width document.
import { z } from 'zod';
import type { Minor } from './money';
import {
  fitRow,
  printableText,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  wrap,
} from './receipt';
import type { ShiftReport } from './shift';

export const reportLineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), text: z.string().max(200) }),
  z.object({ kind: z.literal('text'), text: z.string().max(400) }),
  /** A label and a value: the value right-aligned, the label wrapping below itself. */
  z.object({ kind: z.literal('row'), left: z.string().max(200), right: z.string().max(60) }),
  z.object({ kind: z.literal('rule') }),
]);
export type ReportLine = z.infer<typeof reportLineSchema>;

export const reportPrintRequestSchema = z.object({
  /** Shown in the print queue, e.g. "Z report 2026-12-02". */
  title: z.string().trim().min(1).max(60),
  lines: z.array(reportLineSchema).min(1).max(2_000),
  /** Omit for the default receipt printer. */
  printerId: z.string().optional(),
});
export type ReportPrintRequest = z.input<typeof reportPrintRequestSchema>;

/** The report laid out `width` columns wide (what the screen preview and the printer both show). */
export function reportText(lines: readonly ReportLine[], width: number): string[] {
  return lines.flatMap((line) => {
    switch (line.kind) {
      case 'heading':
      case 'text':
        return wrap(printableText(line.text), width);
      case 'row':
        return fitRow(line.left, line.right, width);
      default:
        return ['-'.repeat(width)];
    }
  });
}

/** A receipt-printer document for the report: headings bold, rows aligned, a cut at the end. */
export function reportDocument(
  request: { title: string; lines: readonly ReportLine[] },
  width: ReceiptWidth,
): ReceiptDocument {
  const blocks: ReceiptBlock[] = request.lines.map((line): ReceiptBlock => {
    switch (line.kind) {
      case 'heading':
        return {
          kind: 'text',
          lines: wrap(printableText(line.text), width),
          align: 'left',
          bold: true,
          size: 'normal',
        };
      case 'text':
        return {
          kind: 'text',
          lines: wrap(printableText(line.text), width),
          align: 'left',
          bold: false,
          size: 'normal',
        };
      case 'row':
        return {
          kind: 'row',
          left: printableText(line.left),
          right: printableText(line.right),
          lines: fitRow(line.left, line.right, width),
          bold: false,
          size: 'normal',
        };
      default:
        return { kind: 'rule', line: '-'.repeat(width) };
    }
  });
  blocks.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  return { width, saleId: 'report', receiptNumber: request.title, blocks };
}

/** 230000 ppm → "23%", 135000 → "13.5%". */
function rate(ratePpm: number): string {
  return `${(ratePpm / 10_000).toLocaleString('en', { maximumFractionDigits: 3 })}%`;
}

/**
 * A shift's X or Z report as label/value rows, in the order the screen and the paper show them:
 * sales, tax, what sales took per tender, refunds per tender and returns, voids, then the drawer
 * (float, expected after cash refunds, counted, over/short). A Z report stored before returns
 * existed shows no refund rows.
 */
export function shiftReportRows(
  report: ShiftReport,
  money: (m: Minor) => string,
  opts: ReportViewOptions = {},
): [string, string][] {
  if (opts.blind) return blindRows(report, money);
  const rows: [string, string][] = [
    ['Sales', String(report.saleCount)],
    ['Items sold', String(report.itemCount)],
    ['Gross (before discounts)', money(report.subtotal)],
    ['Discounts', money(report.discounts)],
    ...report.taxBands.map((b): [string, string] => [
      `VAT ${rate(b.ratePpm)} on ${money(b.base)}`,
      money(b.tax),
    ]),
    ['VAT total', money(report.tax)],
    ['Takings', money(report.takings)],
    ['Cash rounding', money(report.rounding)],
    ['Cash', money(report.byTender.cash)],
    ['Card', money(report.byTender.card)],
  ];
  if (report.storeCreditTaken) rows.push(['Store credit taken', money(report.storeCreditTaken)]);
  if (report.exchangeCredit) rows.push(['Exchange credit taken', money(report.exchangeCredit)]);
  if (report.refunds) {
    rows.push(
      ['Returns', String(report.returnCount ?? 0)],
      ['Refunds in cash', money(report.refunds.cash)],
      ['Refunds to card', money(report.refunds.card)],
      ['Store credit issued', money(report.refunds.storeCredit)],
    );
    if (report.netTakings !== undefined) rows.push(['Net takings', money(report.netTakings)]);
  }
  rows.push(
    ['Voids', `${report.voidCount} (${money(report.voidValue)})`],
    ['Opening float', money(report.float)],
    ['Expected in drawer', money(report.expectedCash)],
  );
  if (report.unsyncedSales !== undefined && report.unsyncedSales !== null) {
    rows.push([
      'Sync',
      report.unsyncedSales === 0
        ? 'all sales on the ledger'
        : `${report.unsyncedSales} ${report.unsyncedSales === 1 ? 'sale' : 'sales'} still only on this till`,
    ]);
  }
  if (report.countedCash !== null && report.overShort !== null) {
    rows.push(['Counted in drawer', money(report.countedCash)]);
    rows.push([report.overShort >= 0 ? 'Over' : 'Short', money(Math.abs(report.overShort))]);
  }
  return rows;
}

/** Who reads the report: `blind` for staff who will count the drawer blind (an open shift, not a manager). */
export interface ReportViewOptions {
  blind?: boolean;
}

/**
 * An X report for someone who will count the drawer blind: what was sold, never a money total
 * the count could be squared against (cash, card, takings, tax, refunds and the expected drawer
 * all add up to it). A manager's X report and every Z report have them all.
 */
function blindRows(report: ShiftReport, money: (m: Minor) => string): [string, string][] {
  return [
    ['Sales', String(report.saleCount)],
    ['Items sold', String(report.itemCount)],
    ...(report.refunds ? [['Returns', String(report.returnCount ?? 0)] as [string, string]] : []),
    ['Voids', String(report.voidCount)],
    ['Opening float', money(report.float)],
    ['Money totals', 'shown to a manager, and on the Z report after the count'],
  ];
}

/** A titled group of rows after the main ones: the drawer count, one staff member's part. */
export interface ReportSection {
  heading: string;
  rows: [string, string][];
}

/**
 * What follows the main rows on a Z report: the drawer count note by note, then each staff
 * member's sales, takings, cash and card, and refunds. Reports stored before these existed have none.
 */
export function shiftReportSections(
  report: ShiftReport,
  money: (m: Minor) => string,
  opts: ReportViewOptions = {},
): ReportSection[] {
  // Each staff member's cash and takings would give the blind count away too.
  if (opts.blind) return [];
  const sections: ReportSection[] = [];
  const notes = report.countedByDenomination;
  if (notes && report.countedCash !== null) {
    sections.push({
      heading: 'Drawer count',
      rows: [
        ...notes.map((d): [string, string] => [
          `${d.count} × ${money(d.denomination)}`,
          money(d.value),
        ]),
        ['Total counted', money(report.countedCash)],
      ],
    });
  }
  for (const staff of report.byStaff ?? []) {
    const rows: [string, string][] = [
      ['Sales', String(staff.saleCount)],
      ['Takings', money(staff.takings)],
      ['Cash', money(staff.cash)],
      ['Card', money(staff.card)],
    ];
    if (staff.returnCount > 0) rows.push([`Refunds (${staff.returnCount})`, money(staff.refunds)]);
    sections.push({ heading: `Staff: ${staff.name}`, rows });
  }
  return sections;
}

/** A shift's report as lines for the receipt printer: the title, its rows and sections, and when it was printed. */
export function shiftReportLines(
  title: string,
  report: ShiftReport,
  money: (m: Minor) => string,
  printedAt: string,
  opts: ReportViewOptions = {},
): ReportLine[] {
  const row = ([left, right]: [string, string]): ReportLine => ({ kind: 'row', left, right });
  return [
    { kind: 'heading', text: title },
    { kind: 'rule' },
    ...shiftReportRows(report, money, opts).map(row),
    ...shiftReportSections(report, money, opts).flatMap((section): ReportLine[] => [
      { kind: 'rule' },
      { kind: 'heading', text: section.heading },
      ...section.rows.map(row),
    ]),
    { kind: 'rule' },
    { kind: 'text', text: `Printed ${printedAt}` },
  ];
}
