// The returns policy: which tier a sale line falls under, how long it may come back, how money may go back, and a manager's override.
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { Sale } from '../sale';
import {
  DEFAULT_RETURN_POLICY,
  REFUND_METHODS,
  type RefundMethod,
  type ReturnPolicy,
  returnPolicySchema,
  type TierRule,
} from './policy-schema';
import { dayPhrase, methodPhrase, TIER_LABELS, windowPhrase } from './policy-words';
import type { ReturnCondition, ReturnReason } from './return-fact';

export { DEFAULT_RETURN_POLICY, type ReturnPolicy, returnPolicySchema, type TierRule };

/*
 * The rules, per line of a sale:
 * 1. Tiers. A line is `final-sale` when its SKU is in the store's final-sale list; `drop` when it
 *    sold from a drop; `discounted` when its own discount (with promo) is at least `discountedFromBp`
 *    of its gross, or it sold at a drop's early-bird step (a ladder step that is not the last: a
 *    till that no longer knows the drop's ladder counts any step as early-bird, erring strict);
 *    `standard` when none of these applies.
 * 2. The strictest applies. When several tiers apply, the line may go back only by the methods all
 *    of them allow, within the shortest of their windows; the tier named is the strictest by rank
 *    (final-sale, drop, discounted, standard).
 * 3. Members. A member's standard line falls under the `member` tier. A member's stricter line keeps
 *    its tier's methods but gets the longer of its window and the member window. Final sale stays
 *    final: a member widens no window of an item that allows nothing.
 * 4. Days are the store's calendar days (a sale at 23:50 is a day old ten minutes later): the day
 *    of the sale is day 0 and a line may come back while the days since the sale are at most the
 *    window. `windowEnds` is the first instant after the window: midnight in the store's time zone.
 * 5. Damaged goods come back only when the reason is `faulty`.
 * 6. Faulty goods: consumer law gives the buyer a remedy for goods that are not of satisfactory
 *    quality whatever the shop's own policy says, so a faulty line is refundable by any method
 *    within the statutory window, whatever its tier (final sale included).
 * 7. A manager may override a refusal with a recorded reason (`applyOverride`).
 */

export type ReturnTier = 'member' | 'standard' | 'discounted' | 'drop' | 'final-sale';
type SaleLine = Sale['lines'][number];

/** The rule a line falls under, before time, reason and condition are considered. */
export interface LineRule {
  tier: ReturnTier;
  /** In the stall's words, plural: "Drop items", "Early-bird drop items". */
  label: string;
  days: number;
  methods: RefundMethod[];
}

export interface LineRuleInput {
  line: SaleLine;
  /** The sale carried an active member (or the customer shows their member card now). */
  member: boolean;
  /** Steps in the ladder of the line's drop item, when the till knows the drop. */
  ladderLength?: number;
  policy: ReturnPolicy;
}

function isEarlyBird(line: SaleLine, ladderLength: number | undefined): boolean {
  const step = line.drop?.step ?? -1;
  if (step < 0) return false;
  return ladderLength === undefined || step < ladderLength - 1;
}

function isDiscounted(line: SaleLine, bp: number): boolean {
  return line.gross > 0 && line.lineDiscount * 10_000 >= bp * line.gross;
}

/** The tier of a line and what it allows (rules 1–3 above). */
export function lineRule({ line, member, ladderLength, policy }: LineRuleInput): LineRule {
  if (policy.finalSaleSkus.includes(line.sku)) {
    return { tier: 'final-sale', label: TIER_LABELS['final-sale'], days: 0, methods: [] };
  }
  const strict: { tier: ReturnTier; label: string; rule: TierRule }[] = [];
  if (line.drop) strict.push({ tier: 'drop', label: TIER_LABELS.drop, rule: policy.drop });
  const early = isEarlyBird(line, ladderLength);
  if (early || isDiscounted(line, policy.discountedFromBp)) {
    const label = early
      ? 'Early-bird drop items'
      : `Items discounted ${policy.discountedFromBp / 100}% or more`;
    strict.push({ tier: 'discounted', label, rule: policy.discounted });
  }
  if (strict.length === 0) {
    const tier = member ? 'member' : 'standard';
    const rule = member ? policy.member : policy.standard;
    return { tier, label: TIER_LABELS[tier], days: rule.days, methods: [...rule.methods] };
  }
  const [first] = strict;
  const methods = REFUND_METHODS.filter((m) => strict.every((s) => s.rule.methods.includes(m)));
  const days = Math.min(...strict.map((s) => s.rule.days));
  return {
    tier: first!.tier,
    label: member ? `${first!.label} bought by a member` : first!.label,
    days: member ? Math.max(days, policy.member.days) : days,
    methods,
  };
}

/** What a receipt prints under a line of a stricter tier ("Drop item: exchange only, 7 days"); null for the usual rule. */
export function receiptNote(rule: LineRule): string | null {
  if (rule.tier === 'standard' || rule.tier === 'member') return null;
  if (rule.tier === 'final-sale') return 'Final sale: no returns unless faulty';
  const what: Record<RefundMethod, string> = {
    'original-tender': 'refund',
    'store-credit': 'store credit',
    exchange: 'exchange',
  };
  const allowed = rule.methods.map((m) => what[m]);
  const how = allowed.length === 0 ? 'no returns' : `${allowed.join(' or ')} only`;
  const name = rule.tier === 'drop' ? 'Drop item' : 'Discounted item';
  return `${name}: ${how}, ${rule.days} days`;
}

