// A hand-written check for the common sale fact, used before the zod schema at the ledger's push: it only ever says "certainly valid as is".
import {
  MAX_AMOUNT,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SALE_LINES,
  unsafeCharIndex,
} from './bounds';
import { MAX_QTY } from './cart';
import { isoTimeSchema, type Sale } from './sale';

/*
 * saleSchema (zod) stays the contract: it writes the OpenAPI document and gives every reason.
 * This check answers a sale only when it is sure zod accepts it AND zod's output would equal
 * the input (no unknown keys to strip, no text to trim); anything else, valid or not, goes to
 * zod. So decisions and parsed values are zod's. sale-fast-path.test.ts checks both
 * against saleSchema on generated sales. It is stricter than zod where that is simpler
 * (plain objects only, a tender reference without surrounding spaces), never laxer.
 */

type Obj = Record<string, unknown>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CURRENCY = /^[A-Z]{3}$/;

function plain(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Every own key is one of `allowed` (and every required one is checked by the caller). */
function onlyKeys(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const k of Object.keys(o)) if (!allowed.has(k)) return false;
  return true;
}

/**
 * zod counts a string's length in code points, `.length` in UTF-16 units: a character outside
 * the BMP is 2 units but 1 code point. So `max` is checked on units (never more lenient than zod)
 * and `min` on code points whenever the units alone could overstate it (a short string).
 */
function text(v: unknown, min: number, max: number): boolean {
  if (typeof v !== 'string' || v.length < min || v.length > max || unsafeCharIndex(v) >= 0) {
    return false;
  }
  if (v.length >= 2 * min) return true;
  let points = 0;
  for (const _ of v) points++;
  return points >= min;
}

const id = (v: unknown) => text(v, 1, MAX_ID_LENGTH);
const optional = (o: Obj, k: string, check: (v: unknown) => boolean) =>
  !Object.hasOwn(o, k) || check(o[k]);

function int(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

const amount = (v: unknown) => int(v, -MAX_AMOUNT, MAX_AMOUNT);
const nonNegative = (v: unknown) => int(v, 0, MAX_AMOUNT);
const positive = (v: unknown) => int(v, 1, MAX_AMOUNT);
const rate = (v: unknown) => int(v, 0, 1_000_000);

/** Text zod trims, then wants non-empty: taken only when trimming changes nothing. */
const trimmedText = (max: number) => (v: unknown) => text(v, 1, max) && (v as string).trim() === v;

const DISCOUNT_PERCENT = new Set(['kind', 'bp']);
const DISCOUNT_AMOUNT = new Set(['kind', 'amount']);

function discount(v: unknown): boolean {
  if (!plain(v)) return false;
  if (v.kind === 'percent') return onlyKeys(v, DISCOUNT_PERCENT) && int(v.bp, 0, 10_000);
  if (v.kind === 'amount') return onlyKeys(v, DISCOUNT_AMOUNT) && nonNegative(v.amount);
  return false;
}

const DROP = new Set(['dropId', 'step', 'tier', 'fastFulfilment']);

function drop(v: unknown): boolean {
  return (
    plain(v) &&
    onlyKeys(v, DROP) &&
    text(v.dropId, 0, MAX_ID_LENGTH) &&
    int(v.step, -1, 1_000) &&
    text(v.tier, 0, MAX_ID_LENGTH) &&
    typeof v.fastFulfilment === 'boolean'
  );
}

const LINE = new Set([
  'lineId',
  'sku',
  'name',
  'unitPrice',
  'qty',
  'taxClassId',
  'discount',
  'drop',
  'promoDiscount',
  'gross',
  'lineDiscount',
  'orderDiscountShare',
  'net',
  'ratePpm',
  'tax',
  'total',
]);

function line(v: unknown): boolean {
  return (
    plain(v) &&
    onlyKeys(v, LINE) &&
    id(v.lineId) &&
    id(v.sku) &&
    text(v.name, 1, MAX_NAME_LENGTH) &&
    nonNegative(v.unitPrice) &&
    int(v.qty, 1, MAX_QTY) &&
    id(v.taxClassId) &&
    optional(v, 'discount', discount) &&
    optional(v, 'drop', drop) &&
    optional(v, 'promoDiscount', nonNegative) &&
    amount(v.gross) &&
    amount(v.lineDiscount) &&
    amount(v.orderDiscountShare) &&
    amount(v.net) &&
    rate(v.ratePpm) &&
    amount(v.tax) &&
    amount(v.total)
  );
}

const BAND = new Set(['taxClassId', 'ratePpm', 'base', 'tax']);

function band(v: unknown): boolean {
  return (
    plain(v) &&
    onlyKeys(v, BAND) &&
    text(v.taxClassId, 0, MAX_ID_LENGTH) &&
    rate(v.ratePpm) &&
    amount(v.base) &&
    amount(v.tax)
  );
}

const TENDER_KEYS: Record<string, ReadonlySet<string>> = {
  cash: new Set(['kind', 'amount']),
  card: new Set(['kind', 'amount', 'reference']),
  'store-credit': new Set(['kind', 'amount', 'code']),
  exchange: new Set(['kind', 'amount', 'returnId']),
};

function tender(v: unknown): boolean {
  if (!plain(v) || typeof v.kind !== 'string') return false;
  if (!Object.hasOwn(TENDER_KEYS, v.kind)) return false;
  if (!onlyKeys(v, TENDER_KEYS[v.kind] as ReadonlySet<string>) || !positive(v.amount)) return false;
  if (v.kind === 'card') return optional(v, 'reference', trimmedText(40));
  if (v.kind === 'store-credit') return trimmedText(MAX_ID_LENGTH)(v.code);
  if (v.kind === 'exchange') return id(v.returnId);
  return true;
}

function list(v: unknown, min: number, max: number, item: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v) || v.length < min || v.length > max) return false;
  // Only indexes, no holes: as JSON.parse makes arrays (zod's copy would drop anything else).
  if (Object.keys(v).length !== v.length) return false;
  for (const x of v) if (!item(x)) return false;
  return true;
}

