// One-tap member claims: which campaigns a member may claim a code for from their personal link (pure, `now` passed in).
import { z } from 'zod';
import { idTextSchema } from './bounds';
import { memberSchema } from './members';
import { type Campaign, campaignWindow } from './promo';

/** The parts of a member's personal link: /m/:storeId/:memberId/:tag (the tag is a keyed MAC the ledger checks). */
export const memberLinkParamsSchema = z.object({
  storeId: idTextSchema,
  memberId: memberSchema.shape.id,
  tag: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'Not a member link'),
});
export const memberClaimParamsSchema = memberLinkParamsSchema.extend({
  campaignId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'Not an offer'),
});

export type ClaimCheck =
  | { ok: true }
  | { ok: false; code: 'not-for-you' | 'signed-only' | 'used' | 'closed'; message: string };

/**
 * May this member claim a code of the campaign now? Only member offers (audience members, or a
 * tier the member holds), open and active, and typed codes allowed (a claim's code is typed;
 * a signed-only campaign's codes come from a till). `uses` is the member's redemptions of it.
 */
export function mayClaim(
  campaign: Campaign,
  member: { tiers: readonly string[]; active: boolean },
  uses: number,
  now: Date,
  timeZone = 'UTC',
): ClaimCheck {
  const forMember =
    member.active &&
    (campaign.audience.kind === 'members' ||
      (campaign.audience.kind === 'tier' && member.tiers.includes(campaign.audience.tier)));
  if (!forMember)
    return { ok: false, code: 'not-for-you', message: 'This offer is not for your membership.' };
  if (campaign.signedOnly)
    return { ok: false, code: 'signed-only', message: 'Ask at the stall for this offer.' };
  const window = campaignWindow(campaign, now, timeZone);
  if (!window.ok) return { ok: false, code: 'closed', message: window.message };
  if (campaign.maxUsesPerCustomer !== null && uses >= campaign.maxUsesPerCustomer)
    return { ok: false, code: 'used', message: 'You have already used this offer.' };
  return { ok: true };
}
