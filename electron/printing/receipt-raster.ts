// A receipt document drawn as the paper shows it: a 1-bit bitmap on the printer's character grid (built-in 5×7 font, codes via barcode-image), its PNG, and store logos read from PNG.
import { PNG } from 'pngjs';
import { LABEL_CELL } from '../../shared/label';
import {
  type Align,
  printedLength,
  type ReceiptDocument,
  type ReceiptWidth,
  type TextSize,
} from '../../shared/receipt';
import { type Bitmap, barcodeBitmap, bitmapToPng, createBitmap, fillRect } from './barcode-image';
import { centredOnPaper, PRINTABLE_DOTS, qrModuleDots } from './escpos';
import { drawText } from './raster';

/** Font dots per glyph dot: 6 × 2 = 12-dot cells, so 48 columns fill 576 dots as on an 80 mm printer. */
const SCALE = 2;
const CELL = LABEL_CELL.width * SCALE;
/** A normal line: the 10-row cell and a little leading, near a printer's default line spacing. */
const LINE = LABEL_CELL.height * SCALE + 6;
const MARGIN_TOP = 8;
const MARGIN_BOTTOM = 24;
const LOGO_GAP = 12;

export interface ReceiptRasterOptions {
  /** The store's logo, centred above the store name as the printer would print it. */
  logo?: Bitmap;
}

type Draw = (target: Bitmap) => void;

/**
 * One line of text with each font dot `sx` × `sy` printer dots; bold strikes each dot one dot
 * wider, as printers do for emphasis.
 */
function drawLine(
  target: Bitmap,
  text: string,
  x: number,
  y: number,
  sx: number,
  sy: number,
  bold: boolean,
): void {
  const n = printedLength(text);
  if (n === 0 || text.trim() === '') return;
  // The font draws square dots only: draw at one dot per font dot, then stretch.
  const glyphs = createBitmap(n * LABEL_CELL.width, LABEL_CELL.height);
  drawText(glyphs, text.replaceAll('·', ' '), 0, 0, 1);
  // The label font has no middle dot (receipt promises use it as a separator): one dot, mid-height.
  Array.from(text).forEach((ch, i) => {
    if (ch === '·') fillRect(glyphs, i * LABEL_CELL.width + 2, 3, 1, 1);
  });
  for (let gy = 0; gy < glyphs.height; gy++) {
    for (let gx = 0; gx < glyphs.width; gx++) {
      const byte = glyphs.data[gy * glyphs.bytesPerRow + (gx >> 3)] ?? 0;
      if (byte & (0x80 >> (gx & 7))) {
        fillRect(target, x + gx * sx, y + gy * sy, sx + (bold ? 1 : 0), sy);
      }
    }
  }
}

/** Columns from the left edge where a line of `length` characters starts. */
function startColumn(length: number, align: Align, width: number, scale: number): number {
  const free = Math.max(0, width - length * scale);
  return align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
}

/** The dot scale (across, down) the printer uses for a text size. */
function sizeScale(size: TextSize): [number, number] {
  if (size === 'large') return [2, 2];
  if (size === 'tall') return [1, 2];
  return [1, 1];
}

/** A code as the printer draws it: QR at the module size encodeReceipt uses, Code 128 as wide as fits. */
function codeBitmap(symbology: 'qr' | 'code128', data: string, width: ReceiptWidth): Bitmap {
  if (symbology === 'qr') {
    return barcodeBitmap({ symbology, data, moduleDots: qrModuleDots(width), eclevel: 'M' });
  }
  const wide = barcodeBitmap({ symbology, data, moduleDots: 2, heightDots: 80 });
  if (wide.width <= PRINTABLE_DOTS[width]) return wide;
  return barcodeBitmap({ symbology, data, moduleDots: 1, heightDots: 80 });
}

/** Copy `image` into `target` with its top-left at (x, y). */
function blit(target: Bitmap, image: Bitmap, x: number, y: number): void {
  for (let row = 0; row < image.height; row++) {
    for (let col = 0; col < image.width; col++) {
      if ((image.data[row * image.bytesPerRow + (col >> 3)] ?? 0) & (0x80 >> (col & 7))) {
        fillRect(target, x + col, y + row, 1, 1);
      }
    }
  }
}

