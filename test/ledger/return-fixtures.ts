// Return facts for ledger tests, built as a till records them (refunds pro-rated down from the line's total unless given), and sales paid with store credit or exchange credit.
import { ulid } from 'ulid';
import type { EventEnvelope } from '../../shared/events';
import {
  type RefundTender,
  type SaleReturn,
  saleReturnedSchema,
} from '../../shared/returns/return-fact';
import { type Sale, saleSchema } from '../../shared/sale';
import type { Tender } from '../../shared/tender';
import { ADMIN_TOKEN, type TestLedger } from './fixtures';

export type Till = { deviceId: string; prefix: string; token: string };
export type ReturnSpec = {
  lineNo: number;
  qty: number;
  condition?: 'resaleable' | 'damaged';
  refund?: number;
  sku?: string;
};

/** A return fact as a till records it: refunds pro-rated down from the line's total unless given. */
export function makeReturn(
  till: Till,
  seq: number,
  sale: Sale,
  specs: readonly ReturnSpec[],
  opts: {
    tender?: 'cash' | 'card' | 'store-credit';
    /** The credit note's code for a store-credit refund (default CN-<prefix>-<seq>). */
    code?: string;
    at?: Date;
    refundTotal?: number;
    reason?: 'wrong-size' | 'faulty' | 'changed-mind';
  } = {},
): EventEnvelope {
  const createdAt = (opts.at ?? new Date(Date.UTC(2026, 10, 25, 12, 30))).toISOString();
  const id = ulid(Date.parse(createdAt));
  const lines = specs.map((s) => {
    const sold = sale.lines[s.lineNo - 1];
    const refund = s.refund ?? (sold ? Math.floor((sold.total * s.qty) / sold.qty) : 100);
    return {
      lineNo: s.lineNo,
      sku: s.sku ?? sold?.sku ?? 'NO-SUCH-SKU',
      qty: s.qty,
      reason: opts.reason ?? 'wrong-size',
      condition: s.condition ?? 'resaleable',
      refund,
      method: 'original-tender' as const,
    };
  });
  const total = lines.reduce((n, l) => n + l.refund, 0);
  const kind = opts.tender ?? 'cash';
  const tender: RefundTender =
    kind === 'card'
      ? { kind, amount: total, reference: `RF-${seq}-${till.prefix}` }
      : kind === 'store-credit'
        ? { kind, amount: total, code: opts.code ?? `CN-${till.prefix}-${seq}` }
        : { kind, amount: total };
  const payload = saleReturnedSchema.parse({
    id,
    deviceId: till.deviceId,
    seq,
    returnNumber: `${till.prefix}-R-${String(seq).padStart(4, '0')}`,
    saleId: sale.id,
    saleReceiptNumber: sale.receiptNumber,
    shiftId: `shift-${till.deviceId}`,
    staffId: 'staff-aoife',
    createdAt,
    currency: 'EUR',
    lines,
    refundTotal: opts.refundTotal ?? total,
    refunds: total > 0 ? [tender] : [],
  });
  return { id, seq, type: 'sale.returned', createdAt, payload };
}

/**
 * The same sale paid with other tenders (store credit, exchange credit, card, exact cash): they
 * must pay its total exactly, so rounding and change stay 0 as the sale was made by card.
 */
export function payWith(sale: EventEnvelope, tenders: readonly Tender[]): EventEnvelope {
  const s = sale.payload as Sale;
  const paid = tenders.reduce((n, t) => n + t.amount, 0);
  if (paid !== s.total) throw new Error(`tenders pay ${paid}, the sale is ${s.total}`);
  return { ...sale, payload: saleSchema.parse({ ...s, tenders, rounding: 0, change: 0 }) };
}

/** A return whose value went (partly) into a new sale: `refunds` hand back the rest, if any. */
export function asExchange(
  ret: EventEnvelope,
  exchangeSaleId: string,
  refunds: RefundTender[] = [],
): EventEnvelope {
  const p = ret.payload as SaleReturn;
  return { ...ret, payload: saleReturnedSchema.parse({ ...p, refunds, exchangeSaleId }) };
}

/** Minor units as the day CSV writes them ("12.50"). */
export const csvEuros = (minor: number) => (minor / 100).toFixed(2);

/** The day report's CSV as the admin downloads it: one till's row, read by column name. */
export async function dayCsvRow(
  ledger: TestLedger,
  date: string,
  tillName: string,
): Promise<(column: string) => string | undefined> {
  const csv = await fetch(
    `${ledger.url}/api/v1/stores/${ledger.storeId}/reports/day.csv?date=${date}`,
    { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
  );
  const rows = (await csv.text())
    .trim()
    .split('\r\n')
    .map((r) => r.split(','));
  const header = rows[1]!;
  const row = rows.find((r) => r[0] === tillName);
  if (!row) throw new Error(`the day CSV has no row for ${tillName}`);
  return (column) => row[header.indexOf(column)];
}
