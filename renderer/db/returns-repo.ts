// Returns on the till: finding the sale, quoting what may come back, and committing a return with its refund, stock and credit note.
import type { Minor } from '../../shared/money';
import { parseReceiptNumber, RECEIPT_DIGITS } from '../../shared/receipt-number';
import type { OverrideResult, ReturnVerdict } from '../../shared/returns/policy';
import type { RefundPart } from '../../shared/returns/refund-tenders';
import type {
  RefundMethod,
  ReturnCondition,
  ReturnReason,
  SaleReturn,
} from '../../shared/returns/return-fact';
import type { PriorReturnLine } from '../../shared/returns/returnable';
import type { Sale } from '../../shared/sale';
import {
  type ReturnedLine,
  type SaleLookupResponse,
  saleLookupResponseSchema,
} from '../../shared/sync';
import type { IssuedCreditNote } from './credit-notes-repo';
import { getSetting, type PosDb } from './db';
import { prepareReturnIn, returnTables, writeReturnIn } from './return-commit';
import { quoteIn, returnedSoFarOf } from './return-quote';

export {
  type CreditCheck,
  checkCreditNote,
  type IssuedCreditNote,
} from './credit-notes-repo';
export { formatReturnNumber } from './return-commit';

/** A sale found for a return, with every return of it this till knows of. */
export interface ReturnableSale {
  sale: Sale;
  /** Where it was found: this till's own sales, the store's recent sales from pull, or the ledger. */
  source: 'this-till' | 'store-index' | 'ledger';
  /**
   * Units already returned per line: this till's own returns, plus what the ledger counted at
   * other tills. Pass to `returnableQty(sale, lineNo, returnedSoFar)` for what may still come back.
   */
  returnedSoFar: PriorReturnLine[];
  /** Returns of this sale made on this till (for reprints and "already returned"). */
  returns: SaleReturn[];
}

export type FindSaleResult =
  | { ok: true; found: ReturnableSale }
  | { ok: false; code: 'not-found' | 'invalid' | 'offline'; message: string };

/**
 * Find a sale to return. `text`: a receipt number ("T2-000042", "t2-42", or "42" for this
 * till's own), or a scanned receipt QR (the sale id, a ULID). Looks in this till's sales, then
 * the store index from pull (other tills' sales of the last RETURNED_WINDOW_DAYS days), then —
 * when `lookup` is given (see `lookupSale` in renderer/sync/sale-lookup.ts) — the ledger.
 * `lookup` answers null when the till is offline or the ledger does not know the sale: the
 * result is then `offline` (no lookup possible) or `not-found`.
 */
