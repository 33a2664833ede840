// Label documents: what a price label shows (name, price, SKU, barcode, drop, badge) and where, in printer dots.
import { isValidGtin } from './barcode';
import type { Product, StoreSettings } from './catalog';
import { formatMoney } from './money';

export type LabelSymbology = 'ean13' | 'upca' | 'code128' | 'qr';
export type LabelDpi = 203 | 300;
export type LabelSize = { widthMm: number; heightMm: number };
export type LabelOptions = {
  size: LabelSize;
  dpi: LabelDpi;
  /** A preference: EAN-13/UPC-A apply only when the product has such a code; else the default choice. */
  symbology?: LabelSymbology;
  /** A short flag printed white on black in the top corner, e.g. "Early-bird". */
  badge?: string;
};

/**
 * Text is laid out on a monospaced grid so every printer language places it the same way:
 * at scale s a character cell is 6s × 10s dots (a 5 × 7 glyph, 2 descender rows, 1 dot of
 * spacing each way) and capitals stand 7s dots tall.
 */
export const LABEL_CELL = { width: 6, height: 10, capHeight: 7 } as const;

export type LabelTextRole = 'drop' | 'badge' | 'name' | 'price' | 'sku';
/** One line of text; (x, y) is the top-left of its first cell. */
export type LabelText = {
  role: LabelTextRole;
  text: string;
  x: number;
  y: number;
  scale: number;
  /** White on black: drawn over a LabelBox. */
  inverse: boolean;
};
/** A filled black rectangle. */
export type LabelBox = { x: number; y: number; width: number; height: number };
export type LabelBarcode = {
  symbology: LabelSymbology;
  /** What a scanner reads back: the full GTIN (check digit included) or the SKU. */
  data: string;
  /** Top-left of the first bar or module; the quiet zone lies outside. */
  x: number;
  y: number;
  /** Width of one module in whole printer dots. */
  moduleDots: number;
  /** Symbol width in modules without quiet zones (for Code 128 and QR an upper bound). */
  modules: number;
  /** Bar height in dots (for QR, the symbol's side). */
  height: number;
  /** Scale of the human-readable line under the bars; 0 when there is none. */
  textScale: number;
};
export type LabelDocument = {
  sku: string;
  template: string;
  size: LabelSize;
  dpi: LabelDpi;
  widthDots: number;
  heightDots: number;
  name: string[];
  price: string;
  drop?: string;
  badge?: string;
  texts: LabelText[];
  boxes: LabelBox[];
  barcode: LabelBarcode;
};

/**
 * A layout for one common label size ("WxH" in mm). Type sizes are text scales at 203 dpi
 * (scaled to the printer's resolution): header (drop name, badge), name (over `lines` lines),
 * price and SKU. `margin` and the widest barcode `module` are in mm.
 */
type Template = {
  id: string;
  margin: number;
  header: number;
  name: number;
  lines: number;
  price: number;
  sku: number;
  module: number;
};

const TEMPLATES: readonly Template[] = [
  { id: '40x30', margin: 1.5, header: 2, name: 2, lines: 2, price: 4, sku: 2, module: 0.25 },
  { id: '50x30', margin: 1.5, header: 2, name: 2, lines: 2, price: 4, sku: 2, module: 0.25 },
  { id: '58x40', margin: 2, header: 2, name: 2, lines: 3, price: 5, sku: 2, module: 0.375 },
  { id: '100x50', margin: 2.5, header: 3, name: 3, lines: 2, price: 7, sku: 3, module: 0.375 },
];

function templateSize(t: Template): LabelSize {
  const [widthMm = 0, heightMm = 0] = t.id.split('x').map(Number);
  return { widthMm, heightMm };
}

/** Common label sizes with a hand-tuned layout; other sizes use the nearest one's type sizes. */
export const LABEL_TEMPLATES: readonly string[] = TEMPLATES.map((t) => t.id);

/** Millimetres to whole printer dots. */
export function mmToDots(mm: number, dpi: LabelDpi): number {
  return Math.round((mm * dpi) / 25.4);
}

/** Width in dots of `text` set at `scale` (no trailing spacing column). */
export function textWidth(text: string, scale: number): number {
  const n = [...text].length;
  return n === 0 ? 0 : (n * LABEL_CELL.width - 1) * scale;
}

