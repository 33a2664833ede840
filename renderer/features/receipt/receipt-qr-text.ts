// A receipt as compact plain text for a QR the customer photographs: any phone camera shows it, offline, with no receipt server.
import type { ReceiptDocument } from '../../../shared/receipt';

/**
 * What fits a QR a phone reads off a laptop screen (version ~30 at error level M). The full
 * paper of a long sale is larger: its promises and footer go first, then its middle lines.
 */
export const QR_TEXT_MAX_BYTES = 1500;

const utf8 = new TextEncoder();
const bytes = (s: string) => utf8.encode(s).length;

/** One line without the paper's padding: "Total        €12.00" → "Total €12.00". */
function squeeze(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

/** The document's text lines, in print order; codes leave their data (the returns id) to the text beside them. */
function lines(doc: ReceiptDocument, from: number, to: number): string[] {
  const out: string[] = [];
  for (const b of doc.blocks.slice(from, to)) {
    switch (b.kind) {
      case 'text':
      case 'tax-table':
        out.push(...b.lines.map(squeeze));
        break;
      case 'row':
        out.push(squeeze(`${b.left} ${b.right}`));
        break;
      case 'rule':
        out.push('--');
        break;
      default:
        break;
    }
  }
  return out.filter((l, i) => l !== '' && !(l === '--' && out[i - 1] === '--'));
}

/**
 * The receipt the customer keeps on their phone: the same document the printer gets, one line per
 * row, without padding. The paper's returns code is the sale id, so the text carries it as the
 * paper does ("Show this code for returns" and the id). Over `maxBytes`, what follows the returns
 * id (footer, coupons) is left out first, then the store's promises, then middle lines give way to
 * "… N more lines", keeping the head (store, receipt number, time) and the end (totals, payment).
 * (bwip-js encodes the text as UTF-8 bytes itself.)
 */
export function receiptQrText(doc: ReceiptDocument, maxBytes = QR_TEXT_MAX_BYTES): string {
  const code = doc.blocks.findIndex((b) => b.kind === 'code');
  const cut = code < 0 ? doc.blocks.length : code;
  // The first text after the returns code names it ("Show this code for returns" and the id).
  const named = code < 0 ? -1 : doc.blocks.findIndex((b, i) => i > code && b.kind === 'text');
  const codeText = named < 0 ? [] : lines(doc, named, named + 1);
  const tail = named < 0 ? [] : lines(doc, named + 1, doc.blocks.length);
  // The promises follow the last rule before the code; the sale itself is above it.
  const above = lines(doc, 0, cut);
  const lastRule = above.lastIndexOf('--');
  const body = lastRule < 0 ? above : above.slice(0, lastRule);
  const promises = lastRule < 0 ? [] : above.slice(lastRule + 1);
  const join = (parts: string[]) => parts.join('\n');
  for (const text of [
    join([...body, ...promises, ...codeText, ...tail]),
    join([...body, ...promises, ...codeText]),
    join([...body, ...codeText]),
  ]) {
    if (bytes(text) <= maxBytes) return text;
  }
  // Keep the head (store, address, receipt, time) and as many of the last lines (totals) as fit.
  const head = body.slice(0, 6);
  for (let keep = body.length - head.length - 1; keep >= 0; keep--) {
    const dropped = body.length - head.length - keep;
    const text = join([
      ...head,
      `… ${dropped} more lines`,
      ...body.slice(body.length - keep),
      ...codeText,
    ]);
    if (bytes(text) <= maxBytes) return text;
  }
  return join([...head, ...codeText]);
}
