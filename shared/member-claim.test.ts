import { describe, expect, it } from 'vitest';
import { mayClaim } from './member-claim';
import type { Campaign } from './promo';

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'm15',
  name: 'Members 15%',
  prefix: 'MEMB',
  offer: { kind: 'percent', bp: 1500 },
  scope: { kind: 'all' },
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
  audience: { kind: 'members' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: 1,
  budget: null,
  channel: 'member',
  promoter: null,
  promoterCost: 0,
  tillsMayIssue: false,
  status: 'active',
  ...over,
});
const member = { tiers: ['members'], active: true };
const now = new Date('2026-12-05T12:00:00Z');

describe('mayClaim', () => {
  it('lets an active member claim a member offer that is open and unused', () => {
    expect(mayClaim(campaign(), member, 0, now)).toEqual({ ok: true });
  });

  it('refuses offers for everyone, for a tier the member lacks, and inactive members', () => {
    for (const [c, m] of [
      [campaign({ audience: { kind: 'anyone' } }), member],
      [campaign({ audience: { kind: 'tier', tier: 'subscribers' } }), member],
      [campaign(), { ...member, active: false }],
    ] as const)
      expect(mayClaim(c, m, 0, now)).toMatchObject({ ok: false, code: 'not-for-you' });
    expect(
      mayClaim(campaign({ audience: { kind: 'tier', tier: 'members' } }), member, 0, now),
    ).toEqual({ ok: true });
  });

  it('refuses a used-up, paused, closed or signed-only offer', () => {
    expect(mayClaim(campaign(), member, 1, now)).toMatchObject({ code: 'used' });
    expect(mayClaim(campaign({ maxUsesPerCustomer: null }), member, 9, now)).toEqual({ ok: true });
    expect(mayClaim(campaign({ status: 'paused' }), member, 0, now)).toMatchObject({
      code: 'closed',
    });
    expect(
      mayClaim(campaign({ endsAt: '2026-12-01T00:00:00.000Z' }), member, 0, now),
    ).toMatchObject({ code: 'closed' });
    expect(mayClaim(campaign({ signedOnly: true }), member, 0, now)).toMatchObject({
      code: 'signed-only',
    });
  });
});