const DASHES = new Set(['-', '–', '—']);

/**
 * Word-wrap `text` into at most `maxLines` lines of `perLine` characters. Words longer than a
 * line are broken; what does not fit ends the last line with "…".
 */
export function wrapText(text: string, perLine: number, maxLines: number): string[] {
  const lines = wrapWords(text, perLine, maxLines);
  // "Beanie (1 of 100) – Bottle Green": break at the dash when that costs no extra line.
  const parts = text.split(/\s+[–—-]\s+/);
  if (lines.length < 2 || parts.length < 2) return lines;
  const byPart = parts.flatMap((part) => wrapWords(part, perLine, maxLines));
  const truncated = byPart.some((line) => line.endsWith('…'));
  return byPart.length <= lines.length && !truncated ? byPart : lines;
}

function wrapWords(text: string, perLine: number, maxLines: number): string[] {
  if (perLine < 1 || maxLines < 1) return [];
  const words = text.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    let rest = [...word];
    const candidate = line ? `${line} ${word}` : word;
    if ([...candidate].length <= perLine) {
      line = candidate;
      continue;
    }
    // "Tee – Black / S": a dash that would open a line only separates, and the break does that.
    if (DASHES.has(word)) continue;
    if (line) lines.push(line);
    line = '';
    while (rest.length > perLine) {
      lines.push(rest.slice(0, perLine).join(''));
      rest = rest.slice(perLine);
    }
    line = rest.join('');
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]} ${lines[maxLines]}`, perLine, true);
  return kept;
}

/**
 * A code (a SKU) over at most `maxLines` lines of `perLine` characters, broken after its dashes
 * where it can be ("HOODIE-ZIP-" / "FOREST-XXL"), else anywhere; "…" ends it only when even
 * that does not fit.
 */
export function wrapCode(code: string, perLine: number, maxLines: number): string[] {
  if (perLine < 1 || maxLines < 1) return [];
  const parts = code.trim().match(/[^-]*-+|[^-]+$/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if ([...line].length + [...part].length <= perLine) {
      line += part;
      continue;
    }
    if (line) lines.push(line);
    let rest = [...part];
    while (rest.length > perLine) {
      lines.push(rest.slice(0, perLine).join(''));
      rest = rest.slice(perLine);
    }
    line = rest.join('');
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]}${lines[maxLines]}`, perLine, true);
  return kept;
}

/** Cut `text` to `max` characters, ending in "…" when anything was cut (or `force`). */
function ellipsize(text: string, max: number, force = false): string {
  const chars = [...text];
  if (!force && chars.length <= max) return text;
  if (max < 1) return '';
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

// Code 128 covers printable ASCII; anything else on a SKU goes into a QR code.
const CODE128_TEXT = /^[\x20-\x7e]+$/;
// QR byte-mode capacity at error correction level M, versions 1–10 (a SKU is ≤ 64 characters).
const QR_BYTES_M = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];

/** Modules across the symbol, without quiet zones; an upper bound for Code 128 and QR. */
export function symbolModules(symbology: LabelSymbology, data: string): number {
  switch (symbology) {
    case 'ean13':
    case 'upca':
      return 95;
    case 'code128':
      // Start, check and stop around one code-set-B symbol per character; digit runs only shrink it.
      return 11 * data.length + 35;
    case 'qr': {
      const bytes = new TextEncoder().encode(data).length;
      const version = QR_BYTES_M.findIndex((capacity) => bytes <= capacity) + 1;
      if (version === 0) throw new RangeError('QR data too long for a label');
      return 17 + 4 * version;
    }
  }
}

/** Modules of white each side that scanners need. */
export function quietModules(symbology: LabelSymbology): number {
  return { ean13: 11, upca: 9, code128: 10, qr: 4 }[symbology];
}

