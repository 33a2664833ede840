// The sale receipt document: a sale laid out as typed blocks for a fixed number of columns, ready for any printer or preview.
import type { StoreSettings } from './catalog';
import { formatMoney, type Minor } from './money';
import {
  fitRow,
  formatTime,
  HANGING_INDENT,
  padEnd,
  padStart,
  printableText,
  printedLength,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  rowBlock as row,
  ruleBlock as rule,
  type TaxTableBand,
  textBlock as text,
} from './receipt-layout';
import type { ReceiptIssuedCode } from './receipt-promo';
import { DEFAULT_RETURN_POLICY, lineRule, receiptNote } from './returns/policy';
import type { SaleReturn } from './returns/return-fact';
import { amountPaid, type Sale } from './sale';
import type { Tender } from './tender';

export {
  type Align,
  fitRow,
  isControlCharacter,
  printableText,
  printedLength,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  receiptText,
  type TaxTableBand,
  type TextSize,
  wrap,
} from './receipt-layout';

export interface ReceiptOptions {
  width: ReceiptWidth;
  /** Instead of the store's returns promise (the print CLI's --returns-text). */
  returnsText?: string;
  /** Instead of the store's shipping promise (the print CLI's --shipping-text). */
  shippingText?: string;
  /** The promo code redeemed in the sale, named under the discounts. */
  redeemed?: { code: string; label: string; discount: Minor };
  /** Codes given with the sale (a next-visit coupon): each printed as a QR with the code typed below. */
  issuedCodes?: readonly ReceiptIssuedCode[];
  /** The sale's returns this till knows of (a reprint): each returned line prints under the lines. */
  returns?: readonly SaleReturn[];
}

