// An exchange's credit on the Pay screen: the tender already applied (never more than the new total) and what goes back as store credit.
import type { Minor } from '../../../shared/money';
import type { Tender } from '../../../shared/tender';
import { exchangeTenderAmount, type SaleDraft } from '../../db/sales-repo';
import { type PendingExchange, useExchange } from '../../state/exchange';
import { useMoney } from '../../ui/money';

/** recordSale puts the new return's id in place of this one. */
const RETURN_ID_PENDING = 'pending';

export interface ExchangeTender {
  exchange: PendingExchange | null;
  /** What the returned goods pay of the new sale. */
  amount: Minor;
  /** The exchange tender to settle and record with the sale (empty without an exchange). */
  tenders: Tender[];
  /** The sale draft's `exchange`, when there is one. */
  draft: Pick<SaleDraft, 'exchange'>;
}

export function useExchangeTender(total: Minor | undefined): ExchangeTender {
  const exchange = useExchange((x) => x.exchange);
  const amount = exchange && total !== undefined ? exchangeTenderAmount(exchange.credit, total) : 0;
  return {
    exchange,
    amount,
    tenders: amount > 0 ? [{ kind: 'exchange', amount, returnId: RETURN_ID_PENDING }] : [],
    draft: exchange
      ? {
          exchange: {
            found: exchange.found,
            lines: exchange.lines,
            ...(exchange.override ? { override: exchange.override } : {}),
            ...(exchange.note ? { note: exchange.note } : {}),
          },
        }
      : {},
  };
}

/** The exchange's line in the payments list. */
export function ExchangeTenderRow({ exchange, amount }: ExchangeTender) {
  const money = useMoney();
  if (!exchange || amount === 0) return null;
  return (
    <li data-testid="exchange-tender">
      <span>Exchange credit from {exchange.found.sale.receiptNumber}</span>
      <span>{money(amount)}</span>
    </li>
  );
}

/** Returned goods worth more than the new ones: the rest is a credit note, never cash. */
export function ExchangeRest({ exchange, amount }: ExchangeTender) {
  const money = useMoney();
  if (!exchange || exchange.credit <= amount) return null;
  return (
    <p className="banner" data-testid="exchange-rest">
      The returned goods are worth {money(exchange.credit)}: the other{' '}
      {money(exchange.credit - amount)} goes back to the customer as store credit (a credit note).
    </p>
  );
}
