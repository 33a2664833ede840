// How a refund goes back: to the original tender (card first, up to what cards paid, then cash), or as store credit.
import { formatMoney, type Minor } from '../money';
import { amountPaid, type Sale } from '../sale';
import type { RefundTender } from './return-fact';

/** One part of a planned refund; the till adds the terminal's refund reference or the credit-note code. */
export type RefundPart =
  | { kind: 'cash'; amount: Minor }
  /** `originalReference`: the card payment being refunded, so the cashier refunds the right card (absent when none was taken). */
  | { kind: 'card'; amount: Minor; originalReference?: string }
  | { kind: 'store-credit'; amount: Minor };

export type RefundPlan =
  | { ok: true; parts: RefundPart[] }
  | { ok: false; code: 'amount-invalid' | 'more-than-paid'; message: string };

const sum = (xs: readonly { amount: Minor }[]) => xs.reduce((n, x) => n + x.amount, 0);

/**
 * Where `amount` goes back. Store credit: one credit note. Original tender: card first, to each
 * card payment in turn up to what it paid less earlier card refunds of the sale (a card refund
 * cannot go to cash, and cards are refunded before cash so the drawer pays out as little as it
 * can), then cash up to the cash the sale kept less earlier cash refunds; whatever a sale paid some
 * other way (e.g. store credit) goes back as store credit. Never more than the sale paid in all.
 */
export function planRefundTenders(
  sale: Pick<Sale, 'total' | 'rounding' | 'tenders' | 'currency'>,
  amount: Minor,
  priorRefunds: readonly RefundTender[],
  method: 'original-tender' | 'store-credit',
): RefundPlan {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    return {
      ok: false,
      code: 'amount-invalid',
      message: 'A refund is a whole amount of zero or more.',
    };
  }
  const money = (m: Minor) => formatMoney(m, sale.currency);
  const paid = amountPaid(sale);
  const left = paid - sum(priorRefunds);
  if (amount > left) {
    return {
      ok: false,
      code: 'more-than-paid',
      message: `Only ${money(left)} of this sale is left to refund: ${money(paid)} paid, ${money(paid - left)} already refunded.`,
    };
  }
  if (amount === 0) return { ok: true, parts: [] };
  if (method === 'store-credit') return { ok: true, parts: [{ kind: 'store-credit', amount }] };

  const cards = sale.tenders.flatMap((t) => (t.kind === 'card' ? [t] : []));
  const cashKept = paid - sum(sale.tenders.filter((t) => t.kind !== 'cash'));
  const byKind = (kind: RefundTender['kind']) => sum(priorRefunds.filter((r) => r.kind === kind));
  const parts: RefundPart[] = [];
  let rest = amount;
  // Earlier card refunds used up the card payments in order.
  let cardRefunded = byKind('card');
  for (const card of cards) {
    const used = Math.min(card.amount, cardRefunded);
    cardRefunded -= used;
    const part = Math.min(rest, card.amount - used);
    if (part > 0) {
      const ref = card.reference;
      parts.push({ kind: 'card', amount: part, ...(ref ? { originalReference: ref } : {}) });
    }
    rest -= part;
  }
  const cash = Math.min(rest, Math.max(0, cashKept - byKind('cash')));
  if (cash > 0) parts.push({ kind: 'cash', amount: cash });
  rest -= cash;
  if (rest > 0) parts.push({ kind: 'store-credit', amount: rest });
  return { ok: true, parts };
}