function formatRate(ratePpm: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(ratePpm / 10_000)}%`;
}

/** The tax breakdown as columns (rate, net, tax), or one row per band when amounts are too wide. */
function taxTable(
  sale: Sale,
  width: number,
  heading: string,
  money: (m: Minor) => string,
  locale: string,
): ReceiptBlock {
  const bands: TaxTableBand[] = sale.taxBands.map((b) => ({
    label: formatRate(b.ratePpm, locale),
    base: b.base,
    tax: b.tax,
  }));
  const rows = bands.map((b) => [b.label, money(b.base), money(b.tax)] as const);
  if (bands.length > 1) {
    const base = bands.reduce((s, b) => s + b.base, 0);
    rows.push(['Total', money(base), money(sale.tax)]);
  }
  const header = [`${heading} rate`, 'Net', heading] as const;
  const all = [header, ...rows];
  const amountWidth = Math.max(...all.flatMap((r) => [printedLength(r[1]), printedLength(r[2])]));
  const labelWidth = width - 2 * (amountWidth + 1);
  const widest = Math.max(...all.map((r) => printedLength(r[0])));
  const lines =
    labelWidth >= widest
      ? all.map(
          ([label, net, tax]) =>
            `${padEnd(label, labelWidth)} ${padStart(net, amountWidth)} ${padStart(tax, amountWidth)}`,
        )
      : rows.flatMap(([label, net, tax]) => fitRow(`${heading} ${label} on ${net}`, tax, width));
  return { kind: 'tax-table', bands, lines };
}

/**
 * Everything a thermal receipt for `sale` shows, in print order: store header, receipt
 * number, time (store's zone), staff, lines with discounts, totals, tenders and change,
 * tax bands, the store's returns and shipping promises, a QR of the sale id for returns
 * lookup, footer, cut.
 * A drawer kick leads the document when cash changed hands, so the drawer opens while
 * the receipt is still printing.
 */
export function receiptDocument(
  sale: Sale,
  store: StoreSettings,
  options: ReceiptOptions,
): ReceiptDocument {
  const width = options.width;
  const money = (m: Minor) => formatMoney(m, sale.currency, store.locale);
  const blocks: ReceiptBlock[] = [];
  const tookCash = sale.tenders.some((t) => t.kind === 'cash');
  if (tookCash) blocks.push({ kind: 'drawer-kick' });

  blocks.push(text(store.name, width, { align: 'center', bold: true, size: 'large' }));
  if (store.address.length > 0) {
    blocks.push(text(store.address.join('\n'), width, { align: 'center' }));
  }
  blocks.push(rule(width));
  blocks.push(row('Receipt', sale.receiptNumber, width));
  blocks.push(row('Date', formatTime(sale.createdAt, store), width));
  blocks.push(row('Served by', sale.staffName, width));
  blocks.push(rule(width));

  const policy = store.returnPolicy ?? DEFAULT_RETURN_POLICY;
  const member = sale.memberId !== undefined;
  for (const line of sale.lines) {
    blocks.push(row(line.name, money(line.gross), width));
    const detail = { indent: HANGING_INDENT };
    if (line.qty > 1) blocks.push(row(`${line.qty} x ${money(line.unitPrice)}`, '', width, detail));
    if (line.lineDiscount > 0) {
      blocks.push(row('Discount', money(-line.lineDiscount), width, detail));
    }
    // A line under a stricter tier than the store's usual promise says so where it is printed.
    const note = receiptNote(lineRule({ line, member, policy }));
    if (note) blocks.push(row(note, '', width, detail));
  }
  const returns = [...(options.returns ?? [])]
    .filter((r) => r.saleId === sale.id)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (returns.length > 0) {
    blocks.push(rule(width));
    blocks.push(...returnedRows(sale, returns, store, width));
  }
  blocks.push(rule(width));

  blocks.push(row('Subtotal', money(sale.subtotal), width));
  if (sale.discountTotal > 0) blocks.push(row('Discounts', money(-sale.discountTotal), width));
  const promo = options.redeemed;
  if (promo) {
    blocks.push(
      row(`${promo.label} (${promo.code})`, money(-promo.discount), width, { indent: 2 }),
    );
  }
  if (!sale.pricesIncludeTax) blocks.push(row('Tax', money(sale.tax), width));
  blocks.push(row('Total', money(sale.total), width, { bold: true, size: 'tall' }));
  if (sale.rounding !== 0) blocks.push(row('Cash rounding', money(sale.rounding), width));
  for (const t of sale.tenders) {
    blocks.push(row(tenderLabel(t), money(t.amount), width));
  }
  if (sale.change > 0) blocks.push(row('Change', money(sale.change), width, { bold: true }));
  if (returns.length > 0) {
    const refunded = returns.reduce((n, r) => n + r.refundTotal, 0);
    blocks.push(row('Refunded', money(-refunded), width));
    blocks.push(
      row('Paid less refunds', money(amountPaid(sale) - refunded), width, { bold: true }),
    );
  }

  if (sale.taxBands.length > 0) {
    blocks.push(rule(width));
    const heading = sale.pricesIncludeTax ? 'VAT' : 'Tax';
    blocks.push(taxTable(sale, width, heading, money, store.locale));
  }

  blocks.push(rule(width));
  blocks.push(...promiseBlocks(store, options, width));
  blocks.push({ kind: 'feed', lines: 1 });
  blocks.push({ kind: 'code', symbology: 'qr', data: sale.id });
  blocks.push({ kind: 'feed', lines: 1 });
  blocks.push(text(`Show this code for returns\n${sale.id}`, width, { align: 'center' }));
  for (const issued of options.issuedCodes ?? []) blocks.push(...issuedCodeBlocks(issued, width));
  if (store.receiptFooter.trim()) {
    blocks.push({ kind: 'feed', lines: 1 });
    blocks.push(text(store.receiptFooter, width, { align: 'center' }));
  }
  // Feeding the last line past the blade is the printer's business (it knows the distance).
  blocks.push({ kind: 'cut' });
  return { width, saleId: sale.id, receiptNumber: sale.receiptNumber, blocks };
}

/** "12 Dec": the day of a return, in the store's locale and time zone. */
function formatDay(iso: string, store: StoreSettings): string {
  return new Intl.DateTimeFormat(store.locale, {
    timeZone: store.timeZone,
    day: 'numeric',
    month: 'short',
  }).format(new Date(iso));
}

/**
 * Per return, oldest first: "Returned 12 Dec (T1-R-000003)", then each returned line indented with
 * what went back ("1 x Tee  -€20.00"), so a long name wraps under itself and not under the date.
 */
function returnedRows(
  sale: Sale,
  returns: readonly SaleReturn[],
  store: StoreSettings,
  width: number,
): ReceiptBlock[] {
  const money = (m: Minor) => formatMoney(m, sale.currency, store.locale);
  return returns.flatMap((r) => [
    row(`Returned ${formatDay(r.createdAt, store)} (${r.returnNumber})`, '', width),
    ...r.lines.map((l) => {
      const name = sale.lines[l.lineNo - 1]?.name ?? l.sku;
      return row(`${l.qty} x ${name}`, money(-l.refund), width, { indent: HANGING_INDENT });
    }),
  ]);
}

/**
 * The store's returns promise, then its shipping promise, each wrapped to the paper and kept
 * apart by a blank line; a promise that is empty (or only spaces) prints nothing at all.
 */
export function promiseBlocks(
  store: StoreSettings,
  options: Pick<ReceiptOptions, 'returnsText' | 'shippingText'>,
  width: number,
): ReceiptBlock[] {
  const promises = [
    options.returnsText ?? store.returnsPromise ?? '',
    options.shippingText ?? store.shippingPromise ?? '',
  ].filter((p) => printableText(p) !== '');
  return promises.flatMap((p, i) => [
    ...(i > 0 ? [{ kind: 'feed', lines: 1 } as const] : []),
    text(p.trim(), width, { align: 'center' }),
  ]);
}

/** How a tender reads on paper and on screen. */
export function tenderLabel(t: Tender): string {
  switch (t.kind) {
    case 'cash':
      return 'Cash';
    case 'card':
      return t.reference ? `Card ${t.reference}` : 'Card';
    case 'store-credit':
      return `Store credit ${t.code}`;
    case 'exchange':
      return 'Exchange credit';
  }
}

/** A coupon under a rule: what it gives, its QR, the code to type by hand, and until when. */
export function issuedCodeBlocks(issued: ReceiptIssuedCode, width: number): ReceiptBlock[] {
  return [
    rule(width, '='),
    text(issued.headline, width, { align: 'center', bold: true }),
    { kind: 'feed', lines: 1 },
    { kind: 'code', symbology: 'qr', data: issued.qr },
    { kind: 'feed', lines: 1 },
    text('Scan or type this code', width, { align: 'center' }),
    text(issued.code, width, { align: 'center', bold: true }),
    ...(issued.validUntil
      ? [text(`Valid until ${issued.validUntil}`, width, { align: 'center' })]
      : []),
  ];
}
