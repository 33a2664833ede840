// Report shapes the ledger serves and the manager screens read: end of day with returns (and its CSV) and the exceptions inbox.
import { z } from 'zod';
import { fractionDigits, type Minor, minorSchema } from './money';

export const dayTotalsSchema = z.object({
  saleCount: z.number().int(),
  itemCount: z.number().int(),
  /** Before discounts. */
  subtotal: minorSchema,
  discounts: minorSchema,
  tax: minorSchema,
  /** After discounts and cash rounding: what came in. */
  takings: minorSchema,
  rounding: minorSchema,
  cash: minorSchema,
  card: minorSchema,
  voidCount: z.number().int(),
  voidValue: minorSchema,
  /**
   * Paid from credit notes and by exchange credit (part of takings, never in the drawer nor on
   * the card terminal). Set by the ledger; a till's own or an older report may leave them out.
   */
  storeCredit: minorSchema.optional(),
  exchange: minorSchema.optional(),
});
export type DayTotals = z.infer<typeof dayTotalsSchema>;

/** Promo codes redeemed in the day's sales: how many, and the discount they gave. */
export const redemptionTotalsSchema = z.object({ count: z.number().int(), discount: minorSchema });
export type RedemptionTotals = z.infer<typeof redemptionTotalsSchema>;

/**
 * Goods that came back on the day (sale.returned facts, by the return's own business date) and
 * the money handed back per tender. An exchange's credit that paid for new goods is not money
 * handed back, so `total` (cash + card + store credit) can be less than the lines' refunds.
 */
export const refundTotalsSchema = z.object({
  returnCount: z.number().int(),
  returnedItems: z.number().int(),
  cash: minorSchema,
  card: minorSchema,
  storeCredit: minorSchema,
  total: minorSchema,
});
export type RefundTotals = z.infer<typeof refundTotalsSchema>;

export const emptyRefundTotals: RefundTotals = {
  returnCount: 0,
  returnedItems: 0,
  cash: 0,
  card: 0,
  storeCredit: 0,
  total: 0,
};

export function addRefundTotals(a: RefundTotals, b: RefundTotals): RefundTotals {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof RefundTotals)[]) out[k] = a[k] + b[k];
  return out;
}

/**
 * A shift with sales on the day (or opened on it). Expected cash is the float plus the cash
 * kept from ALL the shift's sales, less the cash it handed back for returns;
 * over/short = counted − expected (positive: over).
 * float/counted are null while the ledger has not got the shift's open/close facts.
 */
