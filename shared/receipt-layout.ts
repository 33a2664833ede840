// Receipt paper layout: typed blocks for a fixed number of columns, word wrap and aligned rows, and the paper as plain lines.
import type { StoreSettings } from './catalog';
import type { Minor } from './money';

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
  /** The sale (or, for a return receipt, the return) the paper is for. */
  saleId: string;
  receiptNumber: string;
  blocks: ReceiptBlock[];
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

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - printedLength(text)));
}

export function padStart(text: string, width: number): string {
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

export const HANGING_INDENT = 2;

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

export function textBlock(
  value: string,
  width: number,
  opts: { align?: Align; bold?: boolean; size?: TextSize } = {},
): ReceiptBlock {
  const size = opts.size ?? 'normal';
  const columns = size === 'large' ? Math.floor(width / 2) : width;
  const lines = value.split('\n').flatMap((paragraph) => wrap(paragraph, columns));
  return { kind: 'text', lines, align: opts.align ?? 'left', bold: opts.bold ?? false, size };
}

export function rowBlock(
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

export function ruleBlock(width: number, char = '-'): ReceiptBlock {
  return { kind: 'rule', line: char.repeat(width) };
}

/** A date and time in the store's locale and time zone ("25 Nov 2026, 14:05"). */
export function formatTime(iso: string, store: StoreSettings): string {
  return new Intl.DateTimeFormat(store.locale, {
    timeZone: store.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
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
