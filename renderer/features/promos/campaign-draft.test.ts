// The manager's campaign form: what it sends is a valid campaign, and what is wrong is said in words.
import { describe, expect, it } from 'vitest';
import { campaignFromDraft, draftOf, emptyDraft } from './campaign-draft';

const now = new Date('2026-12-02T10:00:00.000Z');
const filled = {
  ...emptyDraft(now),
  id: 'ciara-live',
  name: 'Ciara live',
  prefix: 'ciara',
  offerValue: '12.5',
  promoter: 'Ciara',
  promoterCost: '150',
  budget: '500.00',
  channel: 'live-stream',
};

describe('campaign form', () => {
  it('builds a campaign the schema accepts: percent in basis points, money in cents, the last day included', () => {
    const checked = campaignFromDraft(filled, 'EUR');
    if (!checked.ok) throw new Error(checked.message);
    expect(checked.campaign).toMatchObject({
      prefix: 'CIARA',
      offer: { kind: 'percent', bp: 1250 },
      budget: 50_000,
      promoterCost: 15_000,
      maxUsesPerCode: 1,
      maxUsesPerCustomer: null,
      startsAt: '2026-12-02T00:00:00.000Z',
      endsAt: '2027-01-02T00:00:00.000Z',
    });
    // Editing shows the same values again.
    expect(campaignFromDraft(draftOf(checked.campaign, 'EUR'), 'EUR')).toEqual(checked);
  });

  it('keeps the signed-QR-only flag through saving and editing', () => {
    const checked = campaignFromDraft({ ...filled, signedOnly: true }, 'EUR');
    if (!checked.ok) throw new Error(checked.message);
    expect(checked.campaign.signedOnly).toBe(true);
    expect(draftOf(checked.campaign, 'EUR').signedOnly).toBe(true);
    const typedToo = campaignFromDraft(filled, 'EUR');
    expect(typedToo.ok && typedToo.campaign.signedOnly).toBeFalsy();
  });

  it('says what is wrong before anything goes to the ledger', () => {
    expect(campaignFromDraft({ ...filled, prefix: 'C1' }, 'EUR')).toEqual({
      ok: false,
      message: 'prefix: A code prefix is 2–6 capital letters',
    });
    expect(campaignFromDraft({ ...filled, budget: 'lots' }, 'EUR')).toMatchObject({
      ok: false,
      message: 'Enter the budget as an amount, e.g. 5 or 4.50.',
    });
    expect(campaignFromDraft({ ...filled, endsOn: '2026-11-01' }, 'EUR')).toMatchObject({
      ok: false,
      message: 'The last day is before the first day.',
    });
  });
});
