// Demo promo campaigns: a creator's code (Maya Creates, €150, 10% off) and a next-visit receipt coupon, with the store's first key.
import type { Kysely } from 'kysely';
import type { Campaign } from '../shared/promo';
import type { LedgerDb } from './db/schema';
import { storeHmacKeys, upsertCampaign } from './ledger/campaigns';

const window = { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2030-01-01T00:00:00.000Z' };

export const DEMO_CAMPAIGNS: readonly Campaign[] = [
  {
    id: 'maya-creates',
    name: 'Maya Creates',
    prefix: 'MAYA',
    offer: { kind: 'percent', bp: 1000 },
    scope: { kind: 'all' },
    ...window,
    audience: { kind: 'anyone' },
    maxUsesPerCode: 1,
    maxUsesPerCustomer: 1,
    budget: 50_000,
    channel: 'creator',
    promoter: 'Maya Creates',
    promoterCost: 15_000,
    tillsMayIssue: true,
    status: 'active',
  },
  {
    id: 'next-visit',
    name: 'Next visit €5 off',
    prefix: 'BACK',
    offer: { kind: 'amount', amount: 500 },
    scope: { kind: 'all' },
    ...window,
    audience: { kind: 'anyone' },
    maxUsesPerCode: 1,
    maxUsesPerCustomer: null,
    budget: null,
    channel: 'receipt',
    promoter: null,
    promoterCost: 0,
    tillsMayIssue: true,
    status: 'active',
  },
];

/** Add the demo campaigns and the store's first promo key (called when the demo store is first loaded). */
export async function loadDemoPromos(
  db: Kysely<LedgerDb>,
  storeId: string,
  now = new Date(),
): Promise<void> {
  await storeHmacKeys(db, storeId, now);
  for (const c of DEMO_CAMPAIGNS) await upsertCampaign(db, storeId, c, now);
}
