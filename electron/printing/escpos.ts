// Receipt documents to printer bytes for Epson ESC/POS and Star Line Mode, built with node-thermal-printer (plain Node: no Electron, no transport).
import iconv from 'iconv-lite';
import { BreakLine, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import {
  type Align,
  isControlCharacter,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  type TextSize,
} from '../../shared/receipt';
import { type Bitmap, barcodeBitmap, createBitmap, isBlack } from './barcode-image';
import { escposRaster } from './raster';

export type PrinterLanguage = 'escpos' | 'star';

/** Code pages both command sets can select (node-thermal-printer's names). */
export type CodePage = 'PC858_EURO' | 'WPC1252' | 'PC852_LATIN2' | 'WPC1250_LATIN2' | 'PC437_USA';

const ICONV_NAME: Record<CodePage, string> = {
  PC858_EURO: 'CP858',
  WPC1252: 'CP1252',
  PC852_LATIN2: 'CP852',
  WPC1250_LATIN2: 'CP1250',
  PC437_USA: 'CP437',
};

/**
 * PC858 (Latin-1 letters and €) is on nearly every receipt printer, Epson clones included;
 * WPC1252 adds typographic dashes and quotes; PC852 the Central European letters (ł, ő, č).
 */
export const DEFAULT_CODE_PAGES: readonly CodePage[] = ['PC858_EURO', 'WPC1252', 'PC852_LATIN2'];

export interface EncodeOptions {
  language: PrinterLanguage;
  /** Code pages the printer has, in order of preference; text switches page per character. */
  codePages?: readonly CodePage[];
  /**
   * Print QR codes with the printer's own QR command (default). `false` sends them as a
   * raster image instead, for printers that have no QR command or draw it badly.
   */
  nativeQr?: boolean;
  /** The store's logo (black dots = 1), printed centred above the store name as a raster image. */
  logo?: Bitmap;
}

/** Dots across the printable area for each receipt width (58 mm, 80 mm with a 72 mm head, 80 mm). */
export const PRINTABLE_DOTS: Record<ReceiptWidth, number> = {
  32: 384,
  42: 512,
  48: 576,
};

/** QR module size in dots: bigger modules scan more easily; 58 mm paper has room for less. */
export function qrModuleDots(width: number): number {
  return width >= 42 ? 6 : 5;
}

/**
 * `image` in the middle of a blank bitmap as wide as the paper. Centred in the bitmap rather
 * than with ESC a: many ESC/POS clones ignore alignment for raster images.
 */
export function centredOnPaper(image: Bitmap, paperDots: number): Bitmap {
  if (image.width > paperDots) {
    throw new RangeError(
      `an image ${image.width} dots wide does not fit paper ${paperDots} dots wide`,
    );
  }
  const out = createBitmap(paperDots, image.height);
  const left = Math.floor((paperDots - image.width) / 2);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (isBlack(image, x, y)) {
        const i = y * out.bytesPerRow + ((left + x) >> 3);
        out.data[i] = (out.data[i] ?? 0) | (0x80 >> ((left + x) & 7));
      }
    }
  }
  return out;
}

const encodable = new Map<string, boolean>();

function canEncode(char: string, page: CodePage): boolean {
  const key = `${page}\u0000${char}`;
  let ok = encodable.get(key);
  if (ok === undefined) {
    const bytes = iconv.encode(char, ICONV_NAME[page]);
    // iconv-lite writes "?" for what the page lacks.
    ok = bytes.length === 1 && (bytes[0] !== 0x3f || char === '?');
    encodable.set(key, ok);
  }
  return ok;
}

/** Look-alikes for letters and signs that no selected code page has (ł → l, “ → "). */
const LOOK_ALIKES: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
  Ð: 'D',
  '–': '-',
  '—': '-',
  '−': '-',
  '‐': '-',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '…': '...',
  '•': '*',
  '·': '.',
  '×': 'x',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '©': '(c)',
  '®': '(R)',
  '™': 'TM',
};

/** ASCII stand-in for a character no code page in use can print. */
export function transliterate(char: string): string {
  const known = LOOK_ALIKES[char];
  if (known !== undefined) return known;
  const stripped = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (/^[\x20-\x7e]+$/.test(stripped)) return stripped;
  return '?';
}

