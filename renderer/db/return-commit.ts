// Writing a return inside a transaction: the checks at the moment of commit, then the return, its fact, stock back and the credit note.
import type { Minor } from '../../shared/money';
import type { RefundPart } from '../../shared/returns/refund-tenders';
import {
  type RefundTender,
  type SaleReturn,
  saleReturnedSchema,
} from '../../shared/returns/return-fact';
import { type Sale, saleSchema } from '../../shared/sale';
import {
  creditIssueBlocker,
  creditIssueTables,
  type IssuedCreditNote,
  issueCreditNoteIn,
} from './credit-notes-repo';
import { getSetting, type PosDb } from './db';
import { newId, nextCounters } from './event-seq';
import { quoteIn, type ReturnQuote, returnedSoFarOf } from './return-quote';
import type { ReturnDraft } from './returns-repo';
import { adjustStock, stockTables } from './stock-levels';

/** Tables a return's checks read and its commit writes. */
export const returnTables = (db: PosDb) => [
  db.settings,
  db.sales,
  db.storeSales,
  db.returns,
  db.returnedLines,
  db.outbox,
  ...stockTables(db),
  db.drops,
  ...creditIssueTables(db),
];

/** A refusal at commit: nothing is written. */
export type ReturnRefusal = { ok: false; code: string; message: string };

export interface PreparedReturn {
  ok: true;
  sale: Sale;
  draft: ReturnDraft;
  quote: ReturnQuote;
  /** Money going back as tenders (an exchange: only the store credit for what the new sale did not take). */
  parts: RefundPart[];
}

/** "T1-R-000007": the till's prefix, R, and its own gap-free return counter. */
export function formatReturnNumber(prefix: string, n: number): string {
  return `${prefix}-R-${String(n).padStart(6, '0')}`;
}

/** The sale as this till may return it: a sale of this store it knows (or the ledger sent). */
async function checkSale(db: PosDb, draft: ReturnDraft): Promise<Sale | ReturnRefusal> {
  const parsed = saleSchema.safeParse(draft.found?.sale);
  if (!parsed.success) {
    return { ok: false, code: 'invalid', message: 'Find the sale again: this one cannot be read.' };
  }
  // The sale as this till stored it, when it holds it; else as the ledger sent it.
  const sale =
    (await db.sales.get(parsed.data.id)) ??
    (await db.storeSales.get(parsed.data.id)) ??
    parsed.data;
  const store = await getSetting(db, 'store');
  if (!store) throw new Error('This till is not set up yet (no store settings).');
  if (sale.currency !== store.currency) {
    return {
      ok: false,
      code: 'other-store',
      message: `Sale ${sale.receiptNumber} was not made in this store: it cannot be returned here.`,
    };
  }
  return sale;
}

/**
 * Everything a return must satisfy at the moment of commit, read inside the transaction: the
 * returnable quantity (this till's returns now, and the ledger's counts), the policy, the method
 * and the refund plan, card references, and that a credit note can be issued. Reads only.
 * `exchangeTaken`: for an exchange, what the new sale takes of the return's value.
 */
