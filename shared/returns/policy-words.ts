// The returns policy in plain words: tier names, allowed methods and windows as a cashier reads them to a customer.
import type { RefundMethod } from './return-fact';

/** Plural names of the tiers, as a refusal starts: "Drop items can only be exchanged…". */
export const TIER_LABELS = {
  member: 'Member purchases',
  standard: 'Items',
  discounted: 'Discounted items',
  drop: 'Drop items',
  'final-sale': 'Final-sale items',
} as const;

const VERBS: Record<RefundMethod, string> = {
  'original-tender': 'refunded to the original payment',
  exchange: 'exchanged',
  'store-credit': 'returned for store credit',
};
// Exchange reads before store credit ("exchanged or returned for store credit").
const ORDER: RefundMethod[] = ['original-tender', 'exchange', 'store-credit'];

/** "only be exchanged", "be refunded to the original payment, exchanged or returned for store credit". */
export function methodPhrase(methods: readonly RefundMethod[]): string {
  const verbs = ORDER.filter((m) => methods.includes(m)).map((m) => VERBS[m]);
  if (verbs.length === 0) return 'not be returned';
  const list =
    verbs.length === 1 ? verbs[0] : `${verbs.slice(0, -1).join(', ')} or ${verbs.at(-1)}`;
  return verbs.length === ORDER.length ? `be ${list}` : `only be ${list}`;
}

/** "within 7 days", "within 1 day", "on the day of the sale". */
export function windowPhrase(days: number): string {
  if (days === 0) return 'on the day of the sale';
  return `within ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** "today", "1 day ago", "9 days ago". */
export function dayPhrase(days: number): string {
  if (days === 0) return 'today';
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}
