// Promo campaigns and codes: the schemas of a campaign, its offer and scope, signing keys, and redemption facts.
import { z } from 'zod';
import { MAX_ID_LENGTH, textSchema } from './bounds';
import type { CartLine } from './cart';
import { tierSchema } from './members';
import { allocate, amountSchema, formatMoney, type Minor, minorSchema, mulDivRound } from './money';

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
  /**
   * Only the signed QR form of a code is taken (a typed code is refused, offline too): for offers
   * worth forging, since a stolen till's store key can make typed codes but not another till's signature.
   */
  signedOnly: z.boolean().optional(),
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
    /** Rotated out: tills no longer issue with it, and it still verifies the codes made with it. */
    retired: z.boolean(),
    /** Withdrawn (taken from a stolen till, say): nothing made with it verifies any more. */
    revoked: z.boolean().optional(),
  }),
  /** A till's Ed25519 public key (hex), for QR codes it signs. */
  z.object({
    kind: z.literal('ed25519'),
    id: z.string().min(1),
    deviceId: z.string(),
    publicKey: z.string().regex(/^[0-9a-f]{64}$/),
    /** Withdrawn: its signatures vouch for nothing. */
    revoked: z.boolean().optional(),
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
  saleId: textSchema(MAX_ID_LENGTH),
  deviceId: textSchema(MAX_ID_LENGTH),
  code: textSchema(200).min(1),
  campaignId: textSchema(MAX_ID_LENGTH),
  memberId: textSchema(MAX_ID_LENGTH).nullable(),
  discount: amountSchema.nonnegative(),
  /** The signed QR as scanned, when the code came that way: the ledger checks a signed-only offer's signature too. */
  qr: textSchema(512).min(1).optional(),
});
export type PromoRedeemed = z.infer<typeof promoRedeemedSchema>;

/** Fact: a till issued a code (at checkout, in a batch for a creator, or a member claim). */
export const promoIssuedSchema = z.object({
  deviceId: textSchema(MAX_ID_LENGTH),
  campaignId: textSchema(MAX_ID_LENGTH),
  codes: z.array(textSchema(200).min(1)).min(1).max(5_000),
  saleId: textSchema(MAX_ID_LENGTH).nullable(),
  memberId: textSchema(MAX_ID_LENGTH).nullable(),
});
export type PromoIssued = z.infer<typeof promoIssuedSchema>;

// ---- Offer rules: whether a campaign applies now, to whom, and what it takes off a cart. ----

export type WindowCheck =
  | { ok: true }
  | { ok: false; code: 'paused' | 'expired' | 'not-yet-valid'; message: string };

function dayMonth(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', { day: 'numeric', month: 'short', timeZone }).format(
    new Date(iso),
  );
}

/** Whether a campaign is running at `now` (active, started, not ended). */
export function campaignWindow(campaign: Campaign, now: Date, timeZone = 'UTC'): WindowCheck {
  if (campaign.status === 'paused') {
    return { ok: false, code: 'paused', message: 'This campaign is paused.' };
  }
  const t = now.getTime();
  if (t < Date.parse(campaign.startsAt)) {
    const message = `This code works from ${dayMonth(campaign.startsAt, timeZone)}.`;
    return { ok: false, code: 'not-yet-valid', message };
  }
  if (t >= Date.parse(campaign.endsAt)) {
    const message = `This code expired on ${dayMonth(campaign.endsAt, timeZone)}.`;
    return { ok: false, code: 'expired', message };
  }
  return { ok: true };
}

/** A cart line as an offer sees it; `category` comes from the catalog, the drop from `drop`. */
export type PromoLine = Pick<
  CartLine,
  'lineId' | 'sku' | 'unitPrice' | 'qty' | 'discount' | 'drop'
> & {
  category?: string | null;
};

export interface PromoUsage {
  /** Uses of this very code (synced from the ledger + this till's own). */
  codeUses: number;
  /** Uses of this campaign by this member. */
  customerUses: number;
  /** Discount the campaign has already given, in minor units. */
  budgetUsed: Minor;
}

export interface PromoInput {
  campaign: Campaign;
  lines: readonly PromoLine[];
  memberId: string | null;
  /** The member's tiers (empty when no member is identified). */
  memberTiers: readonly string[];
  usage: PromoUsage;
  now: Date;
  currency?: string;
  timeZone?: string;
}

export type PromoFailure =
  | 'paused'
  | 'expired'
  | 'not-yet-valid'
  | 'members-only'
  | 'tier-only'
  | 'used-up'
  | 'customer-limit'
  | 'budget-spent'
  | 'not-in-scope'
  | 'not-enough-items';

export type PromoResult =
  | {
      ok: true;
      /** Per cart line, only lines that get something off; set as CartLine.promoDiscount. */
      lineDiscounts: { lineId: string; amount: Minor }[];
      total: Minor;
      /** Why it applies, for the cart and the receipt. */
      reason: string;
    }
  | { ok: false; code: PromoFailure; message: string };

/** What the line costs after its own (staff) discount: the base an offer works on. */
function lineBase(line: PromoLine): Minor {
  const gross = line.unitPrice * line.qty;
  const d = line.discount;
  if (!d) return gross;
  return (
    gross - (d.kind === 'percent' ? mulDivRound(gross, d.bp, 10_000) : Math.min(d.amount, gross))
  );
}

export function inScope(scope: Scope, line: PromoLine): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'categories':
      return line.category != null && scope.categories.includes(line.category);
    case 'skus':
      return scope.skus.includes(line.sku);
    case 'drop':
      return line.drop?.dropId === scope.dropId;
  }
}