const SALE = new Set([
  'id',
  'receiptNumber',
  'deviceId',
  'seq',
  'shiftId',
  'staffId',
  'staffName',
  'approvedBy',
  'createdAt',
  'memberId',
  'currency',
  'pricesIncludeTax',
  'lines',
  'orderDiscount',
  'subtotal',
  'discountTotal',
  'tax',
  'taxBands',
  'total',
  'rounding',
  'tenders',
  'change',
]);

/** The sale itself when saleSchema would accept it unchanged; null when only zod can say. */
export function plainSale(v: unknown): Sale | null {
  const ok =
    plain(v) &&
    onlyKeys(v, SALE) &&
    typeof v.id === 'string' &&
    ULID.test(v.id) &&
    text(v.receiptNumber, 3, MAX_ID_LENGTH) &&
    id(v.deviceId) &&
    int(v.seq, 1, Number.MAX_SAFE_INTEGER) &&
    id(v.shiftId) &&
    id(v.staffId) &&
    text(v.staffName, 0, MAX_NAME_LENGTH) &&
    optional(v, 'approvedBy', (x) => text(x, 0, MAX_ID_LENGTH)) &&
    typeof v.createdAt === 'string' &&
    isoTimeSchema.safeParse(v.createdAt).success &&
    optional(v, 'memberId', (x) => text(x, 0, MAX_ID_LENGTH)) &&
    typeof v.currency === 'string' &&
    CURRENCY.test(v.currency) &&
    typeof v.pricesIncludeTax === 'boolean' &&
    list(v.lines, 1, MAX_SALE_LINES, line) &&
    optional(v, 'orderDiscount', discount) &&
    nonNegative(v.subtotal) &&
    nonNegative(v.discountTotal) &&
    nonNegative(v.tax) &&
    list(v.taxBands, 0, MAX_SALE_LINES, band) &&
    nonNegative(v.total) &&
    amount(v.rounding) &&
    list(v.tenders, 0, MAX_SALE_LINES, tender) &&
    nonNegative(v.change);
  return ok ? (v as unknown as Sale) : null;
}
