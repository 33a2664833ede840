// The receipt document: a sale laid out as typed blocks for a fixed number of columns, ready for any printer or preview.
import type { StoreSettings } from './catalog';
import { formatMoney, type Minor } from './money';
import type { ReceiptIssuedCode } from './receipt-promo';
import type { Sale } from './sale';
import type { Tender } from './tender';

/** Characters per line: 58 mm paper (32), 80 mm with a narrow head (42), 80 mm (48). */
export type ReceiptWidth = 32 | 42 | 48;
export type Align = 'left' | 'center' | 'right';
/** `tall` doubles the height only (same columns); `large` doubles both (half the columns). */
export type TextSize = 'normal' | 'tall' | 'large';

export type ReceiptBlock =
  | { kind: 'text'; lines: string[]; align: Align; bold: boolean; size: TextSize }
  /** A label and an amount: the amount stays right-aligned on the first line, the label wraps below. */
  | {
      kind: 'row';
      left: string;
      right: string;
      lines: string[];
      bold: boolean;
      size: 'normal' | 'tall';
    }
  | { kind: 'rule'; line: string }
  | { kind: 'tax-table'; bands: TaxTableBand[]; lines: string[] }
  /** A scannable code, printed centred; the blocks around it give it its quiet zone. */
  | { kind: 'code'; symbology: 'qr' | 'code128'; data: string }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut' }
  | { kind: 'drawer-kick' };

export interface TaxTableBand {
  label: string;
  base: Minor;
  tax: Minor;
}

export interface ReceiptDocument {
  width: ReceiptWidth;
  saleId: string;
  receiptNumber: string;
  blocks: ReceiptBlock[];
}

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
}