/** Which code a label carries: the product's EAN-13 or UPC-A by length, else its SKU. */
export function labelBarcodeData(
  product: Pick<Product, 'sku' | 'barcodes'>,
  preferred?: LabelSymbology,
): { symbology: LabelSymbology; data: string } {
  const gtins = product.barcodes.filter(isValidGtin);
  const skuCode = (): { symbology: LabelSymbology; data: string } =>
    preferred !== 'qr' && CODE128_TEXT.test(product.sku)
      ? { symbology: 'code128', data: product.sku }
      : { symbology: 'qr', data: product.sku };
  if (preferred === 'code128' || preferred === 'qr') return skuCode();
  if (preferred === 'upca') {
    const upc = gtins.find((g) => g.length === 12) ?? gtins.find((g) => /^0\d{12}$/.test(g));
    if (upc) return { symbology: 'upca', data: upc.slice(-12) };
  }
  if (preferred === 'ean13') {
    const ean = gtins.find((g) => g.length === 13) ?? gtins.find((g) => g.length === 12);
    if (ean) return { symbology: 'ean13', data: ean.padStart(13, '0') };
  }
  const first = gtins.find((g) => g.length === 13 || g.length === 12);
  if (first) return { symbology: first.length === 13 ? 'ean13' : 'upca', data: first };
  return skuCode();
}

function pickTemplate(size: LabelSize): Template {
  let best = TEMPLATES[0]!;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const t of TEMPLATES) {
    const { widthMm, heightMm } = templateSize(t);
    const score = Math.abs(heightMm - size.heightMm) * 4 + Math.abs(widthMm - size.widthMm);
    if (score < bestScore) [best, bestScore] = [t, score];
  }
  return best;
}

