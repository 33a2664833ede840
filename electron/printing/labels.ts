// Label print jobs: label documents as TSPL, ZPL or ESC/POS raster bytes, N copies each, many labels per job.
import type { Product, StoreSettings } from '../../shared/catalog';
import {
  LABEL_CELL,
  type LabelDocument,
  type LabelOptions,
  type LabelText,
  labelDocument,
  textWidth,
} from '../../shared/label';
import { type Bitmap, createBitmap } from './barcode-image';
import { barcodeArea, drawLabelBarcode, drawText, escposRaster, renderLabel } from './raster';

export type LabelLanguage = 'tspl' | 'zpl' | 'escpos';
/** One label design and how many of it to print. */
export type LabelJobItem = { label: LabelDocument; copies: number };
export type LabelEncodeOptions = {
  /**
   * 'native' (default) sends text and barcodes as printer commands: small jobs, crisp type.
   * 'bitmap' sends the barcode as dots drawn here (whole-dot modules, for printers whose
   * built-in barcodes are missing or poor). ESC/POS is always a bitmap.
   */
  barcodes?: 'native' | 'bitmap';
  /** Gap between labels on the roll (TSPL GAP; ESC/POS feed between labels). */
  gapMm?: number;
  /** ESC/POS only: cut after the last label. */
  cut?: boolean;
};

const MAX_COPIES = 10_000;

function checkCopies(items: readonly LabelJobItem[]): void {
  for (const { label, copies } of items) {
    if (!Number.isInteger(copies) || copies < 1 || copies > MAX_COPIES) {
      throw new RangeError(`copies for ${label.sku} must be 1–${MAX_COPIES}, got ${copies}`);
    }
  }
}

/** The code a printer's EAN/UPC command takes: the body without its check digit (it adds it). */
function nativeBarcodeBody(label: LabelDocument): string {
  const { symbology, data } = label.barcode;
  return symbology === 'ean13' || symbology === 'upca' ? data.slice(0, -1) : data;
}

/** The barcode and its human-readable line as one bitmap, placed where the label puts them. */
function barcodePatch(label: LabelDocument): { x: number; y: number; bitmap: Bitmap } {
  const area = barcodeArea(label);
  const bitmap = createBitmap(area.width, area.height);
  drawLabelBarcode(bitmap, label.barcode, -area.x, -area.y);
  return { x: area.x, y: area.y, bitmap };
}

// --- TSPL (TSC, Xprinter, Rollo, Munbyn and most cheap label printers) ---

// Built-in bitmap fonts (name, width, height in dots) per TSC's TSPL manual.
const TSPL_FONTS: Record<number, [string, number, number][]> = {
  203: [
    ['1', 8, 12],
    ['2', 12, 20],
    ['3', 16, 24],
    ['4', 24, 32],
    ['5', 32, 48],
  ],
  300: [
    ['1', 12, 20],
    ['2', 16, 28],
    ['3', 24, 32],
    ['4', 32, 48],
    ['5', 48, 64],
  ],
};

/**
 * The largest built-in font × multiplier whose cell fits the layout's cell at `scale`, or null
 * when even the smallest is bigger (a 6 × 10 dot SKU line: font 1 is 8 × 12 at 203 dpi and would
 * run a right-aligned SKU past the label's edge).
 */
export function tsplFont(
  dpi: number,
  scale: number,
): { font: string; multiplier: number; width: number; height: number } | null {
  const cellW = LABEL_CELL.width * scale;
  const cellH = LABEL_CELL.height * scale;
  let best: { font: string; multiplier: number; width: number; height: number } | null = null;
  for (const [font, w, h] of TSPL_FONTS[dpi] ?? TSPL_FONTS[203]!) {
    for (let m = 1; m <= 10 && w * m <= cellW && h * m <= cellH; m++) {
      if (!best || w * m * h * m > best.width * best.height)
        best = { font, multiplier: m, width: w * m, height: h * m };
    }
  }
  return best;
}

/** A line of text as a TSPL BITMAP drawn here, exactly the layout's size (for type below the printer's smallest font). */
function textPatch(t: LabelText): { x: number; y: number; bitmap: Bitmap } {
  const bitmap = createBitmap(Math.max(1, textWidth(t.text, t.scale)), LABEL_CELL.height * t.scale);
  // Black like TEXT: a badge's REVERSE afterwards turns it white on black.
  drawText(bitmap, t.text, 0, 0, t.scale);
  return { x: t.x, y: t.y, bitmap };
}