/** Split text into runs that one code page prints, staying on the current page while it can. */
function codePageRuns(
  text: string,
  pages: readonly CodePage[],
  current: CodePage,
): { page: CodePage; text: string }[] {
  const runs: { page: CodePage; text: string }[] = [];
  let page = current;
  let run = '';
  for (const raw of text.normalize('NFC')) {
    // Control characters never reach the printer as text: they would be commands.
    const char = isControlCharacter(raw) ? ' ' : raw;
    let out = char;
    if (char > '\u007e' && !canEncode(char, page)) {
      const other = pages.find((p) => canEncode(char, p));
      if (other) {
        if (run) runs.push({ page, text: run });
        page = other;
        run = '';
      } else {
        out = Array.from(transliterate(char))
          .map((c) => (canEncode(c, page) ? c : '?'))
          .join('');
      }
    }
    run += out;
  }
  if (run || runs.length === 0) runs.push({ page, text: run });
  return runs;
}

const ESC = 0x1b;
const GS = 0x1d;

/**
 * Epson cash drawer pulse: ESC p m t1 t2 on pin 2, 50 ms on, 500 ms off. (The library's
 * kick leaves out t1 and t2, so the printer would swallow the next two bytes as timings.)
 */
const EPSON_DRAWER_KICK = Buffer.from([ESC, 0x70, 0x00, 25, 250]);

/**
 * Star Line Mode QR: model 2, correction M, cell size, data (ESC GS y D 1, auto mode), print.
 * Written out here because node-thermal-printer 4.6.1 leaves out the ESC GS y D 1 header.
 */
function starQr(data: string, cellSize: number): Buffer {
  const bytes = Buffer.from(data, 'latin1');
  const y = (...rest: number[]) => Buffer.from([ESC, GS, 0x79, ...rest]);
  return Buffer.concat([
    y(0x53, 0x30, 2), // S 0: model 2
    y(0x53, 0x31, 1), // S 1: error correction M
    y(0x53, 0x32, cellSize), // S 2: module size in dots
    y(0x44, 0x31, 0, bytes.length & 0xff, bytes.length >> 8), // D 1: data follows
    bytes,
    y(0x50), // P: print
  ]);
}

class ReceiptEncoder {
  private readonly printer: ThermalPrinter;
  private readonly pages: readonly CodePage[];
  private page: CodePage | undefined;
  /** Text style the printer is in; unknown after a reset. */
  private current: { align?: Align; bold?: boolean; size?: TextSize } = {};

  constructor(
    private readonly language: PrinterLanguage,
    codePages: readonly CodePage[],
    width: number,
    private readonly nativeQr: boolean,
  ) {
    if (codePages.length === 0) throw new RangeError('at least one code page is needed');
    this.pages = codePages;
    // No interface: the library only builds the bytes; our transports send them.
    this.printer = new ThermalPrinter({
      type: language === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
      interface: '',
      width,
      breakLine: BreakLine.NONE,
    });
    this.init();
  }

  private init(): void {
    this.printer.add(Buffer.from([ESC, 0x40]));
    this.page = undefined;
    this.current = {};
  }

  private selectPage(page: CodePage): void {
    if (this.page === page) return;
    this.printer.setCharacterSet(page);
    this.page = page;
  }

  println(line: string): void {
    const first = this.pages[0]!;
    for (const run of codePageRuns(line, this.pages, this.page ?? first)) {
      this.selectPage(run.page);
      if (run.text) this.printer.print(run.text);
    }
    this.printer.newLine();
  }

  /** Change only what differs from the last block: fewer bytes down a slow serial line. */
  style(align: Align, bold: boolean, size: TextSize): void {
    const now = this.current;
    if (size !== now.size) {
      if (size === 'large') this.printer.setTextQuadArea();
      else if (size === 'tall') this.printer.setTextDoubleHeight();
      else this.printer.setTextNormal();
      now.size = size;
      // Epson's ESC ! sets bold along with the size.
      now.bold = undefined;
    }
    if (bold !== now.bold) {
      this.printer.bold(bold);
      now.bold = bold;
    }
    if (align !== now.align) {
      if (align === 'center') this.printer.alignCenter();
      else if (align === 'right') this.printer.alignRight();
      else this.printer.alignLeft();
      now.align = align;
    }
  }

