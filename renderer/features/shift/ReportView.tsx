// An X or Z report: sales, discounts, tax, tenders, refunds and returns, voids and the cash drawer (the rows the printout has).
import { shiftReportRows } from '../../../shared/report-print';
import type { ShiftReport } from '../../../shared/shift';
import { useMoney } from '../../ui/money';

export function ReportView({ title, report }: { title: string; report: ShiftReport }) {
  const money = useMoney();
  const rows = shiftReportRows(report, money);
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
