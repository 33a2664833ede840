// One KPI: a chart with a "Table" toggle showing the same numbers, and a CSV export of them.
import { type ReactNode, useState } from 'react';
import { type Cell, downloadCsv, toCsv } from './csv';

export interface KpiTable {
  header: string[];
  rows: Cell[][];
}

export function KpiCard(props: {
  title: string;
  /** The headline figure or a sentence saying what the chart shows. */
  summary?: ReactNode;
  chart: ReactNode;
  table: KpiTable;
  csvName: string;
  /** Shown instead of chart and table when there is nothing to draw. */
  empty?: string | null;
}) {
  const [asTable, setAsTable] = useState(false);
  return (
    <section className="kpi-card" aria-label={props.title}>
      <div className="kpi-card-head">
        <h3>{props.title}</h3>
        <div className="row">
          <button
            type="button"
            className={asTable ? 'tab tab-on' : 'tab'}
            aria-pressed={asTable}
            onClick={() => setAsTable(!asTable)}
          >
            Table
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => downloadCsv(props.csvName, toCsv(props.table.header, props.table.rows))}
          >
            CSV
          </button>
        </div>
      </div>
      {props.summary && <div>{props.summary}</div>}
      {props.empty ? (
        <p className="muted">{props.empty}</p>
      ) : asTable ? (
        <div className="table-scroll">
          <table className="data-table" aria-label={`${props.title} table`}>
            <thead>
              <tr>
                {props.table.header.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.table.rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their place
                <tr key={i}>
                  {r.map((c, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a cell is its column
                    <td key={j}>{c ?? '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        props.chart
      )}
    </section>
  );
}
