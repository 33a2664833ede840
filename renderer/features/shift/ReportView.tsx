// An X or Z report: sales, discounts, tax, tenders, refunds and returns, voids, the cash drawer, then the count note by note and each staff member's part (what the printout has).
import { shiftReportRows, shiftReportSections } from '../../../shared/report-print';
import type { ShiftReport } from '../../../shared/shift';
import { useMoney } from '../../ui/money';
import './shift.css';

function Rows({ rows }: { rows: [string, string][] }) {
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k} className="report-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The per-staff split as one table: on screen the columns compare at a glance (paper gets a block each). */
function StaffSplit({ report }: { report: ShiftReport }) {
  const money = useMoney();
  const staff = report.byStaff ?? [];
  if (staff.length === 0) return null;
  return (
    <table className="staff-split" aria-label="Per staff member">
      <caption>Per staff member</caption>
      <thead>
        <tr>
          <th scope="col">Staff</th>
          <th scope="col">Sales</th>
          <th scope="col">Takings</th>
          <th scope="col">Cash</th>
          <th scope="col">Card</th>
          <th scope="col">Refunds</th>
        </tr>
      </thead>
      <tbody>
        {staff.map((s) => (
          <tr key={s.staffId}>
            <th scope="row">{s.name}</th>
            <td>{s.saleCount}</td>
            <td>{money(s.takings)}</td>
            <td>{money(s.cash)}</td>
            <td>{money(s.card)}</td>
            <td>{s.returnCount > 0 ? `${money(s.refunds)} (${s.returnCount})` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReportView({
  title,
  report,
  blind = false,
}: {
  title: string;
  report: ShiftReport;
  /** An X report for staff who count the drawer blind: no money totals. */
  blind?: boolean;
}) {
  const money = useMoney();
  const count = shiftReportSections(report, money, { blind }).find(
    (s) => s.heading === 'Drawer count',
  );
  return (
    <section className="report" aria-label={title}>
      <h2>{title}</h2>
      <Rows rows={shiftReportRows(report, money, { blind })} />
      {count && (
        <section aria-label="Drawer count" className="report-section">
          <h3>Drawer count</h3>
          <Rows rows={count.rows} />
        </section>
      )}
      {!blind && <StaffSplit report={report} />}
    </section>
  );
}