/**
 * The receipt as one bitmap as wide as the paper's printable area (384 dots for 58 mm, 512 or
 * 576 for 80 mm): text on the printer's column grid, double sizes doubled, codes centred.
 */
export function renderReceipt(doc: ReceiptDocument, options: ReceiptRasterOptions = {}): Bitmap {
  const paper = PRINTABLE_DOTS[doc.width];
  // 42 columns of 12 dots leave 8 of a 72 mm head's 512 spare: centre the grid as printers do.
  const left = Math.floor((paper - doc.width * CELL) / 2);
  const draws: Draw[] = [];
  let y = MARGIN_TOP;

  const image = (bitmap: Bitmap) => {
    const at = y;
    const centred = centredOnPaper(bitmap, paper);
    draws.push((target) => blit(target, centred, 0, at));
    y += bitmap.height;
  };
  const lines = (texts: string[], align: Align, bold: boolean, size: TextSize) => {
    const [sx, sy] = sizeScale(size);
    for (const text of texts) {
      const at = y;
      const x = left + startColumn(printedLength(text), align, doc.width, sx) * CELL;
      // Leading goes above the glyphs, so tall text sits on the same baseline grid.
      draws.push((target) => drawLine(target, text, x, at + 4 * sy, SCALE * sx, SCALE * sy, bold));
      y += LINE * sy;
    }
  };

  if (options.logo) {
    image(options.logo);
    y += LOGO_GAP;
  }
  doc.blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'text':
        lines(block.lines, block.align, block.bold, block.size);
        break;
      case 'row':
        lines(block.lines, 'left', block.bold, block.size);
        break;
      case 'tax-table':
        lines(block.lines, 'left', false, 'normal');
        break;
      case 'rule':
        lines([block.line], 'left', false, 'normal');
        break;
      case 'code':
        image(codeBitmap(block.symbology, block.data, doc.width));
        break;
      case 'feed':
        y += LINE * block.lines;
        break;
      case 'cut':
        // The paper ends at the last cut; a cut mid-document shows as a dotted line.
        if (i < doc.blocks.length - 1) {
          const at = y + LINE / 2;
          draws.push((target) => {
            for (let x = 0; x < paper; x += 8) fillRect(target, x, at, 4, 1);
          });
          y += LINE;
        }
        break;
      case 'drawer-kick':
        break;
    }
  });

  const bitmap = createBitmap(paper, y + MARGIN_BOTTOM);
  for (const draw of draws) draw(bitmap);
  return bitmap;
}

/** The receipt as a PNG for review: black dots on white, one pixel per printer dot. */
export function receiptPng(doc: ReceiptDocument, options: ReceiptRasterOptions = {}): Buffer {
  return bitmapToPng(renderReceipt(doc, options));
}

/**
 * A logo from a PNG, ready to print: transparent pixels count as paper (white), images wider
 * than `maxWidth` dots are shrunk by averaging, and what is darker than mid-grey prints black.
 */
export function logoFromPng(png: Buffer, maxWidth: number): Bitmap {
  const source = PNG.sync.read(png);
  const { width, height, data } = source;
  // Ink per pixel, 0 (white) to 1 (black), over a white background.
  const ink = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = (data[i * 4 + 3] ?? 255) / 255;
    const luma =
      (0.299 * (data[i * 4] ?? 0) +
        0.587 * (data[i * 4 + 1] ?? 0) +
        0.114 * (data[i * 4 + 2] ?? 0)) /
      255;
    ink[i] = alpha * (1 - luma);
  }
  const factor = Math.max(1, width / maxWidth);
  const outWidth = Math.max(1, Math.min(maxWidth, Math.round(width / factor)));
  const outHeight = Math.max(1, Math.round(height / factor));
  const out = createBitmap(outWidth, outHeight);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = Math.floor(oy * factor);
    const y1 = Math.max(y0 + 1, Math.min(height, Math.floor((oy + 1) * factor)));
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = Math.floor(ox * factor);
      const x1 = Math.max(x0 + 1, Math.min(width, Math.floor((ox + 1) * factor)));
      let sum = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) sum += ink[sy * width + sx] ?? 0;
      }
      if (sum / ((y1 - y0) * (x1 - x0)) >= 0.5) fillRect(out, ox, oy, 1, 1);
    }
  }
  return out;
}
