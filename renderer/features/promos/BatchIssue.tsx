// Issue a batch of codes for a creator offline, then download them as CSV or print them as labels.
import { useState } from 'react';
import { type Campaign, describeOffer } from '../../../shared/promo';
import type { IssuedCodeRow } from '../../db/db';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { issueCodeBatch } from '../../db/promo-issue-repo';
import { useSession } from '../../state/session';
import { syncNow } from '../../sync/useSync';
import { printLabels } from '../printing/print-actions';
import { codeLabel, codesCsv, downloadCsv } from './code-export';

export function BatchIssue({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const store = useStoreSettings();
  const [count, setCount] = useState('20');
  const [issued, setIssued] = useState<IssuedCodeRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headline = describeOffer(campaign, store?.currency);

  const issue = async () => {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 5_000)
      return setError('Enter how many codes: 1 to 5000.');
    setBusy(true);
    try {
      setIssued(await issueCodeBatch(posDb, { campaignId: campaign.id, count: n }));
      setError(null);
      void syncNow();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const print = async () => {
    if (!issued || !store) return;
    const outcome = await printLabels(
      issued.map((r) => ({ product: codeLabel(r.code, headline, campaign, store), copies: 1 })),
      store,
    );
    useSession
      .getState()
      .notify(
        outcome.ok ? `${issued.length} code labels sent to the printer.` : outcome.message,
        outcome.ok ? 'info' : 'error',
      );
  };

  return (
    <section className="panel" aria-label={`Codes for ${campaign.name}`}>
      <h3>Codes for “{campaign.name}”</h3>
      <p className="muted">
        {headline}
        {campaign.promoter ? ` · for ${campaign.promoter}` : ''}. Issued on this till, offline; the
        ledger learns of them at the next sync.
      </p>
      {!issued && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void issue();
          }}
        >
          <label className="promo-field">
            <span>How many codes</span>
            <input inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Issue codes
          </button>
        </form>
      )}
      {issued && (
        <>
          <p data-testid="batch-issued">{issued.length} codes issued.</p>
          <ul className="promo-codes">
            {issued.slice(0, 12).map((r) => (
              <li key={r.code}>
                <code>{r.code}</code>
              </li>
            ))}
            {issued.length > 12 && <li className="muted">…and {issued.length - 12} more</li>}
          </ul>
          <div className="row">
            <button
              type="button"
              className="btn"
              onClick={() =>
                downloadCsv(
                  `${campaign.id}-codes-${issued[0]!.issuedAt.slice(0, 10)}.csv`,
                  codesCsv(campaign, issued),
                )
              }
            >
              Download CSV
            </button>
            <button type="button" className="btn" onClick={() => void print()}>
              Print as labels
            </button>
          </div>
        </>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <button type="button" className="btn btn-ghost" onClick={onClose}>
        Done
      </button>
    </section>
  );
}
