// Barcodes drawn by bwip-js at whole-dot module widths into 1-bit bitmaps (MSB first, 1 = black), and PNGs of them.
// The default export: bwip-js's ES build also exports a `raw` that is the "raw" symbology, not the encoder.
import bwipjs from 'bwip-js/node';
import { PNG } from 'pngjs';
import type { LabelSymbology } from '../../shared/label';
import { quietModules } from '../../shared/label';

/** A 1-bit image as printers take it: rows of bytes, leftmost dot in the most significant bit, 1 = black. */
export type Bitmap = { width: number; height: number; bytesPerRow: number; data: Uint8Array };

export function createBitmap(width: number, height: number): Bitmap {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`a bitmap needs whole positive dimensions, got ${width}×${height}`);
  }
  const bytesPerRow = Math.ceil(width / 8);
  return { width, height, bytesPerRow, data: new Uint8Array(bytesPerRow * height) };
}

export function isBlack(bitmap: Bitmap, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= bitmap.width || y >= bitmap.height) return false;
  return ((bitmap.data[y * bitmap.bytesPerRow + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}

/** Paint a rectangle black (or white), clipped to the bitmap. */
export function fillRect(
  bitmap: Bitmap,
  x: number,
  y: number,
  width: number,
  height: number,
  black = true,
): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(bitmap.width, Math.round(x + width));
  const y1 = Math.min(bitmap.height, Math.round(y + height));
  if (x0 >= x1 || y0 >= y1) return;
  const { data, bytesPerRow } = bitmap;
  const firstByte = x0 >> 3;
  const lastByte = (x1 - 1) >> 3;
  const firstMask = 0xff >> (x0 & 7);
  const lastMask = (0xff << (7 - ((x1 - 1) & 7))) & 0xff;
  for (let row = y0; row < y1; row++) {
    const base = row * bytesPerRow;
    for (let b = firstByte; b <= lastByte; b++) {
      let mask = 0xff;
      if (b === firstByte) mask &= firstMask;
      if (b === lastByte) mask &= lastMask;
      const i = base + b;
      data[i] = black ? (data[i] ?? 0) | mask : (data[i] ?? 0) & ~mask;
    }
  }
}

/** A grayscale PNG of the bitmap: black dots on white, one pixel per dot. */
export function bitmapToPng(bitmap: Bitmap): Buffer {
  const png = new PNG({ width: bitmap.width, height: bitmap.height, colorType: 0 });
  const { width, height, bytesPerRow, data } = bitmap;
  const gray = Buffer.alloc(width * height, 0xff);
  for (let y = 0; y < height; y++) {
    for (let b = 0; b < bytesPerRow; b++) {
      const byte = data[y * bytesPerRow + b] ?? 0;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8 && b * 8 + bit < width; bit++) {
        if (byte & (0x80 >> bit)) gray[y * width + b * 8 + bit] = 0;
      }
    }
  }
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

export type BarcodeSpec = {
  symbology: LabelSymbology;
  /** EAN-13 / UPC-A with their check digit; any text for Code 128 (ASCII) and QR. */
  data: string;
  /** Dots per module: a whole number, so every bar of a kind prints the same width. */
  moduleDots: number;
  /** Bar height in dots for linear codes; QR codes are square. */
  heightDots?: number;
  /** How much further down EAN/UPC guard bars reach, in dots. */
  guardDots?: number;
  /** QR error correction; M by default. */
  eclevel?: 'L' | 'M' | 'Q' | 'H';
};

/** A symbol in modules: bars as [start, width, guard] for linear codes, or a square grid for QR. */
type Symbol1D = { kind: 'linear'; modules: number; bars: [number, number, boolean][] };
type Symbol2D = { kind: 'matrix'; modules: number; cells: number[] };

const BWIP_IDS: Record<LabelSymbology, string> = {
  ean13: 'ean13',
  upca: 'upca',
  code128: 'code128',
  qr: 'qrcode',
};
// Bars (counted from 0) that form the guard patterns, plus UPC-A's first and last digit.
const GUARD_BARS: Partial<Record<LabelSymbology, ReadonlySet<number>>> = {
  ean13: new Set([0, 1, 14, 15, 28, 29]),
  upca: new Set([0, 1, 2, 3, 14, 15, 26, 27, 28, 29]),
};

function encodeSymbol(symbology: LabelSymbology, data: string, eclevel = 'M'): Symbol1D | Symbol2D {
  const options = symbology === 'qr' ? { eclevel } : {};
  const [symbol] = bwipjs.raw({ bcid: BWIP_IDS[symbology], text: data, ...options });
  if (!symbol) throw new Error(`bwip-js drew no ${symbology} symbol`);
  if ('pixs' in symbol) return { kind: 'matrix', modules: symbol.pixx, cells: symbol.pixs };
  const guards = GUARD_BARS[symbology];
  const bars: [number, number, boolean][] = [];
  let at = 0;
  symbol.sbs.forEach((width, i) => {
    // Widths alternate bar, space, bar… starting with a bar.
    if (i % 2 === 0) bars.push([at, width, guards?.has(i / 2) ?? false]);
    at += width;
  });
  return { kind: 'linear', modules: at, bars };
}

/** A symbol ready to draw: its size in dots (bars only, no quiet zone) and how to draw it. */
export type BarcodeImage = {
  width: number;
  height: number;
  /** Paint the bars with the symbol's top-left at (x, y); the caller leaves the quiet zone white. */
  draw(target: Bitmap, x: number, y: number): void;
};

export function barcodeImage(spec: BarcodeSpec): BarcodeImage {
  const k = spec.moduleDots;
  if (!Number.isInteger(k) || k < 1) throw new RangeError('moduleDots must be a whole number ≥ 1');
  const symbol = encodeSymbol(spec.symbology, spec.data, spec.eclevel);
  const n = symbol.modules;
  if (symbol.kind === 'matrix') {
    return {
      width: n * k,
      height: n * k,
      draw(target, x, y) {
        for (let row = 0; row < n; row++) {
          for (let col = 0; col < n; col++) {
            if (symbol.cells[row * n + col]) fillRect(target, x + col * k, y + row * k, k, k);
          }
        }
      },
    };
  }
  const height = spec.heightDots ?? 50 * k;
  const guard = spec.guardDots ?? 0;
  return {
    width: n * k,
    height: height + guard,
    draw(target, x, y) {
      for (const [start, width, isGuard] of symbol.bars) {
        fillRect(target, x + start * k, y, width * k, height + (isGuard ? guard : 0));
      }
    },
  };
}

/** The symbol alone on white, with its quiet zone on every side. */
export function barcodeBitmap(spec: BarcodeSpec): Bitmap {
  const pad = quietModules(spec.symbology) * spec.moduleDots;
  const image = barcodeImage(spec);
  const bitmap = createBitmap(image.width + 2 * pad, image.height + 2 * pad);
  image.draw(bitmap, pad, pad);
  return bitmap;
}

/** A PNG of the symbol for previews: exactly the dots a printer would print, on white. */
export function barcodePng(spec: BarcodeSpec): Buffer {
  return bitmapToPng(barcodeBitmap(spec));
}
