// A whole label as one 1-bit bitmap (text in a built-in 5×7 bitmap font, barcodes via barcode-image), and ESC/POS raster slices.
import { LABEL_CELL, type LabelBarcode, type LabelDocument, textWidth } from '../../shared/label';
import { type Bitmap, barcodeImage, createBitmap, fillRect } from './barcode-image';

// Text is rasterised here (not left to printer fonts) so the preview PNG and ESC/POS labels show
// the very dots that print; TSPL and ZPL use their own fonts on the same grid. The font is our
// own because a vector font thresholded to one bit at 8 dots/mm blurs, and bwip-js's fonts lack €.
//
// One glyph per string: the character, then one base-32 digit per row from the top (bit 4 is the
// leftmost column). Rows 0–6 hold capitals and digits, rows 7–8 descenders; missing rows are blank.
const GLYPH_SOURCE = [
  '!4444404',
  '"aa',
  '#aavavaa',
  '$4fke5u4',
  '%op248j3',
  '&cik8lid',
  "'44",
  '(2488842',
  ')8422248',
  '*04lel4',
  '+044v44',
  ',00000c48',
  '-000e',
  '.00000cc',
  '/01248g',
  '0ehjlphe',
  '14c4444e',
  '2eh1248v',
  '3v2421he',
  '426aiv22',
  '5vgu11he',
  '668guhhe',
  '7v124888',
  '8ehhehhe',
  '9ehhf12c',
  ':0cc0cc',
  ';0cc0c48',
  '<248g842',
  '=00v0v',
  '>8421248',
  '?eh12404',
  '@ehnlnge',
  'Aehhvhhh',
  'Buhhuhhu',
  'Cehggghe',
  'Dsihhhis',
  'Evgguggv',
  'Fvgguggg',
  'Gehgnhhf',
  'Hhhhvhhh',
  'Ie44444e',
  'J72222ic',
  'Khikokih',
  'Lggggggv',
  'Mhrllhhh',
  'Nhhpljhh',
  'Oehhhhhe',
  'Puhhuggg',
  'Qehhhlid',
  'Ruhhukih',
  'Sfgge11u',
  'Tv444444',
  'Uhhhhhhe',
  'Vhhhhha4',
  'Whhhllla',
  'Xhha4ahh',
  'Yhha4444',
  'Zv1248gv',
  '[e88888e',
  '\\0g8421',
  ']e22222e',
  '^4ah',
  '_0000000v',
  '`84',
  'a00e1fhf',
  'bggmphhu',
  'c00egghe',
  'd11djhhf',
  'e00ehvge',
  'f698s888',
  'g00fhhf1he',
  'hggmphhh',
  'i40c444e',
  'j2062222ic',
  'kggikoki',
  'lc44444e',
  'm00qlllh',
  'n00mphhh',
  'o00ehhhe',
  'p00uhhhugg',
  'q00fhhhf11',
  'r00mpggg',
  's00fge1u',
  't88s8896',
  'u00hhhjd',
  'v00hhha4',
  'w00hhlla',
  'x00ha4ah',
  'y00hhhhf1e',
  'z00v248v',
  '{3448443',
  '|4444444',
  '}o44244o',
  '~008l2',
  '€78u8u87',
  '£698s88v',
  '¥ha4v4v4',
  '–000v',
  '…000000l',
  '°cic',
  '•00eee',
  'ßehikihm',
];
const GLYPHS = new Map<string, number[]>(
  GLYPH_SOURCE.map((g) => {
    const [ch = '', ...rows] = [...g];
    return [ch, rows.map((r) => Number.parseInt(r, 32))];
  }),
);
GLYPHS.set(' ', []);

// Look-alikes for characters the font lacks (accents are dropped further down).
const SUBSTITUTES: Record<string, string> = {
  '\u00a0': ' ',
  '\u202f': ' ',
  '‘': "'",
  '’': "'",
  '‚': ',',
  '“': '"',
  '”': '"',
  '„': '"',
  '—': '–',
  '‐': '-',
  '×': 'x',
};

// Accents go in the two rows above a lower-case letter (a cedilla in the two below); capitals
// have no room, so they keep their base letter only.
const MARKS: Record<string, { rows: [number, number]; below?: boolean }> = {
  '\u0300': { rows: [0b01000, 0b00100] },
  '\u0301': { rows: [0b00010, 0b00100] },
  '\u0302': { rows: [0b00100, 0b01010] },
  '\u0303': { rows: [0b01101, 0b10010] },
  '\u0308': { rows: [0b01010, 0b00000] },
  '\u030c': { rows: [0b01010, 0b00100] },
  '\u0327': { rows: [0b00100, 0b01100], below: true },
};

const composed = new Map<string, number[]>();

function glyphFor(ch: string): number[] {
  const direct = GLYPHS.get(ch) ?? GLYPHS.get(SUBSTITUTES[ch] ?? '');
  if (direct) return direct;
  let glyph = composed.get(ch);
  if (!glyph) {
    glyph = compose(ch);
    composed.set(ch, glyph);
  }
  return glyph;
}

function compose(ch: string): number[] {
  // Compatibility forms ("￥", "ﬁ", "²") fall back to their plain letters when those fit one cell.
  const plain = ch.normalize('NFKC');
  if (plain !== ch && [...plain].length === 1) return glyphFor(plain);
  const [base = '', ...marks] = [...ch.normalize('NFD')];
  const rows = GLYPHS.get(base);
  if (!rows) return GLYPHS.get('?')!;
  const mark = marks.length === 1 ? MARKS[marks[0] ?? ''] : undefined;
  if (!mark) return rows;
  const out = Array.from({ length: 9 }, (_, i) => rows[i] ?? 0);
  // i and j lose their dot under an accent.
  if (!mark.below && (base === 'i' || base === 'j')) out[0] = 0;
  const at = mark.below ? 7 : 0;
  if (out[at] || out[at + 1]) return rows;
  [out[at], out[at + 1]] = mark.rows;
  return out;
}