export async function prepareReturnIn(
  db: PosDb,
  draft: ReturnDraft,
  now: Date,
  exchangeTaken?: Minor,
): Promise<PreparedReturn | ReturnRefusal> {
  const sale = await checkSale(db, draft);
  if ('ok' in sale) return sale;
  if (!draft.staff?.id?.trim() || !draft.shiftId?.trim()) {
    return { ok: false, code: 'invalid', message: 'Log in and open a shift to take a return.' };
  }
  // This till's returns as they stand now, with the ledger's counts found earlier: a return made
  // here since the sale was found is counted, and a count seen twice counts once.
  const fresh = await returnedSoFarOf(db, sale, null);
  const found = {
    ...draft.found,
    sale,
    returnedSoFar: [...fresh, ...(draft.found.returnedSoFar ?? [])],
  };
  const quote = await quoteIn(db, found, draft.lines, { override: draft.override, now });
  if (quote.refusals.length > 0) {
    return {
      ok: false,
      code: 'refused',
      message: quote.refusals.map((r) => `Line ${r.lineNo}: ${r.message}`).join(' '),
    };
  }
  if (!quote.methods.includes(draft.method)) {
    const words = {
      'original-tender': 'a refund to the original payment',
      'store-credit': 'store credit',
      exchange: 'an exchange',
    };
    const allowed = quote.methods.map((m) => words[m]).join(' or ');
    return {
      ok: false,
      code: 'method-not-allowed',
      message: `These items cannot go back as ${words[draft.method]}: ${allowed ? `only ${allowed}` : 'no way'} is allowed.`,
    };
  }
  let parts: RefundPart[];
  if (draft.method === 'exchange') {
    if (exchangeTaken === undefined) {
      return {
        ok: false,
        code: 'exchange-needs-sale',
        message: 'An exchange is recorded with the new sale: add the new items and take payment.',
      };
    }
    const excess = quote.refundTotal - Math.min(exchangeTaken, quote.refundTotal);
    parts = excess > 0 ? [{ kind: 'store-credit', amount: excess }] : [];
  } else {
    parts = quote.plan[draft.method];
  }
  const cards = parts.filter((p) => p.kind === 'card').length;
  const refs = (draft.cardRefundReferences ?? []).map((r) => r.trim());
  if (refs.length < cards || refs.slice(0, cards).some((r) => r.length === 0)) {
    return {
      ok: false,
      code: 'card-reference-missing',
      message: 'Enter the card terminal’s refund reference for each card refund.',
    };
  }
  const used = new Set([
    ...sale.tenders.flatMap((t) => (t.kind === 'card' ? [t.reference] : [])),
    ...(draft.found.returns ?? []).flatMap((r) =>
      r.refunds.flatMap((t) => (t.kind === 'card' ? [t.reference] : [])),
    ),
    ...(await db.returns.where('saleId').equals(sale.id).toArray()).flatMap((r) =>
      r.refunds.flatMap((t) => (t.kind === 'card' ? [t.reference] : [])),
    ),
  ]);
  const mine = refs.slice(0, cards);
  if (mine.some((r, i) => used.has(r) || mine.indexOf(r) !== i)) {
    return {
      ok: false,
      code: 'card-reference-reused',
      message:
        'Each card refund needs its own reference from the terminal: that one is already used for this sale.',
    };
  }
  if (parts.some((p) => p.kind === 'store-credit')) {
    const blocker = await creditIssueBlocker(db);
    if (blocker) return { ok: false, code: 'no-store-credit', message: blocker };
  }
  return { ok: true, sale, draft, quote, parts };
}

/**
 * Write a prepared return (inside the same transaction as `prepareReturnIn`): the next return
 * number and event sequence, the `sale.returned` fact in the outbox, the credit note for a
 * store-credit part, and resaleable units back to this till's stock (damaged ones are written
 * off by the fact's condition, not put back). Resaleable drop units also count back in this
 * till's allotment while the drop runs, until the ledger's does (`loadDropData`).
 */
export async function writeReturnIn(
  db: PosDb,
  prepared: PreparedReturn,
  now: Date,
  exchangeSaleId?: string,
): Promise<{ saleReturn: SaleReturn; creditNote: IssuedCreditNote | null }> {
  const { sale, draft, quote, parts } = prepared;
  const device = await getSetting(db, 'device');
  if (!device) throw new Error('This till is not set up yet (no device settings).');
  const id = newId(now.getTime());
  const returnNo = ((await getSetting(db, 'returns'))?.returnNo ?? 0) + 1;
  await db.settings.put({ key: 'returns', value: { returnNo } });
  const { seq } = await nextCounters(db, false);
  let creditNote: IssuedCreditNote | null = null;
  const refs = (draft.cardRefundReferences ?? []).map((r) => r.trim());
  let card = 0;
  const refunds: RefundTender[] = [];
  for (const part of parts) {
    if (part.kind === 'card') refunds.push({ ...part, reference: refs[card++]! });
    else if (part.kind === 'cash') refunds.push(part);
    else {
      creditNote = await issueCreditNoteIn(
        db,
        { amount: part.amount, currency: sale.currency, returnId: id },
        now,
      );
      refunds.push({ kind: 'store-credit', amount: part.amount, code: creditNote.code });
    }
  }
  const saleReturn = saleReturnedSchema.parse({
    id,
    deviceId: device.deviceId,
    seq,
    returnNumber: formatReturnNumber(device.prefix, returnNo),
    saleId: sale.id,
    saleReceiptNumber: sale.receiptNumber,
    shiftId: draft.shiftId,
    staffId: draft.staff.id,
    createdAt: now.toISOString(),
    currency: sale.currency,
    lines: quote.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      qty: l.qty,
      reason: l.reason,
      condition: l.condition,
      refund: l.refund,
      method: draft.method,
    })),
    refundTotal: quote.refundTotal,
    refunds,
    exchangeSaleId,
    override: quote.lines.some((l) => l.verdict.ok && l.verdict.basis === 'override')
      ? draft.override
      : undefined,
    note: draft.note?.trim() || undefined,
  });
  await db.returns.add(saleReturn);
  await db.outbox.add({
    seq,
    eventId: id,
    type: 'sale.returned',
    createdAt: saleReturn.createdAt,
    payload: saleReturn,
  });
  const back = new Map<string, number>();
  for (const l of saleReturn.lines) {
    if (l.condition === 'resaleable') back.set(l.sku, (back.get(l.sku) ?? 0) + l.qty);
  }
  await adjustStock(db, back);
  return { saleReturn, creditNote };
}
