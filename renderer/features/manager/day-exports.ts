// The end of day as rows for the screen and as Z report lines for a receipt-width printout.
import { type ReportLine, reportText } from '../../../shared/report-print';
import type { DayTotals, RedemptionTotals, RefundTotals } from '../../../shared/reports';
import type { Dates } from '../../ui/dates';
import { formatRate } from '../../ui/money';
import type { EndOfDay } from './end-of-day';

type Money = (m: number) => string;

/** The rows every view shows, in order: label and value. */
export function dayRows(
  totals: DayTotals,
  promo: RedemptionTotals,
  money: Money,
  back?: { refunds?: RefundTotals | undefined; netTakings?: number | undefined },
): [string, string][] {
  // Returns, as the ledger reports them (a till's own offline report may not have them yet).
  const f = back?.refunds;
  const returned: [string, string][] = f
    ? [
        ['Returns', `${f.returnCount} (${f.returnedItems} items)`],
        ['Refunds cash', money(f.cash)],
        ['Refunds card', money(f.card)],
        ['Store credit issued', money(f.storeCredit)],
        ...(back?.netTakings === undefined
          ? []
          : ([['Net takings', money(back.netTakings)]] as [string, string][])),
      ]
    : [];
  return [
    ['Sales', String(totals.saleCount)],
    ['Items sold', String(totals.itemCount)],
    ['Gross (before discounts)', money(totals.subtotal)],
    ['Discounts', money(totals.discounts)],
    ['Promo redemptions', `${promo.count} (${money(promo.discount)})`],
    ['VAT', money(totals.tax)],
    ['Takings', money(totals.takings)],
    ['Cash', money(totals.cash)],
    ['Card', money(totals.card)],
    // Set by the ledger only: paid from credit notes and by exchange, neither in the drawer.
    ...(totals.storeCredit === undefined
      ? []
      : ([['Store credit', money(totals.storeCredit)]] as [string, string][])),
    ...(totals.exchange === undefined
      ? []
      : ([['Exchange credit', money(totals.exchange)]] as [string, string][])),
    ['Cash rounding', money(totals.rounding)],
    ['Voids', `${totals.voidCount} (${money(totals.voidValue)})`],
    ...returned,
  ];
}

/** "over €1.50", "short €0.20", "exact"; "—" until counted. */
export function overShortText(overShort: number | null, money: Money): string {
  if (overShort === null) return '—';
  if (overShort === 0) return 'exact';
  return `${overShort > 0 ? 'over' : 'short'} ${money(Math.abs(overShort))}`;
}

/** The Z report as lines a receipt printer lays out at its own width (42 columns on screen). */
export function zReport(day: EndOfDay, money: Money, printedAt: Date, dates: Dates): ReportLine[] {
  const r = day.report;
  const lines: ReportLine[] = [
    { kind: 'heading', text: 'Z REPORT - END OF DAY' },
    { kind: 'text', text: r.date },
    {
      kind: 'text',
      text:
        day.source === 'ledger' ? 'All tills (ledger)' : 'This till only (ledger not reachable)',
    },
    { kind: 'rule' },
  ];
  const row = (left: string, right: string): ReportLine => ({ kind: 'row', left, right });
  const block = (
    title: string,
    totals: DayTotals,
    promo: RedemptionTotals,
    back: { refunds?: RefundTotals | undefined; netTakings?: number | undefined },
  ) => {
    lines.push({ kind: 'heading', text: title });
    for (const [k, v] of dayRows(totals, promo, money, back)) lines.push(row(k, v));
    lines.push({ kind: 'rule' });
  };
  if (r.tills.length > 1) for (const t of r.tills) block(t.name, t.totals, t.redemptions, t);
  block(
    r.tills.length > 1 ? 'ALL TILLS' : (r.tills[0]?.name ?? 'Till'),
    r.combined,
    r.redemptions,
    r,
  );
  for (const b of r.taxBands)
    lines.push(row(`VAT ${formatRate(b.ratePpm)} on ${money(b.base)}`, money(b.tax)));
  if (r.shifts.length > 0) {
    lines.push({ kind: 'rule' }, { kind: 'heading', text: 'CASH PER SHIFT' });
    for (const s of r.shifts) {
      const till = r.tills.find((t) => t.deviceId === s.deviceId)?.name ?? s.deviceId;
      lines.push({
        kind: 'text',
        text: `${till} ${s.openedAt ? dates.time(s.openedAt) : ''}`,
      });
      if (s.expectedCash !== null) lines.push(row('  Expected', money(s.expectedCash)));
      lines.push(row('  Counted', s.countedCash === null ? 'not counted' : money(s.countedCash)));
      lines.push(row('  Over/short', overShortText(s.overShort, money)));
    }
  }
  if (r.notSynced.length > 0) {
    lines.push({ kind: 'rule' }, { kind: 'heading', text: 'NOT YET SYNCED' });
    for (const u of r.notSynced)
      lines.push(
        row(u.name, u.lastPushAt ? `since ${dates.dateTime(u.lastPushAt)}` : 'never synced'),
      );
  }
  lines.push({ kind: 'rule' }, { kind: 'text', text: `Printed ${dates.dateTime(printedAt)}` });
  return lines;
}

/** Z report lines, `width` characters wide (42 on 80 mm paper): the on-screen printout. */
export function zReportLines(
  day: EndOfDay,
  money: Money,
  printedAt: Date,
  dates: Dates,
  width = 42,
): string[] {
  return reportText(zReport(day, money, printedAt, dates), width);
}
