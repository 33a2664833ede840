// A campaign as the manager's form holds it (text fields) and its conversion to and from the campaign schema.

import { fractionDigits, parseMoney } from '../../../shared/money';
import { type Campaign, campaignSchema } from '../../../shared/promo';

export interface CampaignDraft {
  id: string;
  name: string;
  prefix: string;
  offerKind: Campaign['offer']['kind'];
  /** Percent (e.g. "10"), an amount ("5.00"), or a fixed price. */
  offerValue: string;
  offerSku: string;
  buy: string;
  get: string;
  scopeKind: Campaign['scope']['kind'];
  /** Categories or SKUs, comma-separated; or a drop id. */
  scopeValue: string;
  startsOn: string;
  endsOn: string;
  audienceKind: Campaign['audience']['kind'];
  tier: string;
  maxUsesPerCode: string;
  maxUsesPerCustomer: string;
  budget: string;
  channel: string;
  promoter: string;
  promoterCost: string;
  tillsMayIssue: boolean;
  /** Only the signed QR form of a code is taken; typed codes are refused. */
  signedOnly: boolean;
  status: Campaign['status'];
}

/** Minor units as the form shows them: 450 → "4.50" (no symbol, so it parses back). */
function plain(m: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (m / 10 ** digits).toFixed(digits);
}

const day = (iso: string) => iso.slice(0, 10);
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const count = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

export function emptyDraft(now: Date): CampaignDraft {
  const in30 = new Date(now.getTime() + 30 * 86_400_000);
  return {
    id: '',
    name: '',
    prefix: '',
    offerKind: 'percent',
    offerValue: '10',
    offerSku: '',
    buy: '2',
    get: '1',
    scopeKind: 'all',
    scopeValue: '',
    startsOn: day(now.toISOString()),
    endsOn: day(in30.toISOString()),
    audienceKind: 'anyone',
    tier: '',
    maxUsesPerCode: '1',
    maxUsesPerCustomer: '',
    budget: '',
    channel: 'receipt',
    promoter: '',
    promoterCost: '0',
    tillsMayIssue: true,
    signedOnly: false,
    status: 'active',
  };
}

export function draftOf(c: Campaign, currency: string): CampaignDraft {
  const money = (m: number) => plain(m, currency);
  const o = c.offer;
  return {
    ...emptyDraft(new Date(c.startsAt)),
    id: c.id,
    name: c.name,
    prefix: c.prefix,
    offerKind: o.kind,
    offerValue:
      o.kind === 'percent'
        ? String(o.bp / 100)
        : o.kind === 'amount'
          ? money(o.amount)
          : o.kind === 'fixed-price'
            ? money(o.price)
            : '',
    offerSku: o.kind === 'fixed-price' ? o.sku : '',
    buy: o.kind === 'buy-x-get-y' ? String(o.buy) : '2',
    get: o.kind === 'buy-x-get-y' ? String(o.get) : '1',
    scopeKind: c.scope.kind,
    scopeValue:
      c.scope.kind === 'categories'
        ? c.scope.categories.join(', ')
        : c.scope.kind === 'skus'
          ? c.scope.skus.join(', ')
          : c.scope.kind === 'drop'
            ? c.scope.dropId
            : '',
    startsOn: day(c.startsAt),
    endsOn: day(new Date(Date.parse(c.endsAt) - 1).toISOString()),
    audienceKind: c.audience.kind,
    tier: c.audience.kind === 'tier' ? c.audience.tier : '',
    maxUsesPerCode: c.maxUsesPerCode === null ? '' : String(c.maxUsesPerCode),
    maxUsesPerCustomer: c.maxUsesPerCustomer === null ? '' : String(c.maxUsesPerCustomer),
    budget: c.budget === null ? '' : money(c.budget),
    channel: c.channel,
    promoter: c.promoter ?? '',
    promoterCost: money(c.promoterCost),
    tillsMayIssue: c.tillsMayIssue,
    signedOnly: c.signedOnly === true,
    status: c.status,
  };
}

export type DraftCheck = { ok: true; campaign: Campaign } | { ok: false; message: string };

/** Build the campaign and check it with the shared schema; the first problem in plain words. */
export function campaignFromDraft(d: CampaignDraft, currency: string): DraftCheck {
  const money = (text: string, what: string): number | string => {
    const m = parseMoney(text, currency);
    return m === null ? `Enter ${what} as an amount, e.g. 5 or 4.50.` : m;
  };
  let offer: unknown;
  if (d.offerKind === 'percent') {
    const pct = Number(d.offerValue.replace(',', '.'));
    offer = { kind: 'percent', bp: Math.round(pct * 100) };
  } else if (d.offerKind === 'amount' || d.offerKind === 'fixed-price') {
    const m = money(d.offerValue, d.offerKind === 'amount' ? 'the amount off' : 'the price');
    if (typeof m === 'string') return { ok: false, message: m };
    offer =
      d.offerKind === 'amount'
        ? { kind: 'amount', amount: m }
        : { kind: 'fixed-price', sku: d.offerSku.trim(), price: m };
  } else {
    offer = { kind: 'buy-x-get-y', buy: Number(d.buy), get: Number(d.get) };
  }
  const scope =
    d.scopeKind === 'all'
      ? { kind: 'all' }
      : d.scopeKind === 'categories'
        ? { kind: 'categories', categories: list(d.scopeValue) }
        : d.scopeKind === 'skus'
          ? { kind: 'skus', skus: list(d.scopeValue) }
          : { kind: 'drop', dropId: d.scopeValue.trim() };
  const budget = d.budget.trim() === '' ? null : money(d.budget, 'the budget');
  if (typeof budget === 'string') return { ok: false, message: budget };
  const cost = money(d.promoterCost || '0', 'the promoter’s cost');
  if (typeof cost === 'string') return { ok: false, message: cost };
  const starts = Date.parse(`${d.startsOn}T00:00:00Z`);
  // The end day is included: the campaign runs until the start of the next day.
  const ends = Date.parse(`${d.endsOn}T00:00:00Z`) + 86_400_000;
  if (Number.isNaN(starts) || Number.isNaN(ends)) {
    return { ok: false, message: 'Enter the first and last day of the campaign.' };
  }
  if (ends <= starts) return { ok: false, message: 'The last day is before the first day.' };
  const parsed = campaignSchema.safeParse({
    id: d.id.trim(),
    name: d.name,
    prefix: d.prefix.trim().toUpperCase(),
    offer,
    scope,
    startsAt: new Date(starts).toISOString(),
    endsAt: new Date(ends).toISOString(),
    audience:
      d.audienceKind === 'tier' ? { kind: 'tier', tier: d.tier.trim() } : { kind: d.audienceKind },
    maxUsesPerCode: count(d.maxUsesPerCode),
    maxUsesPerCustomer: count(d.maxUsesPerCustomer),
    budget,
    channel: d.channel,
    promoter: d.promoter.trim() === '' ? null : d.promoter,
    promoterCost: cost,
    tillsMayIssue: d.tillsMayIssue,
    ...(d.signedOnly ? { signedOnly: true } : {}),
    status: d.status,
  });
  if (parsed.success) return { ok: true, campaign: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join(' ') ?? '';
  return { ok: false, message: `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}` };
}
