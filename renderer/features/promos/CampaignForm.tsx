// Create or edit a campaign: checked with the shared schema first, then saved at the ledger as the signed-in manager.
import { useState } from 'react';
import { z } from 'zod';
import type { Campaign } from '../../../shared/promo';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { ledgerStoreId, managerCall } from '../../sync/manager-session';
import { syncNow } from '../../sync/useSync';
import { type CampaignDraft, campaignFromDraft, draftOf, emptyDraft } from './campaign-draft';

interface Props {
  campaign: Campaign | null;
  onDone: () => void;
}

export function CampaignForm({ campaign, onDone }: Props) {
  const store = useStoreSettings();
  const currency = store?.currency ?? 'EUR';
  const [d, setD] = useState<CampaignDraft>(() =>
    campaign ? draftOf(campaign, currency) : emptyDraft(new Date()),
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof CampaignDraft>(k: K, v: CampaignDraft[K]) => setD({ ...d, [k]: v });
  const field = (k: keyof CampaignDraft, label: string, hint?: string) => (
    <label className="promo-field">
      <span>{label}</span>
      <input
        value={String(d[k])}
        placeholder={hint}
        onChange={(e) => set(k, e.target.value as never)}
      />
    </label>
  );

  const save = async () => {
    const checked = campaignFromDraft(d, currency);
    if (!checked.ok) return setError(checked.message);
    const storeId = await ledgerStoreId(posDb);
    if (!storeId) return setError('This till is not connected to a ledger.');
    setSaving(true);
    const result = await managerCall(
      posDb,
      `/api/v1/stores/${encodeURIComponent(storeId)}/campaigns/${encodeURIComponent(checked.campaign.id)}`,
      { method: 'PUT', body: checked.campaign, schema: z.unknown() },
    );
    setSaving(false);
    if (!result.ok) return setError(`The ledger did not save it: ${result.message}`);
    setError(null);
    useSession.getState().notify(`Campaign “${checked.campaign.name}” saved.`);
    // The campaign reaches this till (and the others) with the next pull.
    void syncNow();
    onDone();
  };

  return (
    <form
      className="panel promo-form"
      aria-label={campaign ? `Edit ${campaign.name}` : 'New campaign'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{campaign ? `Edit “${campaign.name}”` : 'New campaign'}</h3>
      <div className="promo-fields">
        <label className="promo-field">
          <span>Campaign id</span>
          <input
            value={d.id}
            disabled={campaign !== null}
            placeholder="ciara-live"
            onChange={(e) => set('id', e.target.value)}
          />
        </label>
        {field('name', 'Name', 'Ciara’s live stream')}
        {field('prefix', 'Code prefix', 'CIARA')}
        <label className="promo-field">
          <span>Offer</span>
          <select
            value={d.offerKind}
            onChange={(e) => set('offerKind', e.target.value as CampaignDraft['offerKind'])}
          >
            <option value="percent">Percent off</option>
            <option value="amount">Amount off</option>
            <option value="fixed-price">Fixed price for a SKU</option>
            <option value="buy-x-get-y">Buy X get Y free</option>
          </select>
        </label>
        {d.offerKind === 'buy-x-get-y' ? (
          <>
            {field('buy', 'Buy')}
            {field('get', 'Get free')}
          </>
        ) : (
          field('offerValue', d.offerKind === 'percent' ? 'Percent' : 'Amount')
        )}
        {d.offerKind === 'fixed-price' && field('offerSku', 'SKU')}
        <label className="promo-field">
          <span>Applies to</span>
          <select
            value={d.scopeKind}
            onChange={(e) => set('scopeKind', e.target.value as CampaignDraft['scopeKind'])}
          >
            <option value="all">Everything</option>
            <option value="categories">Categories</option>
            <option value="skus">SKUs</option>
            <option value="drop">A drop</option>
          </select>
        </label>
        {d.scopeKind !== 'all' &&
          field('scopeValue', d.scopeKind === 'drop' ? 'Drop id' : 'Comma-separated list')}
        <label className="promo-field">
          <span>First day</span>
          <input type="date" value={d.startsOn} onChange={(e) => set('startsOn', e.target.value)} />
        </label>
        <label className="promo-field">
          <span>Last day</span>
          <input type="date" value={d.endsOn} onChange={(e) => set('endsOn', e.target.value)} />
        </label>
        <label className="promo-field">
          <span>Who may use it</span>
          <select
            value={d.audienceKind}
            onChange={(e) => set('audienceKind', e.target.value as CampaignDraft['audienceKind'])}
          >
            <option value="anyone">Anyone</option>
            <option value="members">Members</option>
            <option value="tier">A member tier</option>
          </select>
        </label>
        {d.audienceKind === 'tier' && field('tier', 'Tier', 'subscribers')}
        {field('maxUsesPerCode', 'Uses per code', 'blank: unlimited')}
        {field('maxUsesPerCustomer', 'Uses per customer', 'blank: unlimited')}
        {field('budget', 'Budget', 'blank: none')}
        {field('channel', 'Channel', 'instagram')}
        {field('promoter', 'Promoter', 'blank: none')}
        {field('promoterCost', 'Paid to promoter')}
        <label className="promo-check">
          <input
            type="checkbox"
            checked={d.tillsMayIssue}
            onChange={(e) => set('tillsMayIssue', e.target.checked)}
          />
          Tills may issue codes offline
        </label>
        <label className="promo-check">
          <input
            type="checkbox"
            checked={d.signedOnly}
            onChange={(e) => set('signedOnly', e.target.checked)}
          />
          Signed QR codes only (a typed code is refused, so a stolen till cannot make them)
        </label>
        <label className="promo-check">
          <input
            type="checkbox"
            checked={d.status === 'active'}
            onChange={(e) => set('status', e.target.checked ? 'active' : 'paused')}
          />
          Active
        </label>
      </div>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <div className="row">
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save campaign'}
        </button>
      </div>
    </form>
  );
}
