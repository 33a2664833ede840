// End of day: per-till and combined totals for any day, cash per shift, unsynced tills; CSV and a printed Z report.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { dayReportCsv } from '../../../shared/reports';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { useManagerLedger } from '../../sync/manager-session';
import { useDates } from '../../ui/dates';
import { formatRate, useMoney } from '../../ui/money';
import { printReport } from '../printing/print-actions';
import { defaultPrinter, usePrintQueue } from '../printing/print-queue';
import { downloadCsv } from './csv';
import { dayRows, overShortText, zReport, zReportLines } from './day-exports';
import { loadEndOfDay } from './day-source';
import type { EndOfDay } from './end-of-day';
import { todayIn } from './local-day';
import { useReport } from './useReport';

export function EndOfDayPanel() {
  const store = useStoreSettings();
  const today = todayIn(store?.timeZone);
  const [picked, setPicked] = useState<string | null>(null);
  const date = picked ?? today;
  // Loads again once the manager's ledger sign-in (started at PIN login) completes.
  const token = useManagerLedger((s) => s.token);
  const report = useReport(() => loadEndOfDay(posDb, date), [date, token]);
  const [printing, setPrinting] = useState<string[] | null>(null);
  const money = useMoney();
  const pageDates = useDates();
  const day = report.value?.report;

  const printers = usePrintQueue((s) => s.printers);
  const notify = useSession((s) => s.notify);

  /** On the receipt printer when the till has one (the job joins the print queue); else the page's print dialog. */
  async function printZ(d: EndOfDay) {
    const printer = defaultPrinter(printers, 'receipt');
    if (printer) {
      const outcome = await printReport({
        title: `Z report ${d.report.date}`,
        lines: zReport(d, money, new Date(), pageDates),
        printerId: printer.id,
      });
      if (!outcome.ok) return notify(outcome.message, 'error');
      const { job } = outcome;
      return notify(
        job.status === 'failed'
          ? `The Z report did not print: ${job.lastError?.message ?? 'the printer failed'}. It waits in the print queue.`
          : `Z report sent to ${printer.name}.`,
        job.status === 'failed' ? 'error' : 'info',
      );
    }
    printOnPage(d);
  }

  function printOnPage(d: EndOfDay) {
    setPrinting(zReportLines(d, money, new Date(), pageDates));
    document.body.classList.add('print-z');
    // Let React draw the printout before the print dialog freezes the page.
    requestAnimationFrame(() => {
      window.print();
      document.body.classList.remove('print-z');
    });
  }

  return (
    <section className="eod" aria-label="End of day">
      <div className="row">
        <label className="inline-label">
          Day
          <input
            type="date"
            value={date}
            max={today}
            onChange={(e) => setPicked(e.target.value || null)}
          />
        </label>
        <button type="button" className="btn" onClick={report.reload}>
          Refresh
        </button>
        <button
          type="button"
          className="btn"
          disabled={!day}
          onClick={() =>
            day && downloadCsv(`end-of-day-${day.report.date}.csv`, dayReportCsv(day.report))
          }
        >
          Export CSV
        </button>
        <button
          type="button"
          className="btn"
          disabled={!day}
          onClick={() => day && void printZ(day)}
        >
          Print Z report
        </button>
        {report.status === 'loading' && <span className="muted">Loading…</span>}
      </div>
      {report.status === 'failed' && (
        <p className="error" role="alert">
          {report.message}
        </p>
      )}
      {report.value?.fallback && (
        <p className="banner" role="status">
          <strong>This till only — the ledger is not reachable.</strong> {report.value.fallback}{' '}
          Other tills' sales are not included.
        </p>
      )}
      {day && <DayTables day={day} money={money} />}
      {printing &&
        createPortal(
          <pre className="z-print" aria-hidden="true">
            {printing.join('\n')}
          </pre>,
          document.body,
        )}
    </section>
  );
}

function DayTables({ day, money }: { day: EndOfDay; money: (m: number) => string }) {
  const dates = useDates();
  const r = day.report;
  const columns = [
    ...r.tills.map((t) => ({
      key: t.deviceId,
      name: t.name,
      rows: dayRows(t.totals, t.redemptions, money, t),
    })),
    ...(r.tills.length > 1
      ? [{ key: 'all', name: 'All tills', rows: dayRows(r.combined, r.redemptions, money, r) }]
      : []),
  ];
  const tillName = (deviceId: string) =>
    r.tills.find((t) => t.deviceId === deviceId)?.name ?? deviceId;
  const time = (iso: string | null) => (iso ? dates.time(iso) : '—');
  const orDash = (m: number | null) => (m === null ? '—' : money(m));
  return (
    <>
      <div className="table-scroll">
        <table className="data-table" aria-label={`Totals for ${r.date}`}>
          <thead>
            <tr>
              <th scope="col">{r.date}</th>
              {columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {columns[0]?.rows.map(([label], i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {columns.map((c) => (
                  <td key={c.key} data-till={c.name} data-row={label}>
                    {c.rows[i]?.[1]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.taxBands.length > 0 && (
        <p className="muted">
          {r.taxBands
            .map((b) => `VAT ${formatRate(b.ratePpm)}: ${money(b.tax)} on ${money(b.base)}`)
            .join(' · ')}
        </p>
      )}
      <h3>Cash per shift</h3>
      {r.shifts.length === 0 ? (
        <p className="muted">No shifts on this day.</p>
      ) : (
        <table className="data-table" aria-label="Cash per shift">
          <thead>
            <tr>
              <th scope="col">Till</th>
              <th scope="col">Opened</th>
              <th scope="col">Closed</th>
              <th scope="col">Float</th>
              <th scope="col">Cash sales</th>
              <th scope="col">Expected</th>
              <th scope="col">Counted</th>
              <th scope="col">Over / short</th>
            </tr>
          </thead>
          <tbody>
            {r.shifts.map((s) => (
              <tr key={s.shiftId}>
                <td>{tillName(s.deviceId)}</td>
                <td>{time(s.openedAt)}</td>
                <td>{s.closedAt ? time(s.closedAt) : 'open'}</td>
                <td>{orDash(s.float)}</td>
                <td>{money(s.cashTakings)}</td>
                <td>{orDash(s.expectedCash)}</td>
                <td>{s.countedCash === null ? 'not counted' : money(s.countedCash)}</td>
                <td className={s.overShort !== null && s.overShort < 0 ? 'short' : undefined}>
                  {overShortText(s.overShort, money)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Unsynced tills</h3>
      {r.notSynced.length === 0 ? (
        <p className="muted">Every till has sent its sales.</p>
      ) : (
        <ul className="list" aria-label="Unsynced tills">
          {r.notSynced.map((u) => (
            <li key={u.deviceId} className="warn-line">
              <strong>{u.name}</strong>
              {day.unsyncedHere &&
                ` — ${day.unsyncedHere.count} ${day.unsyncedHere.count === 1 ? 'sale' : 'sales'} not sent`}
              {u.lastPushAt
                ? ` — not synced since ${dates.dateTime(u.lastPushAt)}`
                : ' — never synced'}
              {u.missingFacts &&
                day.source === 'ledger' &&
                ' (some of its records have not arrived)'}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
