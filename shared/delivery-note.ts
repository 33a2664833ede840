// Delivery notes: a received shipment's CSV (`sku,qty` or `barcode,qty`) read into lines, and matched to products as label copies.

/** One line of a delivery note: the code as written (SKU or barcode) and how many arrived. */
export type DeliveryLine = { code: string; qty: number; line: number };

export type DeliveryNoteResult =
  | { ok: true; lines: DeliveryLine[] }
  | { ok: false; code: 'bad-delivery-note'; message: string };

/** As many labels as one print request takes for one product. */
export const MAX_LABEL_COPIES = 500;

const CODE_HEADERS = new Set(['sku', 'barcode', 'code', 'ean', 'gtin', 'upc']);
const QTY_HEADERS = new Set(['qty', 'quantity', 'count', 'copies']);

type Row = { fields: string[]; line: number };

/**
 * CSV rows with their line numbers. Written here rather than taken from a CSV library: the
 * format is two columns, and the renderer and the CLI both need it without another bundle.
 * Fields may be quoted ("" is a quote inside quotes, and a quoted field may span lines).
 */
function csvRows(text: string, separator: string): Row[] | { line: number } {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      rowLine = line;
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) return { line: rowLine };
  endRow();
  return rows;
}

/** Semicolons (spreadsheets in comma-decimal locales) when the first line has one outside quotes. */
function separatorOf(text: string): ';' | ',' {
  let quoted = false;
  let seen = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ';') return ';';
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (seen) break;
    } else if (c.trim() !== '') seen = true;
  }
  return ',';
}

const bad = (message: string): DeliveryNoteResult => ({
  ok: false,
  code: 'bad-delivery-note',
  message,
});

/**
 * Read a delivery note. A header (sku/barcode and qty, in any order) is optional; without
 * one the first column is the code and the second the quantity. Blank lines are skipped.
 * Anything else wrong is an error naming the line, so the shipment can be fixed and loaded again.
 */
export function parseDeliveryNote(text: string): DeliveryNoteResult {
  const body = text.replace(/^\uFEFF/, '');
  const rows = csvRows(body, separatorOf(body));
  if (!Array.isArray(rows)) return bad(`Line ${rows.line}: a quoted field is never closed`);
  let codeAt = 0;
  let qtyAt = 1;
  let data = rows;
  const head = rows[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const namedCode = head.findIndex((f) => CODE_HEADERS.has(f));
  const namedQty = head.findIndex((f) => QTY_HEADERS.has(f));
  if (namedCode >= 0 || namedQty >= 0) {
    if (namedCode < 0 || namedQty < 0) {
      return bad('Line 1: the header needs a sku (or barcode) column and a qty column');
    }
    codeAt = namedCode;
    qtyAt = namedQty;
    data = rows.slice(1);
  }
  if (data.length === 0) return bad('The delivery note lists no products');
  const lines: DeliveryLine[] = [];
  for (const { fields, line } of data) {
    const code = (fields[codeAt] ?? '').trim();
    const rawQty = (fields[qtyAt] ?? '').trim();
    if (code === '') return bad(`Line ${line}: no SKU or barcode`);
    if (!/^\d+$/.test(rawQty)) {
      return bad(
        `Line ${line}: quantity for ${code} must be a whole number, not "${rawQty || '(empty)'}"`,
      );
    }
    const qty = Number(rawQty);
    if (qty < 1 || qty > MAX_LABEL_COPIES) {
      return bad(`Line ${line}: quantity for ${code} must be from 1 to ${MAX_LABEL_COPIES}`);
    }
    lines.push({ code, qty, line });
  }
  return { ok: true, lines };
}

export type DeliveryItemsResult<P> =
  | { ok: true; items: { product: P; copies: number }[] }
  | { ok: false; code: 'unknown-codes' | 'too-many-copies'; message: string; unknown: string[] };

/**
 * Label copies for a delivery note, given the product each line's code was found as
 * (`found[i]` for `lines[i]`, undefined when none). A product listed twice (say once by SKU,
 * once by barcode) gets the sum. Any unknown code fails the whole note: a partial batch of
 * labels is easy to miss on the shelf.
 */
export function deliveryLabelItems<P extends { sku: string }>(
  lines: readonly DeliveryLine[],
  found: readonly (P | undefined)[],
): DeliveryItemsResult<P> {
  const unknown = lines.filter((_, i) => !found[i]).map((l) => l.code);
  if (unknown.length > 0) {
    const list = [...new Set(unknown)].join(', ');
    return {
      ok: false,
      code: 'unknown-codes',
      unknown,
      message: `Not in the catalog: ${list}. Nothing was added; fix the delivery note and load it again.`,
    };
  }
  const items: { product: P; copies: number }[] = [];
  lines.forEach((l, i) => {
    const product = found[i]!;
    const item = items.find((it) => it.product.sku === product.sku);
    if (item) item.copies += l.qty;
    else items.push({ product, copies: l.qty });
  });
  const over = items.find((it) => it.copies > MAX_LABEL_COPIES);
  if (over) {
    return {
      ok: false,
      code: 'too-many-copies',
      unknown: [],
      message: `${over.product.sku}: ${over.copies} labels in all, more than ${MAX_LABEL_COPIES} at once`,
    };
  }
  return { ok: true, items };
}