/** Draw one line of text with its first cell's top-left at (x, y), each font dot `scale` dots square. */
export function drawText(
  target: Bitmap,
  text: string,
  x: number,
  y: number,
  scale: number,
  black = true,
): void {
  let cx = x;
  for (const ch of text) {
    const rows = glyphFor(ch);
    rows.forEach((bits, row) => {
      for (let col = 0; col < 5; col++) {
        if (bits & (0x10 >> col))
          fillRect(target, cx + col * scale, y + row * scale, scale, scale, black);
      }
    });
    cx += LABEL_CELL.width * scale;
  }
}

/** The rectangle a label's barcode and its human-readable line take, quiet zone excluded. */
export function barcodeArea(doc: LabelDocument): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  const b = doc.barcode;
  if (b.symbology === 'qr') {
    return { x: b.x, y: b.y, width: b.modules * b.moduleDots, height: b.height };
  }
  const textHeight = b.textScale ? (LABEL_CELL.capHeight + 1) * b.textScale + b.textScale : 0;
  // EAN/UPC print their first (and UPC its last) digit in the quiet zone beside the bars.
  const side = b.symbology === 'code128' ? 0 : textWidth('0', b.textScale) + 2 * b.moduleDots;
  const textOverhang =
    b.symbology === 'code128'
      ? Math.max(0, Math.ceil((textWidth(b.data, b.textScale) - b.modules * b.moduleDots) / 2))
      : side;
  const x = Math.max(0, b.x - textOverhang);
  const right = Math.min(doc.widthDots, b.x + b.modules * b.moduleDots + textOverhang);
  return {
    x,
    y: b.y,
    width: right - x,
    height: Math.min(doc.heightDots - b.y, b.height + textHeight),
  };
}

/**
 * Draw a label's barcode with its human-readable line, offset by (dx, dy) from label coordinates
 * (so the same drawing can fill a whole label or a barcode-sized bitmap).
 */
export function drawLabelBarcode(target: Bitmap, barcode: LabelBarcode, dx = 0, dy = 0): void {
  const b = barcode;
  const k = b.moduleDots;
  const s = b.textScale;
  const textGap = s;
  const guardDots = b.symbology === 'code128' || !s ? 0 : Math.ceil((LABEL_CELL.capHeight * s) / 2);
  const image = barcodeImage({
    symbology: b.symbology,
    data: b.data,
    moduleDots: k,
    heightDots: b.height,
    guardDots,
  });
  // Code 128 and QR lay out for their largest size; centre what the encoder actually drew.
  const slack = b.modules * k - image.width;
  const x = b.x + dx + Math.floor(slack / 2);
  const y = b.y + dy + (b.symbology === 'qr' ? Math.floor(slack / 2) : 0);
  image.draw(target, x, y);
  if (!s) return;
  const ty = b.y + dy + b.height + textGap;
  const centred = (text: string, centre: number) =>
    drawText(target, text, Math.round(centre - textWidth(text, s) / 2), ty, s);
  const d = b.data;
  if (b.symbology === 'code128') {
    centred(d, x + image.width / 2);
  } else if (b.symbology === 'ean13') {
    drawText(target, d.slice(0, 1), x - textWidth('0', s) - 2 * k, ty, s);
    centred(d.slice(1, 7), x + 24 * k);
    centred(d.slice(7), x + 71 * k);
  } else if (b.symbology === 'upca') {
    drawText(target, d.slice(0, 1), x - textWidth('0', s) - 2 * k, ty, s);
    centred(d.slice(1, 6), x + 27.5 * k);
    centred(d.slice(6, 11), x + 67.5 * k);
    drawText(target, d.slice(11), x + 97 * k, ty, s);
  }
}

/** The label exactly as a printer prints it: black dots on white, one bit per dot. */
export function renderLabel(doc: LabelDocument): Bitmap {
  const bitmap = createBitmap(doc.widthDots, doc.heightDots);
  for (const box of doc.boxes) fillRect(bitmap, box.x, box.y, box.width, box.height);
  for (const t of doc.texts) drawText(bitmap, t.text, t.x, t.y, t.scale, !t.inverse);
  drawLabelBarcode(bitmap, doc.barcode);
  return bitmap;
}

/** Cheap ESC/POS printers read only the low byte of a raster's height, so no slice is taller. */
export const ESCPOS_MAX_SLICE_ROWS = 255;

/** The bitmap as ESC/POS `GS v 0` raster commands, top to bottom, at most 255 rows each. */
export function escposRaster(bitmap: Bitmap, maxRows = ESCPOS_MAX_SLICE_ROWS): Uint8Array {
  if (maxRows < 1 || maxRows > ESCPOS_MAX_SLICE_ROWS) throw new RangeError('slice rows 1–255');
  const { bytesPerRow, height, data } = bitmap;
  const slices = Math.ceil(height / maxRows);
  const out = new Uint8Array(slices * 8 + data.length);
  let at = 0;
  for (let top = 0; top < height; top += maxRows) {
    const rows = Math.min(maxRows, height - top);
    out.set([0x1d, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, rows, 0], at);
    at += 8;
    out.set(data.subarray(top * bytesPerRow, (top + rows) * bytesPerRow), at);
    at += rows * bytesPerRow;
  }
  return out;
}
