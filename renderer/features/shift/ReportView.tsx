// An X or Z report: sales, discounts, tax, tenders, voids and the cash drawer.
import type { ShiftReport } from '../../../shared/shift';
import { formatRate, useMoney } from '../../ui/money';

export function ReportView({ title, report }: { title: string; report: ShiftReport }) {
  const money = useMoney();
  const rows: [string, string][] = [
    ['Sales', String(report.saleCount)],
    ['Items sold', String(report.itemCount)],
    ['Gross (before discounts)', money(report.subtotal)],
    ['Discounts', money(report.discounts)],
    ...report.taxBands.map((b): [string, string] => [
      `VAT ${formatRate(b.ratePpm)} on ${money(b.base)}`,
      money(b.tax),
    ]),
    ['VAT total', money(report.tax)],
    ['Takings', money(report.takings)],
    ['Cash rounding', money(report.rounding)],
    ['Cash', money(report.byTender.cash)],
    ['Card', money(report.byTender.card)],
    ['Voids', `${report.voidCount} (${money(report.voidValue)})`],
    ['Opening float', money(report.float)],
    ['Expected in drawer', money(report.expectedCash)],
  ];
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
  return (
    <section className="report" aria-label={title}>
      <h2>{title}</h2>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k} className="report-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
