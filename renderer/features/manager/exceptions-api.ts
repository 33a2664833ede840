// The ledger's exceptions inbox as the till reads it: list the open ones, resolve one with a reason.
import { z } from 'zod';
import { exceptionSchema, type LedgerException } from '../../../shared/reports';
import type { PosDb } from '../../db/db';
import { ledgerStoreId, managerCall } from '../../sync/manager-session';

const listSchema = z.object({ exceptions: z.array(exceptionSchema) });

/** What each kind means, in the words a manager uses. */
export const EXCEPTION_KINDS: Record<string, { title: string; help: string }> = {
  'rejected-event': {
    title: 'Record the ledger refused',
    help: 'A till sent a record the ledger could not read. It is kept, not counted.',
  },
  'negative-stock': {
    title: 'Stock below zero',
    help: 'More was sold than the ledger had. Count the shelf or receive stock.',
  },
  'unknown-sku': {
    title: 'Sale of an unknown product',
    help: 'A till sold a product the ledger does not know.',
  },
  oversold: {
    title: 'Drop oversold',
    help: 'More units of a drop were sold than it had. Backorder or refund the extra.',
  },
  'double-redeemed': {
    title: 'Code used twice',
    help: 'A single-use code was redeemed on two tills while offline.',
  },
  'promo-unsigned': {
    title: 'Signed-only offer without its QR',
    help: 'A code of an offer that takes its signed QR only was typed, or came with a QR the ledger cannot verify. Honour it or charge the discount.',
  },
  'promo-code-invalid': {
    title: 'Promo code the store did not make',
    help: "A till took a code the store's keys did not make, or for an offer the ledger does not know.",
  },
  'over-limit': {
    title: 'Over the per-customer limit',
    help: 'A member bought more of a drop than the limit allows.',
  },
  'over-returned': {
    title: 'Returned more than was sold',
    help: 'Two tills took back the same goods while offline. Keep the refund or get it back.',
  },
  'return-sale-unknown': {
    title: 'Return of a sale not synced yet',
    help: 'The sale is still on an offline till. This closes by itself when it syncs.',
  },
  'credit-overspent': {
    title: 'Store credit spent twice',
    help: 'A credit note was spent on two tills while offline, beyond what it was worth. Honour the extra or charge it.',
  },
  'credit-note-unknown': {
    title: 'Credit note not synced yet',
    help: 'A sale spent a credit note whose return is still on an offline till. This closes by itself when it syncs.',
  },
  'credit-note-reused': {
    title: 'Credit note code issued twice',
    help: 'Two returns issued the same credit-note code. The note keeps its first amount; check the second refund.',
  },
  'credit-currency': {
    title: 'Store credit spent in another currency',
    help: 'A credit note was spent by a sale in a currency other than the one it was issued in.',
  },
  'exchange-mismatch': {
    title: 'Exchange does not add up',
    help: 'The exchange credit and the money handed back do not match what the returned goods were worth.',
  },
  'exchange-return-unknown': {
    title: 'Exchange of a return not synced yet',
    help: 'A sale used exchange credit from a return still on an offline till. This closes by itself when it syncs.',
  },
};

export function describeKind(kind: string) {
  return EXCEPTION_KINDS[kind] ?? { title: kind.replaceAll('-', ' '), help: '' };
}

export type { LedgerException };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; message: string };

export async function openExceptions(db: PosDb): Promise<ApiResult<LedgerException[]>> {
  const storeId = await ledgerStoreId(db);
  if (!storeId) return { ok: false, message: 'This till is not connected to a ledger.' };
  const res = await managerCall(
    db,
    `/api/v1/stores/${encodeURIComponent(storeId)}/exceptions?status=open`,
    { schema: listSchema },
  );
  return res.ok ? { ok: true, value: res.value.exceptions } : res;
}

export async function resolveException(
  db: PosDb,
  id: string,
  resolution: { resolution: string; outcome?: string },
): Promise<ApiResult<true>> {
  const res = await managerCall(db, `/api/v1/exceptions/${encodeURIComponent(id)}/resolve`, {
    method: 'POST',
    body: resolution,
    schema: z.object({ ok: z.literal(true) }).loose(),
  });
  return res.ok ? { ok: true, value: true } : res;
}