/** Lay out one product's label for a label size and printer resolution. Pure: same input, same document. */
export function labelDocument(
  product: Pick<Product, 'sku' | 'name' | 'price' | 'barcodes' | 'drop'> & { priceText?: string },
  store: Pick<StoreSettings, 'currency' | 'locale'>,
  options: LabelOptions,
): LabelDocument {
  const { size, dpi } = options;
  if (!(size.widthMm >= 20 && size.heightMm >= 15 && size.widthMm <= 120 && size.heightMm <= 200)) {
    throw new RangeError(`A label of ${size.widthMm}×${size.heightMm} mm is not supported`);
  }
  const template = pickTemplate(size);
  const scale = (s203: number) => Math.max(1, Math.round((s203 * dpi) / 203));
  const W = mmToDots(size.widthMm, dpi);
  const H = mmToDots(size.heightMm, dpi);
  const margin = mmToDots(template.margin, dpi);
  const gap = mmToDots(0.5, dpi);
  const left = margin;
  const right = W - margin;
  const contentWidth = right - left;
  const charsFor = (width: number, s: number) => Math.floor((width + s) / (LABEL_CELL.width * s));

  const price =
    product.priceText ??
    formatMoney(product.price, store.currency, store.locale).replace(/[\u00a0\u202f]/g, ' ');
  const drop = product.drop?.trim() || undefined;
  const badge = options.badge?.trim() || undefined;
  const code = labelBarcodeData(product, options.symbology);
  const maxModule = Math.max(1, mmToDots(template.module, dpi));
  const minBarHeight = mmToDots(6, dpi);

  // Fewer name lines until the barcode gets a usable height.
  let layout = layOut(template.lines, code);
  for (let lines = template.lines - 1; lines >= 1 && layout.tooShort; lines--) {
    layout = layOut(lines, code);
  }
  return {
    sku: product.sku,
    template: template.id,
    size,
    dpi,
    widthDots: W,
    heightDots: H,
    name: layout.name,
    price,
    ...(drop ? { drop } : {}),
    ...(badge ? { badge } : {}),
    texts: layout.texts,
    boxes: layout.boxes,
    barcode: layout.barcode,
  };

  function layOut(nameLines: number, chosen: { symbology: LabelSymbology; data: string }) {
    const texts: LabelText[] = [];
    const boxes: LabelBox[] = [];
    let y = margin;

    if (drop || badge) {
      const hs = scale(template.header);
      const capH = LABEL_CELL.capHeight * hs;
      let dropWidth = contentWidth;
      let rowHeight = capH;
      if (badge) {
        const pad = hs * 2;
        const padY = Math.ceil(hs * 1.5);
        const label = ellipsize(badge.toUpperCase(), charsFor(contentWidth - 2 * pad, hs));
        const box = {
          x: right - textWidth(label, hs) - 2 * pad,
          y,
          width: textWidth(label, hs) + 2 * pad,
          height: capH + 2 * padY,
        };
        boxes.push(box);
        texts.push({
          role: 'badge',
          text: label,
          x: box.x + pad,
          y: y + padY,
          scale: hs,
          inverse: true,
        });
        dropWidth = box.x - left - pad;
        rowHeight = box.height;
      }
      if (drop && dropWidth > 0) {
        const text = ellipsize(drop.toUpperCase(), charsFor(dropWidth, hs));
        const dy = y + Math.floor((rowHeight - capH) / 2);
        if (text) texts.push({ role: 'drop', text, x: left, y: dy, scale: hs, inverse: false });
      }
      y += rowHeight + gap;
    }

    const ns = scale(template.name);
    const name = wrapText(product.name, charsFor(contentWidth, ns), nameLines);
    for (const line of name) {
      texts.push({ role: 'name', text: line, x: left, y, scale: ns, inverse: false });
      y += LABEL_CELL.height * ns;
    }
    y += gap - ns;

    const ps = scale(template.price);
    texts.push({ role: 'price', text: price, x: left, y, scale: ps, inverse: false });
    // Code 128 labels print the SKU under the bars; others print it beside the price: smaller
    // type when it is long, then wrapped at its dashes over the price's height, right-aligned
    // and sitting on the price's baseline. Only a SKU longer than all of that is cut short.
    if (chosen.symbology !== 'code128') {
      const room = contentWidth - textWidth(price, ps) - 2 * LABEL_CELL.width * ps;
      let ss = scale(template.sku);
      if (textWidth(product.sku, ss) > room) ss = scale(template.sku / 2);
      const maxLines = Math.max(
        1,
        Math.floor(((LABEL_CELL.capHeight + 1) * ps) / (LABEL_CELL.height * ss)),
      );
      const skuLines = wrapCode(product.sku, charsFor(room, ss), maxLines);
      const baseline = y + LABEL_CELL.capHeight * ps;
      skuLines.forEach((line, i) => {
        const below = skuLines.length - 1 - i;
        const sy = baseline - LABEL_CELL.capHeight * ss - below * LABEL_CELL.height * ss;
        const sx = right - textWidth(line, ss);
        texts.push({ role: 'sku', text: line, x: sx, y: sy, scale: ss, inverse: false });
      });
    }
    y += (LABEL_CELL.capHeight + 1) * ps + 2 * gap;

    const bottom = H - margin;
    const barcode = placeBarcode(chosen, y, bottom);
    if (!barcode) {
      // The SKU is too long for a linear code on this label: a QR code fits in a square.
      const qr = placeBarcode({ symbology: 'qr', data: product.sku }, y, bottom);
      if (!qr) throw new RangeError(`No room for a barcode on a ${template.id} label`);
      return { name, texts, boxes, barcode: qr, tooShort: false };
    }
    return { name, texts, boxes, barcode, tooShort: barcode.height < minBarHeight };
  }

  function placeBarcode(
    chosen: { symbology: LabelSymbology; data: string },
    top: number,
    bottom: number,
  ): LabelBarcode | null {
    const { symbology, data } = chosen;
    const modules = symbolModules(symbology, data);
    const quiet = quietModules(symbology);
    const available = bottom - top;
    if (symbology === 'qr') {
      const k = Math.min(maxModule * 2, Math.floor(Math.min(available, contentWidth) / modules));
      if (k < 1) return null;
      const side = modules * k;
      const x = Math.round((W - side) / 2);
      const y = top + Math.floor((available - side) / 2);
      return { symbology, data, x, y, moduleDots: k, modules, height: side, textScale: 0 };
    }
    let k = maxModule;
    while (k > 1 && (modules * k > contentWidth || (W - modules * k) / 2 < quiet * k)) k--;
    if (modules * k > contentWidth) return null;
    const textScale =
      symbology === 'code128'
        ? textWidth(data, scale(template.sku)) <= contentWidth
          ? scale(template.sku)
          : 1
        : Math.max(1, Math.floor((42 * k - 2) / (6 * LABEL_CELL.width)));
    const textHeight = (LABEL_CELL.capHeight + 1) * textScale + gap;
    const height = available - textHeight;
    if (height < 1) return null;
    const x = Math.round((W - modules * k) / 2);
    return { symbology, data, x, y: top, moduleDots: k, modules, height, textScale };
  }
}