export interface ReturnLineQuery extends Omit<LineRuleInput, 'line'> {
  sale: Sale;
  lineNo: number;
  /** When the goods come back (ISO instant): the judge has no clock of its own. */
  now: string;
  /** The store's IANA time zone, whose calendar days windows count. */
  timeZone: string;
  reason: ReturnReason;
  condition: ReturnCondition;
}

export type ReturnVerdict =
  | {
      ok: true;
      tier: ReturnTier;
      methods: RefundMethod[];
      windowEnds: string;
      /** `faulty-goods`: allowed by consumer law where the shop's own policy would not. */
      basis: 'policy' | 'faulty-goods';
    }
  | ReturnRefusal;

export type RefusalCode =
  | 'no-such-line'
  | 'not-a-time'
  | 'unknown-time-zone'
  | 'final-sale'
  | 'window-passed'
  | 'damaged';

export interface ReturnRefusal {
  ok: false;
  code: RefusalCode;
  message: string;
  /** Set when a manager may override: the line's tier and what an override allows. */
  overridable?: { tier: ReturnTier; methods: RefundMethod[]; windowEnds: string };
}

/** Store calendar days from the sale to now (0 on the sale's day), and the instant each day count ends. */
function calendar(saleIso: string, nowIso: string, timeZone: string) {
  const saleDay = Temporal.Instant.from(saleIso).toZonedDateTimeISO(timeZone).toPlainDate();
  const today = Temporal.Instant.from(nowIso).toZonedDateTimeISO(timeZone).toPlainDate();
  const since = Math.max(0, saleDay.until(today, { largestUnit: 'days' }).days);
  const endOf = (days: number) =>
    saleDay
      .add({ days: days + 1 })
      .toZonedDateTime(timeZone)
      .toInstant()
      .toString({ smallestUnit: 'millisecond' });
  return { since, endOf };
}

/** Whether (and how) one line of a sale may come back now (rules 1–6 above). */
export function judgeReturnLine(q: ReturnLineQuery): ReturnVerdict {
  const line = q.sale.lines[q.lineNo - 1];
  if (!line || !Number.isInteger(q.lineNo)) {
    return {
      ok: false,
      code: 'no-such-line',
      message: `Sale ${q.sale.receiptNumber} has no line ${q.lineNo}.`,
    };
  }
  if (!z.iso.datetime().safeParse(q.now).success) {
    return { ok: false, code: 'not-a-time', message: `“${q.now}” is not a date and time.` };
  }
  let cal: ReturnType<typeof calendar>;
  try {
    cal = calendar(q.sale.createdAt, q.now, q.timeZone);
  } catch {
    return {
      ok: false,
      code: 'unknown-time-zone',
      message: `${q.timeZone} is not a time zone this till knows.`,
    };
  }
  const rule = lineRule({ ...q, line });
  const ago = dayPhrase(cal.since);

  const statutory = q.policy.statutoryFaultyDays;
  const inPolicy = rule.methods.length > 0 && cal.since <= rule.days;
  if (q.reason === 'faulty' && cal.since <= statutory) {
    const allByPolicy = inPolicy && rule.methods.length === REFUND_METHODS.length;
    return {
      ok: true,
      tier: rule.tier,
      methods: [...REFUND_METHODS],
      windowEnds: cal.endOf(Math.max(statutory, rule.methods.length > 0 ? rule.days : 0)),
      basis: allByPolicy ? 'policy' : 'faulty-goods',
    };
  }
  const overrideMethods = rule.methods.length > 0 ? rule.methods : [...q.policy.overrideMethods];
  const overridable = {
    tier: rule.tier,
    methods: overrideMethods,
    windowEnds: cal.endOf(rule.days),
  };
  if (q.reason === 'faulty' && !(inPolicy || (rule.methods.length > 0 && rule.days > statutory))) {
    return {
      ok: false,
      code: 'window-passed',
      message: `Faulty items can be refunded ${windowPhrase(statutory)}: this sale was ${ago}.`,
      overridable,
    };
  }
  if (rule.methods.length === 0) {
    const message =
      rule.tier === 'final-sale'
        ? `${line.name} was sold as final sale: it cannot be returned or exchanged unless it is faulty.`
        : `${rule.label} cannot be returned under this store's policy unless faulty.`;
    return { ok: false, code: 'final-sale', message, overridable };
  }
  if (cal.since > rule.days) {
    return {
      ok: false,
      code: 'window-passed',
      message: `${rule.label} can ${methodPhrase(rule.methods)}, ${windowPhrase(rule.days)}: this sale was ${ago}.`,
      overridable,
    };
  }
  if (q.condition === 'damaged' && q.reason !== 'faulty') {
    return {
      ok: false,
      code: 'damaged',
      message:
        'Damaged items are taken back only when they are faulty: choose “faulty” as the reason if they were, or ask a manager.',
      overridable,
    };
  }
  return {
    ok: true,
    tier: rule.tier,
    methods: rule.methods,
    windowEnds: cal.endOf(rule.days),
    basis: 'policy',
  };
}

// A manager's override of a refusal lives beside this module; callers of the judge find it here too.
export { applyOverride, type OverrideResult, type ReturnOverride } from './override';
