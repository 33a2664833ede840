// Returns on the till: finding the sale, quoting what may come back, and committing a return with its refund, stock and credit note.
import type { Minor } from '../../shared/money';
import type { ReturnVerdict } from '../../shared/returns/policy';
import type { RefundPart } from '../../shared/returns/refund-tenders';
import type {
  RefundMethod,
  ReturnCondition,
  ReturnReason,
  SaleReturn,
} from '../../shared/returns/return-fact';
import type { PriorReturnLine } from '../../shared/returns/returnable';
import type { Sale } from '../../shared/sale';
import type { SaleLookupResponse } from '../../shared/sync';
import type { PosDb } from './db';

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
  _db: PosDb,
  _text: string,
  _opts?: { lookup?: (key: string) => Promise<SaleLookupResponse | null> },
): Promise<FindSaleResult> {
  throw new Error('not built yet');
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
  verdict:
    | ReturnVerdict
    | (Omit<Extract<ReturnVerdict, { ok: true }>, 'basis'> & { basis: 'override' });
  /** The line's stricter-tier note as the receipt prints it ("Drop item: exchange only, 7 days"), or null. */
  tierNote: string | null;
}

export interface ReturnQuote {
  lines: ReturnQuoteLine[];
  /** Sum of the lines' refunds. */
  refundTotal: Minor;
  /** Methods every line allows (after an override); empty when any line is refused. */
  methods: RefundMethod[];
  /** Lines that cannot come back as asked, in words; a quote with refusals cannot be recorded. */
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
  _db: PosDb,
  _found: ReturnableSale,
  _lines: ReturnLineDraft[],
  _opts?: { override?: { approvedBy: string; reason: string }; now?: Date },
): Promise<ReturnQuote> {
  throw new Error('not built yet');
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

/** A credit note as printed: the typed code, its signed QR form and its face value. */
export interface IssuedCreditNote {
  code: string;
  qr: string;
  amount: Minor;
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
  _db: PosDb,
  _draft: ReturnDraft,
  _now?: Date,
): Promise<ReturnCommit> {
  throw new Error('not built yet');
}

export type CreditCheck =
  | { ok: true; code: string; balance: Minor; currency: string }
  | {
      ok: false;
      code: 'typo' | 'unknown' | 'tampered' | 'spent' | 'currency';
      message: string;
    };

/**
 * A typed credit-note code or its scanned QR, checked offline (check symbol, keyed tag, QR
 * signature). The balance is the ledger's from the last pull (or the face value of a QR or of a
 * note issued here) less what this till spent of it since. `ok.code` is the canonical code to put
 * on a `store-credit` tender.
 */
export async function checkCreditNote(_db: PosDb, _text: string): Promise<CreditCheck> {
  throw new Error('not built yet');
}

/** Other names the screens use for the same shapes. */
export type FoundSale = ReturnableSale;
export type ReturnLineInput = ReturnLineDraft;