export const dayShiftSchema = z.object({
  shiftId: z.string(),
  deviceId: z.string(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  float: minorSchema.nullable(),
  cashTakings: minorSchema,
  /** Cash handed back for returns in the shift (the ledger always sets it; a till's own report may not yet). */
  cashRefunds: minorSchema.optional(),
  expectedCash: minorSchema.nullable(),
  countedCash: minorSchema.nullable(),
  overShort: minorSchema.nullable(),
});
export type DayShift = z.infer<typeof dayShiftSchema>;

export const dayReportSchema = z.object({
  storeId: z.string(),
  date: z.string(),
  currency: z.string(),
  tills: z.array(
    z.object({
      deviceId: z.string(),
      name: z.string(),
      prefix: z.string(),
      lastPushAt: z.string().nullable(),
      totals: dayTotalsSchema,
      redemptions: redemptionTotalsSchema,
      /** Set by the ledger; a till's own offline report may leave them out. */
      refunds: refundTotalsSchema.optional(),
      /** Takings less the money handed back for returns. */
      netTakings: minorSchema.optional(),
    }),
  ),
  combined: dayTotalsSchema,
  redemptions: redemptionTotalsSchema,
  refunds: refundTotalsSchema.optional(),
  netTakings: minorSchema.optional(),
  taxBands: z.array(z.object({ ratePpm: z.number().int(), base: minorSchema, tax: minorSchema })),
  shifts: z.array(dayShiftSchema),
  /** Device time of the day's last sale the ledger has. */
  lastSaleAt: z.string().nullable(),
  /**
   * Tills that have not pushed since that sale: they may hold sales the totals do not include
   * yet, made since their lastPushAt. missingFacts: the ledger holds later facts of the till
   * but not all earlier ones (a gap in its sequence), so some are certainly still on the till.
   */
  notSynced: z.array(
    z.object({
      deviceId: z.string(),
      name: z.string(),
      lastPushAt: z.string().nullable(),
      lastSaleAt: z.string().nullable(),
      missingFacts: z.boolean(),
    }),
  ),
});
export type DayReport = z.infer<typeof dayReportSchema>;

export const emptyDayTotals: DayTotals = {
  saleCount: 0,
  itemCount: 0,
  subtotal: 0,
  discounts: 0,
  tax: 0,
  takings: 0,
  rounding: 0,
  cash: 0,
  card: 0,
  voidCount: 0,
  voidValue: 0,
};

export function addDayTotals(a: DayTotals, b: DayTotals): DayTotals {
  const out = { ...a };
  // The optional tenders are kept only where one side has them.
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof DayTotals>;
  for (const k of keys) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}

/**
 * Takings less the money handed back for returns and less exchange credit (goods swapped for
 * goods: no money came in). A sale of 50 paid 30 by exchange + 20 cash, after a return of 30
 * settled by that exchange: net 20. Store credit counts when issued (a refund) and when spent.
 */
export function netTakingsOf(t: DayTotals, refunds: RefundTotals): Minor {
  return t.takings - refunds.total - (t.exchange ?? 0);
}

/** "12.34" (no symbol, no grouping) for spreadsheets: exact, from integer minor units. */
export function csvAmount(value: Minor, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(value);
  const sign = value < 0 ? '-' : '';
  const abs = String(Math.abs(value)).padStart(digits + 1, '0');
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvRow = (cells: (string | number | null)[]) => cells.map(csvCell).join(',');

/** The day report as CSV: a row per till and a combined row (with returns and net takings), then the shifts, then tax bands. */
export function dayReportCsv(r: DayReport): string {
  const m = (v: Minor | null) => (v === null ? null : csvAmount(v, r.currency));
  const till = (name: string, prefix: string, t: DayTotals, p: RedemptionTotals) => [
    name,
    prefix,
    t.saleCount,
    t.itemCount,
    m(t.subtotal),
    m(t.discounts),
    m(t.tax),
    m(t.takings),
    m(t.rounding),
    m(t.cash),
    m(t.card),
    t.voidCount,
    m(t.voidValue),
    p.count,
    m(p.discount),
  ];
  const refundCells = (t: DayTotals, f: RefundTotals = emptyRefundTotals) => [
    f.returnCount,
    f.returnedItems,
    m(f.cash),
    m(f.card),
    m(f.storeCredit),
    m(f.total),
    m(netTakingsOf(t, f)),
    m(t.storeCredit ?? 0),
    m(t.exchange ?? 0),
  ];
  const unsynced = new Set(r.notSynced.map((t) => t.deviceId));
  const lines = [
    csvRow([`Day report ${r.storeId} ${r.date} (${r.currency})`]),
    csvRow([
      'till',
      'prefix',
      'sales',
      'items',
      'subtotal',
      'discounts',
      'tax',
      'takings',
      'rounding',
      'cash',
      'card',
      'voids',
      'void_value',
      'promo_redemptions',
      'promo_discount',
      'last_push_at',
      'unsynced',
      'returns',
      'returned_items',
      'refunds_cash',
      'refunds_card',
      'refunds_store_credit',
      'refunds_total',
      'net_takings',
      'paid_store_credit',
      'paid_exchange',
    ]),
    ...r.tills.map((t) =>
      csvRow([
        ...till(t.name, t.prefix, t.totals, t.redemptions),
        t.lastPushAt,
        unsynced.has(t.deviceId) ? 'yes' : 'no',
        ...refundCells(t.totals, t.refunds),
      ]),
    ),
    csvRow([
      ...till('All tills', '', r.combined, r.redemptions),
      null,
      null,
      ...refundCells(r.combined, r.refunds),
    ]),
    '',
    csvRow([
      'shift',
      'till',
      'opened_at',
      'closed_at',
      'float',
      'cash_takings',
      'expected_cash',
      'counted_cash',
      'over_short',
      'cash_refunds',
    ]),
    ...r.shifts.map((s) =>
      csvRow([
        s.shiftId,
        r.tills.find((t) => t.deviceId === s.deviceId)?.prefix ?? s.deviceId,
        s.openedAt,
        s.closedAt,
        m(s.float),
        m(s.cashTakings),
        m(s.expectedCash),
        m(s.countedCash),
        m(s.overShort),
        m(s.cashRefunds ?? 0),
      ]),
    ),
    '',
    csvRow(['tax_rate_percent', 'base', 'tax']),
    ...r.taxBands.map((b) => csvRow([b.ratePpm / 10_000, m(b.base), m(b.tax)])),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** Outcomes a manager must (oversold) or may choose when resolving an exception of a kind. */
export const RESOLUTION_OUTCOMES: Readonly<Record<string, readonly string[]>> = {
  oversold: ['backorder', 'refund'],
  'double-redeemed': ['honoured', 'charged'],
  /** A signed-only offer taken without its signed QR: the discount stands, or it was charged. */
  'promo-unsigned': ['honoured', 'charged'],
  'over-limit': ['allowed', 'refund'],
  'rejected-event': ['discarded', 're-entered'],
  /** The refund stands (the customer had the goods) or the money or goods were got back. */
  'over-returned': ['refund-kept', 'recovered'],
  /** Like a double-redeemed code: the extra credit stands, or the customer paid it. */
  'credit-overspent': ['honoured', 'charged'],
};
/** Kinds whose resolution needs an outcome. */
export const OUTCOME_REQUIRED = new Set(['oversold']);

export const exceptionStatusSchema = z.enum(['open', 'resolved', 'all']);

export const exceptionListQuerySchema = z.object({
  status: exceptionStatusSchema.default('open'),
  /** One kind or several, comma-separated (e.g. "oversold,over-limit"). */
  kind: z
    .string()
    .max(200)
    .optional()
    .transform((k) => (k ? k.split(',').filter(Boolean) : [])),
});

export const exceptionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  message: z.string(),
  deviceId: z.string().nullable(),
  eventId: z.string().nullable(),
  details: z.unknown(),
  /** The fact it is about, when the ledger stored one (a quarantined fact's type and reason). */
  event: z
    .object({ type: z.string(), status: z.string(), reason: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  outcome: z.string().nullable(),
  /** What a resolution of this kind may (or must, see outcomeRequired) choose. */
  outcomes: z.array(z.string()),
  outcomeRequired: z.boolean(),
});
export type LedgerException = z.infer<typeof exceptionSchema>;

export const resolveExceptionSchema = z.object({
  resolution: z.string().trim().min(3).max(500),
  outcome: z.string().min(1).max(40).optional(),
});
export type ResolveException = z.infer<typeof resolveExceptionSchema>;

/** Cost per promoter (store-wide, one row per campaign that pays a promoter). */
export const promoterRowSchema = z.object({
  promoter: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  /** What the promoter is paid for the campaign. */
  cost: minorSchema,
  redemptions: z.number().int(),
  /** Distinct members, counting each sale without a member as one buyer. */
  buyers: z.number().int(),
  /** Sales the codes were used in, and what they came to. */
  sales: z.number().int(),
  salesTotal: minorSchema,
  /** Discount the codes gave. */
  discount: minorSchema,
  /** cost ÷ buyers, rounded half up; null when nobody bought. */
  costPerBuyer: minorSchema.nullable(),
});
export type PromoterRow = z.infer<typeof promoterRowSchema>;

export const promotersReportSchema = z.object({
  storeId: z.string(),
  rows: z.array(promoterRowSchema),
});
export type PromotersReport = z.infer<typeof promotersReportSchema>;
