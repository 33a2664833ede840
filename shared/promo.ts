// Promo campaigns and codes: the schemas of a campaign, its offer and scope, signing keys, and redemption facts.
import { z } from 'zod';
import { tierSchema } from './members';
import { minorSchema } from './money';

const isoTime = z.iso.datetime();

export const offerSchema = z.discriminatedUnion('kind', [
  /** Percent off the lines in scope, in basis points. */
  z.object({ kind: z.literal('percent'), bp: z.number().int().min(1).max(10_000) }),
  /** A fixed amount off the lines in scope (never more than they cost). */
  z.object({ kind: z.literal('amount'), amount: minorSchema.positive() }),
  /** One SKU at a fixed unit price. */
  z.object({
    kind: z.literal('fixed-price'),
    sku: z.string().min(1),
    price: minorSchema.nonnegative(),
  }),
  /** Buy `buy` units in scope, get the cheapest `get` of them free. */
  z.object({
    kind: z.literal('buy-x-get-y'),
    buy: z.number().int().min(1).max(100),
    get: z.number().int().min(1).max(100),
  }),
]);
export type Offer = z.infer<typeof offerSchema>;

export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({
    kind: z.literal('categories'),
    categories: z.array(z.string().min(1)).min(1).max(50),
  }),
  z.object({ kind: z.literal('skus'), skus: z.array(z.string().min(1)).min(1).max(500) }),
  z.object({ kind: z.literal('drop'), dropId: z.string().min(1) }),
]);
export type Scope = z.infer<typeof scopeSchema>;

export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anyone') }),
  z.object({ kind: z.literal('members') }),
  z.object({ kind: z.literal('tier'), tier: tierSchema }),
]);
export type Audience = z.infer<typeof audienceSchema>;

export const campaignSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'A campaign id is letters, digits, - or _'),
  name: z.string().trim().min(1).max(80),
  /** Four letters printed at the front of its codes, e.g. DROP in DROP-7K3M-Q9XT. */
  prefix: z.string().regex(/^[A-Z]{2,6}$/, 'A code prefix is 2–6 capital letters'),
  offer: offerSchema,
  scope: scopeSchema,
  startsAt: isoTime,
  endsAt: isoTime,
  audience: audienceSchema,
  /** null: unlimited. */
  maxUsesPerCode: z.number().int().positive().nullable(),
  maxUsesPerCustomer: z.number().int().positive().nullable(),
  /** Total discount the campaign may give, in minor units; null: no budget. */
  budget: minorSchema.positive().nullable(),
  /** e.g. "instagram", "live-stream", "receipt", "member". */
  channel: z.string().trim().min(1).max(40),
  /** The creator or promoter the campaign pays, if any. */
  promoter: z.string().trim().min(1).max(80).nullable(),
  /** What the promoter is paid for the campaign, in minor units. */
  promoterCost: minorSchema.nonnegative(),
  /** Whether tills may issue codes for it without the ledger. */
  tillsMayIssue: z.boolean(),
  status: z.enum(['active', 'paused']),
});
export type Campaign = z.infer<typeof campaignSchema>;

/** A key tills use to check codes offline (see the code format notes in the code module). */
export const promoKeySchema = z.discriminatedUnion('kind', [
  /** Per-store MAC key (base64url) for the short tag in typed codes. */
  z.object({
    kind: z.literal('hmac'),
    id: z.string().min(1),
    secret: z.string().min(16),
    retired: z.boolean(),
  }),
  /** A till's Ed25519 public key (hex), for QR codes it signs. */
  z.object({
    kind: z.literal('ed25519'),
    id: z.string().min(1),
    deviceId: z.string(),
    publicKey: z.string().regex(/^[0-9a-f]{64}$/),
  }),
]);
export type PromoKey = z.infer<typeof promoKeySchema>;

/** How often a code (and a member, per campaign) has been used across all tills, as the ledger knew at the last pull. */
export const codeUsageSchema = z.object({
  code: z.string(),
  campaignId: z.string(),
  memberId: z.string().nullable(),
  uses: z.number().int().min(0),
  discount: minorSchema.nonnegative(),
});
export type CodeUsage = z.infer<typeof codeUsageSchema>;

/** Fact: a code was redeemed in a sale (pushed in the same transaction as the sale). */
export const promoRedeemedSchema = z.object({
  saleId: z.string(),
  deviceId: z.string(),
  code: z.string().min(1).max(200),
  campaignId: z.string(),
  memberId: z.string().nullable(),
  discount: minorSchema.nonnegative(),
});
export type PromoRedeemed = z.infer<typeof promoRedeemedSchema>;

/** Fact: a till issued a code (at checkout, in a batch for a creator, or a member claim). */
export const promoIssuedSchema = z.object({
  deviceId: z.string(),
  campaignId: z.string(),
  codes: z.array(z.string().min(1).max(200)).min(1).max(5_000),
  saleId: z.string().nullable(),
  memberId: z.string().nullable(),
});
export type PromoIssued = z.infer<typeof promoIssuedSchema>;
