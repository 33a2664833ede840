// Cost per promoter, from the ledger (online only): what each creator's campaigns cost, the discount given and buyers won.
import { useCallback, useEffect, useState } from 'react';
import { type PromotersReport, promotersReportSchema } from '../../../shared/reports';
import { posDb } from '../../db/instance';
import { ledgerStoreId, managerCall } from '../../sync/manager-session';
import { useMoney } from '../../ui/money';

type Promoters = PromotersReport;
const promotersSchema = promotersReportSchema;

type Report =
  | { state: 'loading' }
  | { state: 'ok'; value: Promoters }
  | { state: 'error'; message: string };

export function PromoterReport() {
  const money = useMoney();
  const [report, setReport] = useState<Report>({ state: 'loading' });
  const load = useCallback(async () => {
    setReport({ state: 'loading' });
    const storeId = await ledgerStoreId(posDb);
    if (!storeId)
      return setReport({ state: 'error', message: 'This till is not connected to a ledger.' });
    const result = await managerCall(
      posDb,
      `/api/v1/stores/${encodeURIComponent(storeId)}/reports/promoters`,
      { schema: promotersSchema },
    );
    setReport(
      result.ok
        ? { state: 'ok', value: result.value }
        : { state: 'error', message: result.message },
    );
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel" aria-label="Cost per promoter">
      <div className="row promo-head">
        <h3>Cost per promoter</h3>
        <button type="button" className="btn btn-small" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {report.state === 'loading' && <p className="muted">Asking the ledger…</p>}
      {report.state === 'error' && (
        <p className="muted" role="status">
          Not available: {report.message}
        </p>
      )}
      {report.state === 'ok' && report.value.rows.length === 0 && (
        <p className="muted">No campaign with a promoter has been redeemed yet.</p>
      )}
      {report.state === 'ok' && report.value.rows.length > 0 && (
        <table className="promo-table" data-testid="promoter-report">
          <thead>
            <tr>
              <th>Promoter</th>
              <th>Campaign</th>
              <th>Paid</th>
              <th>Redemptions</th>
              <th>Sales</th>
              <th>Discount given</th>
              <th>Buyers</th>
              <th>Cost per buyer</th>
            </tr>
          </thead>
          <tbody>
            {report.value.rows.map((p) => (
              <tr key={p.campaignId}>
                <td>{p.promoter}</td>
                <td>{p.campaignName}</td>
                <td>{money(p.cost)}</td>
                <td>{p.redemptions}</td>
                <td>
                  {p.sales} · {money(p.salesTotal)}
                </td>
                <td>{money(p.discount)}</td>
                <td>{p.buyers}</td>
                <td>{p.costPerBuyer === null ? '—' : money(p.costPerBuyer)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
