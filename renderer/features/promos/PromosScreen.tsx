// Manager screen for promo campaigns: the campaigns this till knows, create or edit one at the ledger, code batches, cost per promoter.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { type Campaign, describeOffer } from '../../../shared/promo';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { BatchIssue } from './BatchIssue';
import { CampaignForm } from './CampaignForm';
import { PromoterReport } from './PromoterReport';
import './promos.css';

type Open = { kind: 'edit'; campaign: Campaign | null } | { kind: 'batch'; campaign: Campaign };

function when(iso: string, locale: string, timeZone: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso));
}

export function PromosScreen() {
  const store = useStoreSettings();
  const campaigns = useLiveQuery(() => posDb.campaigns.orderBy('id').toArray(), []);
  const [open, setOpen] = useState<Open | null>(null);
  const locale = store?.locale ?? 'en-IE';
  const timeZone = store?.timeZone ?? 'UTC';

  return (
    <div className="promos">
      <section className="panel">
        <div className="row promo-head">
          <h2>Promo campaigns</h2>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setOpen({ kind: 'edit', campaign: null })}
          >
            New campaign
          </button>
        </div>
        {campaigns?.length === 0 && (
          <p className="muted">
            No campaigns on this till yet. Create one, or sync with the ledger.
          </p>
        )}
        <ul className="list promo-campaigns">
          {campaigns?.map((c) => (
            <li key={c.id} className="promo-campaign" data-campaign={c.id}>
              <div>
                <strong>{c.name}</strong> <code>{c.prefix}</code>
                {c.status === 'paused' && <span className="muted"> · paused</span>}
                <div className="muted">
                  {describeOffer(c, store?.currency)} · {when(c.startsAt, locale, timeZone)} –{' '}
                  {when(new Date(Date.parse(c.endsAt) - 1).toISOString(), locale, timeZone)}
                  {c.promoter ? ` · ${c.promoter}` : ''}
                  {c.maxUsesPerCode ? ` · ${c.maxUsesPerCode}× per code` : ''}
                </div>
              </div>
              <div className="row">
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setOpen({ kind: 'edit', campaign: c })}
                >
                  Edit
                </button>
                {c.tillsMayIssue && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setOpen({ kind: 'batch', campaign: c })}
                  >
                    Issue codes
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>
      {open?.kind === 'edit' && (
        <CampaignForm
          key={open.campaign?.id ?? 'new'}
          campaign={open.campaign}
          onDone={() => setOpen(null)}
        />
      )}
      {open?.kind === 'batch' && (
        <BatchIssue key={open.campaign.id} campaign={open.campaign} onClose={() => setOpen(null)} />
      )}
      <PromoterReport />
    </div>
  );
}