/** Printed columns a string takes (one per character, whatever its UTF-16 length). */
export function printedLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** C0 and C1 control characters (NUL, ESC, …): commands to a printer, never text. */
export function isControlCharacter(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * One line of printable text: composed accents (é as one character, not e + ´), and every
 * control character or odd space as a plain space, so a product name cannot smuggle printer
 * commands (ESC, a drawer kick) onto the paper.
 */
export function printableText(text: string): string {
  return Array.from(text.normalize('NFC'), (c) => (isControlCharacter(c) ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function chars(text: string): string[] {
  return Array.from(text);
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - printedLength(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - printedLength(text))) + text;
}

/** Take the words that fit on one line of `width`; a word longer than a line is broken. */
function takeLine(words: string[], width: number): { line: string; rest: string[] } {
  const rest = [...words];
  let line = '';
  while (rest.length > 0) {
    const word = rest[0]!;
    const sep = line ? 1 : 0;
    if (printedLength(line) + sep + printedLength(word) <= width) {
      line += (sep ? ' ' : '') + word;
      rest.shift();
    } else if (!line) {
      const cs = chars(word);
      line = cs.slice(0, width).join('');
      rest[0] = cs.slice(width).join('');
      break;
    } else {
      break;
    }
  }
  return { line, rest };
}

/** Word-wrap to `width` columns; always at least one (possibly empty) line. */
export function wrap(text: string, width: number): string[] {
  let words = printableText(text).split(' ').filter(Boolean);
  const lines: string[] = [];
  while (words.length > 0) {
    const { line, rest } = takeLine(words, width);
    lines.push(line);
    words = rest;
  }
  return lines.length > 0 ? lines : [''];
}

const HANGING_INDENT = 2;

/**
 * "Label ....... amount" in `width` columns: the amount stays right-aligned on the first
 * line and a long label wraps under itself, indented. `indent` shifts the whole label.
 */
export function fitRow(left: string, right: string, width: number, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const label = printableText(left);
  const amount = printableText(right);
  const amountWidth = printedLength(amount);
  const hanging = (words: string[]) =>
    words.length
      ? wrap(words.join(' '), width - indent - HANGING_INDENT).map(
          (l) => pad + ' '.repeat(HANGING_INDENT) + l,
        )
      : [];
  if (amountWidth === 0) {
    const { line, rest } = takeLine(label.split(' ').filter(Boolean), width - indent);
    return [pad + line, ...hanging(rest)];
  }
  // An amount that leaves no room for a label goes on a line of its own.
  if (amountWidth > width - indent - 6) {
    const labelLines = label ? wrap(label, width - indent).map((l) => pad + l) : [];
    return [...labelLines, ...wrap(amount, width).map((l) => padStart(l, width))];
  }
  const labelWidth = width - indent - amountWidth - 1;
  const { line, rest } = takeLine(label.split(' ').filter(Boolean), labelWidth);
  return [`${pad}${padEnd(line, labelWidth)} ${amount}`, ...hanging(rest)];
}

function text(
  value: string,
  width: number,
  opts: { align?: Align; bold?: boolean; size?: TextSize } = {},
): ReceiptBlock {
  const size = opts.size ?? 'normal';
  const columns = size === 'large' ? Math.floor(width / 2) : width;
  const lines = value.split('\n').flatMap((paragraph) => wrap(paragraph, columns));
  return { kind: 'text', lines, align: opts.align ?? 'left', bold: opts.bold ?? false, size };
}

function row(
  left: string,
  right: string,
  width: number,
  opts: { bold?: boolean; size?: 'normal' | 'tall'; indent?: number } = {},
): ReceiptBlock {
  return {
    kind: 'row',
    left: printableText(left),
    right: printableText(right),
    lines: fitRow(left, right, width, opts.indent),
    bold: opts.bold ?? false,
    size: opts.size ?? 'normal',
  };
}

function rule(width: number, char = '-'): ReceiptBlock {
  return { kind: 'rule', line: char.repeat(width) };
}

function formatRate(ratePpm: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(ratePpm / 10_000)}%`;
}

function formatTime(iso: string, store: StoreSettings): string {
  return new Intl.DateTimeFormat(store.locale, {
    timeZone: store.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
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

  for (const line of sale.lines) {
    blocks.push(row(line.name, money(line.gross), width));
    const detail = { indent: HANGING_INDENT };
    if (line.qty > 1) blocks.push(row(`${line.qty} x ${money(line.unitPrice)}`, '', width, detail));
    if (line.lineDiscount > 0) {
      blocks.push(row('Discount', money(-line.lineDiscount), width, detail));
    }
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

/**
 * The store's returns promise, then its shipping promise, each wrapped to the paper and kept
 * apart by a blank line; a promise that is empty (or only spaces) prints nothing at all.
 */
function promiseBlocks(
  store: StoreSettings,
  options: ReceiptOptions,
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
      return `Card ${t.reference}`;
    case 'store-credit':
      return `Store credit ${t.code}`;
    case 'exchange':
      return 'Exchange credit';
  }
}

/** A coupon under a rule: what it gives, its QR, the code to type by hand, and until when. */
function issuedCodeBlocks(issued: ReceiptIssuedCode, width: number): ReceiptBlock[] {
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

function aligned(line: string, align: Align, width: number, scale = 1): string {
  const free = Math.max(0, width - printedLength(line) * scale);
  const left = align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
  return ' '.repeat(left) + line;
}

/**
 * The document as plain lines of paper (for an on-screen preview and for review): text is
 * placed as the printer aligns it, codes show as `[QR: …]` / `[Code 128: …]`.
 */
export function receiptText(doc: ReceiptDocument): string[] {
  const out: string[] = [];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'text':
        for (const l of b.lines)
          out.push(aligned(l, b.align, doc.width, b.size === 'large' ? 2 : 1));
        break;
      case 'row':
      case 'tax-table':
        out.push(...b.lines);
        break;
      case 'rule':
        out.push(b.line);
        break;
      case 'code': {
        const label = b.symbology === 'qr' ? 'QR' : 'Code 128';
        out.push(aligned(`[${label}: ${b.data}]`, 'center', doc.width));
        break;
      }
      case 'feed':
        for (let i = 0; i < b.lines; i++) out.push('');
        break;
      case 'cut':
      case 'drawer-kick':
        break;
    }
  }
  return out.map((l) => l.trimEnd());
}
