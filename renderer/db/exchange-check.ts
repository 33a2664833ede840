// An exchange as its new sale commits: the goods coming back checked again, and the sale's exchange tender against what they are worth now.
import { formatMoney } from '../../shared/money';
import type { PosDb } from './db';
import { type PreparedReturn, prepareReturnIn } from './return-commit';
import type { SaleDraft } from './sales-repo';

/** What the new sale of an exchange takes of the returned goods' value: all of it, up to the new total. */
export function exchangeTenderAmount(returnValue: number, newTotal: number): number {
  return Math.max(0, Math.min(returnValue, newTotal));
}

/**
 * The goods coming back in an exchange, checked as the sale commits (quantity, policy, method),
 * and the sale's exchange tender against what they are worth now. Reads only.
 */
export async function checkExchange(
  db: PosDb,
  draft: SaleDraft,
  now: Date,
): Promise<
  | { ok: true; prepared: PreparedReturn | null }
  | { ok: false; code: 'exchange-changed' | 'exchange-refused'; message: string }
> {
  const taken = draft.tenders.filter((t) => t.kind === 'exchange');
  const takenTotal = taken.reduce((n, t) => n + t.amount, 0);
  if (!draft.exchange) {
    return taken.length === 0
      ? { ok: true, prepared: null }
      : {
          ok: false,
          code: 'exchange-changed',
          message:
            'This sale has an exchange payment but no goods coming back: take payment again.',
        };
  }
  const prepared = await prepareReturnIn(
    db,
    { ...draft.exchange, method: 'exchange', staff: draft.staff, shiftId: draft.shiftId },
    now,
    takenTotal,
  );
  if (!prepared.ok) return { ok: false, code: 'exchange-refused', message: prepared.message };
  const due = exchangeTenderAmount(prepared.quote.refundTotal, draft.cart.total);
  if (taken.length > 1 || takenTotal !== due) {
    const money = (m: number) => formatMoney(m, prepared.sale.currency);
    return {
      ok: false,
      code: 'exchange-changed',
      message: `The returned goods now take ${money(due)} off this sale, not ${money(takenTotal)}: take payment again.`,
    };
  }
  return { ok: true, prepared };
}