// TSPL's built-in fonts speak Windows-1252 after `CODEPAGE 1252`: €, accents, dashes, quotes.
// Bytes 0xA0–0xFF are Latin-1; 0x80–0x9F are spelled out here (Node 20's TextDecoder decodes
// "windows-1252" as Latin-1), with the five undefined bytes left out.
const CP1252_HIGH = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';
const CP1252 = new Map<string, number>();
[...CP1252_HIGH].forEach((ch, i) => {
  if (ch !== '\0') CP1252.set(ch, 0x80 + i);
});
for (let byte = 0xa0; byte <= 0xff; byte++) CP1252.set(String.fromCharCode(byte), byte);

function cp1252Byte(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return code;
  const byte = CP1252.get(ch);
  if (byte !== undefined) return byte;
  if (/\s/.test(ch)) return 0x20;
  // "￥" → "¥", "ő" → "o": a plain or base letter beats a question mark.
  const plain = ch.normalize('NFKC');
  if (plain !== ch && [...plain].length === 1) return cp1252Byte(plain);
  const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
  return base !== ch && base.length === 1 ? cp1252Byte(base) : 0x3f;
}

/** A TSPL string literal: Windows-1252 bytes, with `"` written as TSPL's `\["]`. */
function tsplString(text: string): number[] {
  const bytes = [0x22];
  for (const ch of text) {
    if (ch === '"') bytes.push(...Buffer.from('\\["]', 'latin1'));
    else bytes.push(cp1252Byte(ch));
  }
  bytes.push(0x22);
  return bytes;
}

export function encodeTspl(
  items: readonly LabelJobItem[],
  options: LabelEncodeOptions = {},
): Buffer {
  checkCopies(items);
  const parts: (string | number[] | Uint8Array)[] = [];
  const line = (...chunks: (string | number[] | Uint8Array)[]) => parts.push(...chunks, '\r\n');
  let size = '';
  for (const { label, copies } of items) {
    const wanted = `${label.size.widthMm} mm,${label.size.heightMm} mm`;
    if (wanted !== size) {
      size = wanted;
      line(`SIZE ${size}`);
      line(`GAP ${options.gapMm ?? 2} mm,0 mm`);
      line('DIRECTION 0');
      line('REFERENCE 0,0');
      line('CODEPAGE 1252');
    }
    line('CLS');
    for (const t of label.texts) {
      const fit = tsplFont(label.dpi, t.scale);
      if (fit) {
        const m = fit.multiplier;
        line(`TEXT ${t.x},${t.y},"${fit.font}",0,${m},${m},`, tsplString(t.text));
      } else {
        const patch = textPatch(t);
        // TSPL bitmaps print a dot for each 0 bit, the opposite of ours.
        const inverted = patch.bitmap.data.map((byte) => ~byte & 0xff);
        line(
          `BITMAP ${patch.x},${patch.y},${patch.bitmap.bytesPerRow},${patch.bitmap.height},0,`,
          inverted,
        );
      }
    }
    const b = label.barcode;
    if (options.barcodes === 'bitmap') {
      const patch = barcodePatch(label);
      // TSPL bitmaps print a dot for each 0 bit, the opposite of ours.
      const inverted = patch.bitmap.data.map((byte) => ~byte & 0xff);
      line(
        `BITMAP ${patch.x},${patch.y},${patch.bitmap.bytesPerRow},${patch.bitmap.height},0,`,
        inverted,
      );
    } else if (b.symbology === 'qr') {
      line(`QRCODE ${b.x},${b.y},M,${b.moduleDots},A,0,`, tsplString(b.data));
    } else {
      const type = { ean13: 'EAN13', upca: 'UPCA', code128: '128' }[b.symbology];
      const k = b.moduleDots;
      line(
        `BARCODE ${b.x},${b.y},"${type}",${b.height},1,0,${k},${k},`,
        tsplString(nativeBarcodeBody(label)),
      );
    }
    // Badges: the text is drawn, then its box is inverted to white on black.
    for (const box of label.boxes) line(`REVERSE ${box.x},${box.y},${box.width},${box.height}`);
    line(`PRINT 1,${copies}`);
  }
  return Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );
}

// --- ZPL (Zebra and its emulations) ---

