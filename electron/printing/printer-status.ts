// Owns asking a receipt printer how it is and reading its answer: Epson DLE EOT (three one-byte answers) and Star ESC ACK SOH (an ASB block).

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  /** The roll is nearly used up: printing still works. */
  paperLow: boolean;
}

/** Which status commands a printer understands: Epson's ESC/POS or Star Line Mode. */
export type StatusDialect = 'escpos' | 'star';

/** DLE EOT 1 (printer), 2 (offline cause), 4 (paper sensor): three one-byte answers. */
const EPSON_QUERY = Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
/** ESC ACK SOH: a Star printer answers with its automatic status (ASB) block. */
const STAR_QUERY = Buffer.from([0x1b, 0x06, 0x01]);

/** The bytes that ask for the whole status. */
export function statusQuery(dialect: StatusDialect): Buffer {
  return dialect === 'star' ? STAR_QUERY : EPSON_QUERY;
}

/**
 * The shortest query whose answer proves the printer has read everything sent before it
 * (printers read in order): one DLE EOT on Epson, the same ESC ACK SOH on Star.
 */
export function deliveryProbe(dialect: StatusDialect): Buffer {
  return dialect === 'star' ? STAR_QUERY : EPSON_QUERY.subarray(0, 3);
}

/** Each Epson answer has bits 1 and 4 set and bits 0 and 7 clear; anything else is not a status. */
function isEpsonStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function decodeStatus(printer: number, offline: number, paper: number): PrinterStatus {
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offline & 0x04) !== 0,
    paperOut: (offline & 0x20) !== 0 || (paper & 0x60) === 0x60,
    paperLow: (paper & 0x0c) === 0x0c,
  };
}

/**
 * A Star ASB header (its first byte): bit 0 set, bits 4 and 7 clear. Bits 1–3 and 5 give
 * the block's length in bytes, header included (7 on older models, 9 on the TSP100/650).
 */
export function starStatusLength(header: number): number | null {
  if ((header & 0x91) !== 0x01) return null;
  const length = ((header >> 2) & 0x08) | ((header >> 1) & 0x07);
  return length >= 7 ? length : null;
}

/**
 * A Star ASB block: byte 3 says offline (bit 3) and cover open (bit 5), byte 4 holds the
 * errors (mechanical, cutter, unrecoverable, head too hot), byte 6 the paper sensors
 * (bit 3 paper end, bits 1–2 near end).
 */
export function decodeStarStatus(block: ArrayLike<number>): PrinterStatus {
  const printer = block[2] ?? 0;
  const errors = block[3] ?? 0;
  const paper = block[5] ?? 0;
  const paperOut = (paper & 0x08) !== 0;
  return {
    online: (printer & 0x08) === 0 && (errors & 0x6c) === 0,
    coverOpen: (printer & 0x20) !== 0,
    paperOut,
    paperLow: paperOut || (paper & 0x06) !== 0,
  };
}

/**
 * Reads a printer's answers as they arrive, skipping bytes that are not status (echoes,
 * XON/XOFF): `push` returns the status once a whole answer is in, `sawAnswer` says whether
 * any status byte came at all (proof of delivery after a job).
 */
export class StatusReader {
  private bytes: number[] = [];
  private seen = 0;

  constructor(private readonly dialect: StatusDialect) {}

  /** Forget what was read: the next answer is to a new query. */
  reset(): void {
    this.bytes = [];
    this.seen = 0;
  }

  get sawAnswer(): boolean {
    return this.seen > 0;
  }

  push(chunk: Uint8Array): PrinterStatus | null {
    if (this.dialect === 'escpos') {
      for (const b of chunk) if (isEpsonStatusByte(b)) this.bytes.push(b);
      this.seen = this.bytes.length;
      const [printer, offline, paper] = this.bytes;
      if (this.bytes.length < 3) return null;
      return decodeStatus(printer!, offline!, paper!);
    }
    for (const b of chunk) {
      // Wait for a header; everything after it belongs to the block.
      if (this.bytes.length === 0 && starStatusLength(b) === null) continue;
      this.bytes.push(b);
      this.seen++;
    }
    const length = this.bytes.length ? starStatusLength(this.bytes[0]!) : null;
    if (length === null || this.bytes.length < length) return null;
    return decodeStarStatus(this.bytes.slice(0, length));
  }
}