export async function findSaleForReturn(
  db: PosDb,
  text: string,
  opts: { lookup?: (key: string) => Promise<SaleLookupResponse | null> } = {},
): Promise<FindSaleResult> {
  const t = (text ?? '').trim();
  if (t.length === 0 || t.length > 200) {
    return { ok: false, code: 'invalid', message: 'Scan the receipt’s code or type its number.' };
  }
  const device = await getSetting(db, 'device');
  const byId = ULID.test(t.toUpperCase());
  const key = byId ? t.toUpperCase() : receiptKey(t, device?.prefix ?? '');
  if (!key) {
    return {
      ok: false,
      code: 'invalid',
      message: `“${t}” is not a receipt number: they look like T1-000042.`,
    };
  }
  const what = byId ? 'That receipt' : `Receipt ${key}`;
  const local = await db.transaction('r', [db.sales, db.storeSales], async () => {
    const own = byId
      ? await db.sales.get(key)
      : await db.sales.where('receiptNumber').equals(key).first();
    if (own) return { sale: own, source: 'this-till' as const };
    const other = byId
      ? await db.storeSales.get(key)
      : await db.storeSales.where('receiptNumber').equals(key).first();
    return other ? { sale: other, source: 'store-index' as const } : null;
  });
  if (local) {
    return { ok: true, found: await withReturns(db, local.sale, local.source, null) };
  }
  if (!opts.lookup) {
    const standalone = (await getSetting(db, 'mode')) !== 'ledger';
    return standalone
      ? { ok: false, code: 'not-found', message: `${what} is not a sale of this till.` }
      : {
          ok: false,
          code: 'offline',
          message: `${what} is not on this till, and the ledger cannot be asked now: connect and try again.`,
        };
  }
  const answer = await opts.lookup(key);
  const parsed = answer ? saleLookupResponseSchema.safeParse(answer) : null;
  if (!parsed?.success) {
    return {
      ok: false,
      code: 'not-found',
      message: `${what} was not found on this till or at the ledger (or the ledger cannot be reached): check the number.`,
    };
  }
  const store = await getSetting(db, 'store');
  if (store && parsed.data.sale.currency !== store.currency) {
    return {
      ok: false,
      code: 'not-found',
      message: `${what} is a sale of another store: it cannot be returned here.`,
    };
  }
  return {
    ok: true,
    found: await withReturns(db, parsed.data.sale, 'ledger', parsed.data.returnedLines),
  };
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** "T1-000042", "t1-42" or just "42" (this till's prefix) → the receipt number as stored. */
function receiptKey(text: string, prefix: string): string | null {
  const parsed = parseReceiptNumber(/^\d+$/.test(text) ? `${prefix}-${text}` : text);
  return parsed ? `${parsed.devicePrefix}-${String(parsed.n).padStart(RECEIPT_DIGITS, '0')}` : null;
}

async function withReturns(
  db: PosDb,
  sale: Sale,
  source: ReturnableSale['source'],
  lookup: ReturnedLine[] | null,
): Promise<ReturnableSale> {
  return db.transaction('r', [db.returns, db.returnedLines, db.outbox, db.settings], async () => ({
    sale,
    source,
    returnedSoFar: await returnedSoFarOf(db, sale, lookup),
    returns: await db.returns.where('saleId').equals(sale.id).sortBy('createdAt'),
  }));
}

/** One line the customer brings back: how many, why, and in what state. */
export interface ReturnLineDraft {
  /** 1-based line number on the original sale. */
  lineNo: number;
  qty: number;
  reason: ReturnReason;
  condition: ReturnCondition;
}

export interface ReturnQuoteLine extends ReturnLineDraft {
  name: string;
  sku: string;
  /** What goes back for these units, pro-rated from what was paid (0 when refused). */
  refund: Minor;
  /** The policy's verdict on the line (after a manager's override, when one is given and allowed). */
  verdict: ReturnVerdict | Extract<OverrideResult, { ok: true }>;
  /** The line's stricter-tier note as the receipt prints it ("Drop item: exchange only, 7 days"), or null. */
  tierNote: string | null;
}

export interface ReturnQuote {
  lines: ReturnQuoteLine[];
  /** Sum of the lines' refunds. */
  refundTotal: Minor;
  /** Methods every line allows (after an override); empty when any line is refused. */
  methods: RefundMethod[];
  /** Lines that cannot come back as asked, in words (lineNo 0: the return as a whole); a quote with refusals cannot be recorded. */
  refusals: { lineNo: number; message: string }[];
  /** Where the money would go, per method (from planRefundTenders); empty arrays when it cannot. */
  plan: Record<'original-tender' | 'store-credit', RefundPart[]>;
}

/**
 * What a return of these lines would refund, line by line, and what the policy allows. Reads
 * only: the same checks run again when the return is recorded. With `override`, refused lines a
 * manager may override are allowed by their tier's (or the policy's override) methods.
 */
export async function quoteReturn(
  db: PosDb,
  found: ReturnableSale,
  lines: ReturnLineDraft[],
  opts: { override?: { approvedBy: string; reason: string }; now?: Date } = {},
): Promise<ReturnQuote> {
  return db.transaction('r', [db.settings, db.drops, db.returns], async () =>
    quoteIn(db, found, lines, opts),
  );
}

export interface ReturnDraft {
  found: ReturnableSale;
  lines: ReturnLineDraft[];
  method: 'original-tender' | 'store-credit' | 'exchange';
  /** The card terminal's refund reference, one per card part of the plan, in order. */
  cardRefundReferences?: string[];
  override?: { approvedBy: string; reason: string };
  staff: { id: string; name: string };
  shiftId: string;
  note?: string;
}

export type ReturnCommit =
  | { ok: true; saleReturn: SaleReturn; creditNote: IssuedCreditNote | null }
  | { ok: false; code: string; message: string };

/**
 * Record a return in one strict transaction: re-checks the returnable quantity (own returns +
 * the ledger's returned lines from pull), the policy and the refund plan at this moment; writes
 * the return (next return number, T1-R-000007), its `sale.returned` fact, resaleable units back
 * to stock (damaged ones are not), and for store credit the credit note. On refusal nothing is
 * written. Method 'exchange' is refused here: use `recordSale` with `exchange`.
 */
export async function recordReturn(
  db: PosDb,
  draft: ReturnDraft,
  now = new Date(),
): Promise<ReturnCommit> {
  if (draft.method === 'exchange') {
    return {
      ok: false,
      code: 'exchange-needs-sale',
      message: 'An exchange is recorded with the new sale: add the new items and take payment.',
    };
  }
  return db.transaction('rw', returnTables(db), async (): Promise<ReturnCommit> => {
    const prepared = await prepareReturnIn(db, draft, now);
    if (!prepared.ok) return prepared;
    return { ok: true, ...(await writeReturnIn(db, prepared, now)) };
  });
}

/** Other names the screens use for the same shapes. */
export type FoundSale = ReturnableSale;
export type ReturnLineInput = ReturnLineDraft;