/** Field data under ^FH: ZPL's own control characters and `_` are written as _hex. */
function zplField(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out +=
      code < 0x20 || ch === '^' || ch === '~' || ch === '_'
        ? `_${code.toString(16).padStart(2, '0')}`
        : ch;
  }
  return out;
}

function zplText(t: LabelText, right: number): string {
  // The scalable font ^A0 is proportional: right-aligned text keeps its right edge via a field block.
  const h = LABEL_CELL.height * t.scale;
  const w = Math.round(h * 0.9);
  const align = t.role === 'sku' ? `^FB${right - t.x},1,0,R` : '';
  return `^FO${t.x},${t.y}${align}^A0N,${h},${w}${t.inverse ? '^FR' : ''}^FH^FD${zplField(t.text)}^FS`;
}

export function encodeZpl(
  items: readonly LabelJobItem[],
  options: LabelEncodeOptions = {},
): Buffer {
  checkCopies(items);
  const out: string[] = [];
  for (const { label, copies } of items) {
    out.push('^XA', '^CI28', `^PW${label.widthDots}`, `^LL${label.heightDots}`, '^LH0,0');
    for (const box of label.boxes) {
      out.push(`^FO${box.x},${box.y}^GB${box.width},${box.height},${box.height},B^FS`);
    }
    for (const t of label.texts) {
      out.push(zplText(t, t.x + textWidth(t.text, t.scale)));
    }
    const b = label.barcode;
    if (options.barcodes === 'bitmap') {
      const { x, y, bitmap } = barcodePatch(label);
      const hex = Buffer.from(bitmap.data).toString('hex').toUpperCase();
      const total = bitmap.data.length;
      out.push(`^FO${x},${y}^GFA,${total},${total},${bitmap.bytesPerRow},${hex}^FS`);
    } else if (b.symbology === 'qr') {
      out.push(
        `^FO${b.x},${b.y}^BQN,2,${Math.min(10, b.moduleDots)}^FH^FDMA,${zplField(b.data)}^FS`,
      );
    } else {
      const command = {
        ean13: `^BEN,${b.height},Y,N`,
        upca: `^BUN,${b.height},Y,N,Y`,
        code128: `^BCN,${b.height},Y,N,N,A`,
      }[b.symbology];
      out.push(
        `^FO${b.x},${b.y}^BY${b.moduleDots}${command}^FH^FD${zplField(nativeBarcodeBody(label))}^FS`,
      );
    }
    out.push(`^PQ${copies}`, '^XZ');
  }
  return Buffer.from(`${out.join('\n')}\n`, 'utf8');
}

// --- ESC/POS (receipt printers loaded with labels or sticker paper) ---

export function encodeEscposLabels(
  items: readonly LabelJobItem[],
  options: LabelEncodeOptions = {},
): Buffer {
  checkCopies(items);
  const parts: Uint8Array[] = [Uint8Array.of(0x1b, 0x40)];
  for (const { label, copies } of items) {
    const raster = escposRaster(renderLabel(label));
    // ESC J feeds n dots (at most 255 per command) across the gap to the next label.
    let feed = Math.round(((options.gapMm ?? 2) * label.dpi) / 25.4);
    const feeds: number[] = [];
    while (feed > 0) {
      feeds.push(0x1b, 0x4a, Math.min(255, feed));
      feed -= 255;
    }
    for (let i = 0; i < copies; i++) parts.push(raster, Uint8Array.from(feeds));
  }
  if (options.cut) parts.push(Uint8Array.of(0x1d, 0x56, 0x42, 0));
  return Buffer.concat(parts);
}

export function encodeLabels(
  items: readonly LabelJobItem[],
  language: LabelLanguage,
  options: LabelEncodeOptions = {},
): Buffer {
  switch (language) {
    case 'tspl':
      return encodeTspl(items, options);
    case 'zpl':
      return encodeZpl(items, options);
    case 'escpos':
      return encodeEscposLabels(items, options);
  }
}

/** A whole batch, from products to printer bytes: what the product screen and `npm run bench` use. */
export function labelBatchJob(
  batch: readonly { product: Product & { priceText?: string }; copies: number }[],
  store: Pick<StoreSettings, 'currency' | 'locale'>,
  options: LabelOptions & LabelEncodeOptions & { language: LabelLanguage },
): Buffer {
  const items = batch.map(({ product, copies }) => ({
    label: labelDocument(product, store, options),
    copies,
  }));
  return encodeLabels(items, options.language, options);
}