function scopeWords(scope: Scope): string {
  switch (scope.kind) {
    case 'all':
      return 'everything';
    case 'categories':
      return scope.categories.join(', ');
    case 'skus':
      return scope.skus.length === 1 ? scope.skus[0]! : 'selected items';
    case 'drop':
      return 'the drop';
  }
}

/** "10% off Hoodies", "€5.00 off everything", "Buy 2, get 1 free on Tees", "TEE-BLK-M for €15.00". */
export function describeOffer(
  campaign: Pick<Campaign, 'offer' | 'scope'>,
  currency = 'EUR',
  locale?: string,
): string {
  const { offer, scope } = campaign;
  const where = scopeWords(scope);
  switch (offer.kind) {
    case 'percent':
      return `${offer.bp / 100}% off ${where}`;
    case 'amount':
      return `${formatMoney(offer.amount, currency, locale)} off ${where}`;
    case 'fixed-price':
      return `${offer.sku} for ${formatMoney(offer.price, currency, locale)}`;
    case 'buy-x-get-y':
      return `Buy ${offer.buy}, get ${offer.get} free on ${where}`;
  }
}

/** Discount per in-scope line before any budget cap. Buy X get Y: in groups of X+Y units, the cheapest Y are free. */
function rawDiscounts(offer: Offer, lines: readonly PromoLine[], bases: readonly Minor[]): Minor[] {
  const total = bases.reduce((s, b) => s + b, 0);
  switch (offer.kind) {
    case 'percent':
      return allocate(mulDivRound(total, offer.bp, 10_000), bases);
    case 'amount':
      return allocate(Math.min(offer.amount, total), bases);
    case 'fixed-price':
      return lines.map((l, i) =>
        l.sku === offer.sku ? Math.max(0, bases[i]! - offer.price * l.qty) : 0,
      );
    case 'buy-x-get-y': {
      const units = lines.flatMap((l, i) => Array.from({ length: l.qty }, () => i));
      // Dearest first, so each group's last Y units are its cheapest.
      units.sort((a, b) => bases[b]! * lines[a]!.qty - bases[a]! * lines[b]!.qty || a - b);
      const group = offer.buy + offer.get;
      const free = lines.map(() => 0);
      units.forEach((lineIndex, n) => {
        if (n % group >= offer.buy && n - (n % group) + group <= units.length)
          free[lineIndex]! += 1;
      });
      return lines.map((l, i) => mulDivRound(bases[i]!, free[i]!, l.qty));
    }
  }
}

/**
 * What a campaign takes off a cart now, for this customer, within its limits and budget.
 * Never more than the lines cost; the amounts are line discounts (tax is computed after them).
 */
export function promoDiscount(input: PromoInput): PromoResult {
  const { campaign, usage, currency = 'EUR' } = input;
  const window = campaignWindow(campaign, input.now, input.timeZone);
  if (!window.ok) return window;
  const { audience } = campaign;
  if (audience.kind !== 'anyone' && !input.memberId) {
    return {
      ok: false,
      code: 'members-only',
      message: 'This code is for members — scan their member card first.',
    };
  }
  if (audience.kind === 'tier' && !input.memberTiers.includes(audience.tier)) {
    return { ok: false, code: 'tier-only', message: `This code is only for ${audience.tier}.` };
  }
  if (campaign.maxUsesPerCode !== null && usage.codeUses >= campaign.maxUsesPerCode) {
    const times = campaign.maxUsesPerCode === 1 ? 'once' : `${campaign.maxUsesPerCode} times`;
    return {
      ok: false,
      code: 'used-up',
      message: `This code has already been used (it works ${times}).`,
    };
  }
  if (
    input.memberId &&
    campaign.maxUsesPerCustomer !== null &&
    usage.customerUses >= campaign.maxUsesPerCustomer
  ) {
    return {
      ok: false,
      code: 'customer-limit',
      message: 'This customer has already used this offer as often as allowed.',
    };
  }
  const left =
    campaign.budget === null ? Number.POSITIVE_INFINITY : campaign.budget - usage.budgetUsed;
  if (left <= 0) {
    return { ok: false, code: 'budget-spent', message: "This campaign's budget is used up." };
  }
  const scoped = input.lines.filter((l) => inScope(campaign.scope, l));
  const offer = describeOffer(campaign, currency);
  if (scoped.length === 0) {
    return {
      ok: false,
      code: 'not-in-scope',
      message: `Nothing in the cart is in this offer (${offer}).`,
    };
  }
  const bases = scoped.map(lineBase);
  let amounts = rawDiscounts(campaign.offer, scoped, bases).map((a, i) => Math.min(a, bases[i]!));
  let total = amounts.reduce((s, a) => s + a, 0);
  if (total === 0) {
    const message =
      campaign.offer.kind === 'buy-x-get-y'
        ? `Add more items: ${offer}.`
        : `Nothing in the cart gets money off with this offer (${offer}).`;
    return { ok: false, code: 'not-enough-items', message };
  }
  let capped = false;
  if (total > left) {
    amounts = allocate(left, amounts);
    total = left;
    capped = true;
  }
  const who = campaign.promoter ? ` (creator code ${campaign.prefix})` : '';
  return {
    ok: true,
    lineDiscounts: scoped
      .map((l, i) => ({ lineId: l.lineId, amount: amounts[i]! }))
      .filter((d) => d.amount > 0),
    total,
    reason: `${offer}${who}${capped ? ' — capped at what is left of its budget' : ''}`,
  };
}