  code(symbology: 'qr' | 'code128', data: string, width: ReceiptWidth): void {
    // Both command sets count bytes, and scanners at the till read plain ASCII best.
    if (!/^[\x20-\x7e]{1,200}$/.test(data)) {
      throw new RangeError(`a ${symbology} code carries 1–200 printable ASCII characters`);
    }
    if (symbology === 'qr') {
      const cellSize = qrModuleDots(width);
      if (!this.nativeQr) {
        const qr = barcodeBitmap({ symbology: 'qr', data, moduleDots: cellSize, eclevel: 'M' });
        this.image(qr, PRINTABLE_DOTS[width]);
        return;
      }
      if (this.language === 'star') this.printer.add(starQr(data, cellSize));
      else this.printer.printQR(data, { cellSize, correction: 'M', model: 2 });
      return;
    }
    if (this.language === 'star') {
      this.printer.code128(data, { text: 1, width: 'SMALL', height: 80 });
    } else {
      // Code set B; a literal "{" is written "{{" in Epson's Code 128 data.
      this.printer.printBarcode(data.replaceAll('{', '{{'), 73, {
        hriPos: 0,
        hriFont: 0,
        width: 2,
        height: 80,
      });
    }
  }

  /** A 1-bit image centred on the paper, as GS v 0 raster slices of at most 255 rows. */
  image(bitmap: Bitmap, paperDots: number): void {
    // Star Line Mode has no GS v 0; its raster commands differ per model family.
    if (this.language === 'star') {
      throw new RangeError('raster images (logo, QR as image) need an ESC/POS printer');
    }
    this.printer.add(Buffer.from(escposRaster(centredOnPaper(bitmap, paperDots))));
  }

  drawerKick(): void {
    if (this.language === 'star') this.printer.openCashDrawer();
    else this.printer.add(EPSON_DRAWER_KICK);
  }

  cut(): void {
    // Epson cuts where the paper is: feed the last line past the blade first. Star's
    // ESC d 3 feeds to the cutter by itself.
    this.printer.partialCut({ verticalTabAmount: this.language === 'star' ? 0 : 1 });
    // The library re-initialises the printer after a cut: code page and style are reset.
    this.page = undefined;
    this.current = {};
  }

  bytes(): Buffer {
    return this.printer.getBuffer();
  }
}

function encodeBlock(enc: ReceiptEncoder, block: ReceiptBlock, width: ReceiptWidth): void {
  switch (block.kind) {
    case 'text':
      enc.style(block.align, block.bold, block.size);
      for (const l of block.lines) enc.println(l);
      break;
    case 'row':
      enc.style('left', block.bold, block.size);
      for (const l of block.lines) enc.println(l);
      break;
    case 'rule':
      enc.style('left', false, 'normal');
      enc.println(block.line);
      break;
    case 'tax-table':
      enc.style('left', false, 'normal');
      for (const l of block.lines) enc.println(l);
      break;
    case 'code':
      // Both command sets leave the print position at the start of a line after a symbol.
      enc.style('center', false, 'normal');
      enc.code(block.symbology, block.data, width);
      break;
    case 'feed':
      enc.style('left', false, 'normal');
      for (let i = 0; i < block.lines; i++) enc.println('');
      break;
    case 'drawer-kick':
      enc.drawerKick();
      break;
    case 'cut':
      enc.cut();
      break;
  }
}

/** The bytes that print `doc` on an Epson (ESC/POS) or Star (Line Mode) receipt printer. */
export function encodeReceipt(doc: ReceiptDocument, options: EncodeOptions): Buffer {
  const enc = new ReceiptEncoder(
    options.language,
    options.codePages ?? DEFAULT_CODE_PAGES,
    doc.width,
    options.nativeQr ?? true,
  );
  let logoPending = options.logo !== undefined;
  for (const block of doc.blocks) {
    // The logo heads the paper; a drawer kick before it still goes first, so the drawer opens early.
    if (logoPending && block.kind !== 'drawer-kick' && options.logo) {
      enc.image(options.logo, PRINTABLE_DOTS[doc.width]);
      logoPending = false;
    }
    encodeBlock(enc, block, doc.width);
  }
  return enc.bytes();
}
