// Getting bytes to a printer named by a URL: raw TCP (port 9100), a device file, a serial port, a CUPS queue or the Windows spooler (raw), or a folder as a virtual printer; plus receipt printer status over TCP.
import { constants } from 'node:fs';
import { mkdir, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PrinterStatus, StatusDialect } from './printer-status';
import { runCommand } from './run-command';
import { readStatus, type StatusResult, sendTcp } from './tcp-printer';
import { sendWindowsSpooler } from './windows-spooler';

export type PrintErrorCode =
  | 'bad-printer-address'
  | 'printer-unreachable'
  | 'printer-timeout'
  | 'paper-out'
  | 'cover-open'
  | 'printer-error'
  /** The address names a way of printing this computer does not have (win: off Windows). */
  | 'unsupported-transport';

export type PrintResult =
  /**
   * `unconfirmed`: every byte went to the printer but it neither closed the connection nor
   * answered a status query after the job (TCP only): sent, not confirmed.
   */
  | { ok: true; status?: PrinterStatus; unconfirmed?: true }
  | { ok: false; code: PrintErrorCode; message: string };

export { decodeStarStatus, decodeStatus } from './printer-status';
export type { PrinterStatus, StatusDialect, StatusResult };

export type PrinterAddress =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'file'; path: string }
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'cups'; queue: string }
  /** A printer in the Windows print spooler, by its name as Windows shows it. */
  | { kind: 'win'; printer: string }
  | { kind: 'dir'; path: string };

export interface SendOptions {
  /** How long to wait for a TCP printer to take the connection. */
  connectTimeoutMs?: number;
  /** How long a printer may take to read the whole job once connected (or a device write). */
  writeTimeoutMs?: number;
  /**
   * Ask a receipt printer over TCP for its status first and refuse to send into an empty
   * or open printer. Printers that do not answer print as usual.
   */
  statusCheck?: boolean;
  /** How to ask: DLE EOT for ESC/POS (Epson and most), ESC ACK SOH for Star. */
  statusDialect?: StatusDialect;
  /** How long to wait for a status answer before going ahead without one. */
  statusTimeoutMs?: number;
}

const DEFAULTS = {
  connectTimeoutMs: 3000,
  writeTimeoutMs: 10_000,
  statusCheck: false,
  statusDialect: 'escpos',
  statusTimeoutMs: 500,
} satisfies Required<SendOptions>;

type Failure = Extract<PrintResult, { ok: false }>;
const fail = (code: PrintErrorCode, message: string): Failure => ({ ok: false, code, message });

/** Serial receipt printers ship at 9600 baud 8N1 unless someone changed the DIP switches. */
export const DEFAULT_BAUD_RATE = 9600;

/** `serial:/dev/ttyUSB0?baud=19200` or `serial:COM3`: a path, and only `baud` as an option. */
function parseSerial(rest: string): PrinterAddress | null {
  const query = rest.indexOf('?');
  const device = (query < 0 ? rest : rest.slice(0, query)).replace(/^\/\/(?=\/)/, '');
  if (!device) return null;
  const params = new URLSearchParams(query < 0 ? '' : rest.slice(query + 1));
  if ([...params.keys()].some((key) => key !== 'baud')) return null;
  const baud = params.get('baud');
  if (baud === null) return { kind: 'serial', path: device, baudRate: DEFAULT_BAUD_RATE };
  if (!/^\d{3,7}$/.test(baud)) return null;
  return { kind: 'serial', path: device, baudRate: Number(baud) };
}

/** `tcp://HOST[:PORT]`, `file:PATH`, `serial:PATH[?baud=N]`, `cups:QUEUE`, `win:PRINTER NAME` or `dir:FOLDER`. */
export function parsePrinterUrl(url: string): PrinterAddress | Failure {
  const bad = fail(
    'bad-printer-address',
    `"${url}" is not a printer address (use tcp://HOST:9100, file:/dev/usb/lp0, serial:/dev/ttyUSB0?baud=9600, cups:QUEUE, win:PRINTER NAME or dir:FOLDER)`,
  );
  const colon = url.indexOf(':');
  if (colon < 1) return bad;
  const scheme = url.slice(0, colon).toLowerCase();
  const rest = url.slice(colon + 1);
  if (scheme === 'tcp') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return bad;
    }
    const port = parsed.port ? Number(parsed.port) : 9100;
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host || parsed.pathname.replace(/\/$/, '') !== '') return bad;
    return { kind: 'tcp', host, port };
  }
  if (!rest) return bad;
  if (scheme === 'file') return { kind: 'file', path: rest.replace(/^\/\/(?=\/)/, '') };
  if (scheme === 'serial') return parseSerial(rest) ?? bad;
  if (scheme === 'cups') return { kind: 'cups', queue: rest };
  if (scheme === 'win') return rest.trim() ? { kind: 'win', printer: rest.trim() } : bad;
  if (scheme === 'dir') return { kind: 'dir', path: rest.replace(/^\/\/(?=\/)/, '') };
  return bad;
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Device files: never created, so an unplugged USB printer is an error, not a new file in /dev. */
function isDevicePath(p: string): boolean {
  return p.startsWith('/dev/') || /^(\\\\\.\\)?(COM\d+|LPT\d)$/i.test(p);
}

async function sendFile(file: string, bytes: Uint8Array, opts: Required<SendOptions>) {
  const device = isDevicePath(file);
  const target = /^COM\d+$/i.test(file) ? `\\\\.\\${file}` : file;
  const write = async (): Promise<PrintResult> => {
    try {
      // Write-only without O_CREAT for a device: it must exist, and lp0 is often not readable.
      const handle = await open(target, device ? constants.O_WRONLY : 'a');
      try {
        await handle.write(bytes);
      } finally {
        await handle.close();
      }
      return { ok: true };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT' || e.code === 'ENODEV' || e.code === 'ENXIO') {
        return fail('printer-unreachable', `No printer at ${file} (is it plugged in and on?)`);
      }
      if (e.code === 'EACCES' || e.code === 'EPERM') {
        return fail(
          'printer-error',
          `Not allowed to write to ${file} (add this user to the lp group?)`,
        );
      }
      return fail('printer-error', `Could not write to ${file}: ${e.message}`);
    }
  };
  // A device write can block while the printer is off; the blocked write is left behind.
  return withTimeout(write(), opts.writeTimeoutMs, () =>
    fail(
      'printer-timeout',
      `Printer at ${file} did not take the job within ${opts.writeTimeoutMs} ms`,
    ),
  );
}

/** What a serial port's open or write failure means to the person at the till (Linux, macOS, Windows wording). */
function serialFailure(device: string, error: Error): Failure {
  const why = error.message;
  if (/no such file|ENOENT|file not found|cannot find/i.test(why)) {
    return fail('printer-unreachable', `No serial printer at ${device} (is it plugged in and on?)`);
  }
  if (/permission denied|EACCES|access denied|access is denied/i.test(why)) {
    return fail(
      'printer-error',
      `Not allowed to open ${device} (add this user to the dialout group?)`,
    );
  }
  if (/resource busy|EBUSY|cannot lock/i.test(why)) {
    return fail('printer-error', `${device} is in use by another program`);
  }
  return fail('printer-error', `Could not print on ${device}: ${why}`);
}

/** Open at the printer's baud rate (8N1), write, wait until the bytes have left the port, close. */
async function sendSerial(
  device: string,
  baudRate: number,
  bytes: Uint8Array,
  opts: Required<SendOptions>,
): Promise<PrintResult> {
  // Loaded on first use: the native binding is only needed by a till with a serial printer,
  // and a missing one must be a print error, not a crash of everything that imports this module.
  let port: import('serialport').SerialPort;
  try {
    const { SerialPort } = await import('serialport');
    port = new SerialPort({ path: device, baudRate, autoOpen: false });
  } catch (error) {
    return fail(
      'printer-error',
      `Serial printing is not available here: ${(error as Error).message}`,
    );
  }
  const step = (run: (done: (error: Error | null | undefined) => void) => void) =>
    new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
  const close = () => (port.isOpen ? step((done) => port.close(done)).catch(() => {}) : undefined);
  const job = async (): Promise<PrintResult> => {
    try {
      await step((done) => port.open(done));
      await step((done) => port.write(Buffer.from(bytes), done));
      await step((done) => port.drain(done));
      return { ok: true };
    } catch (error) {
      return serialFailure(device, error as Error);
    } finally {
      await close();
    }
  };
  // A printer holding CTS low (off, out of paper with flow control) never drains: give up, let go of the port.
  return withTimeout(job(), opts.writeTimeoutMs, () => {
    void close();
    return fail(
      'printer-timeout',
      `Printer at ${device} did not take the job within ${opts.writeTimeoutMs} ms`,
    );
  });
}

async function sendCups(
  queue: string,
  bytes: Uint8Array,
  opts: Required<SendOptions>,
): Promise<PrintResult> {
  const outcome = await runCommand({
    command: 'lp',
    args: ['-d', queue, '-o', 'raw'],
    stdin: bytes,
    timeoutMs: opts.writeTimeoutMs,
  });
  switch (outcome.kind) {
    case 'timeout':
      return fail(
        'printer-timeout',
        `The print queue ${queue} did not take the job within ${opts.writeTimeoutMs} ms`,
      );
    case 'spawn-error':
      return outcome.error.code === 'ENOENT'
        ? fail('printer-unreachable', 'The lp command is missing: is CUPS installed?')
        : fail('printer-error', `lp failed: ${outcome.error.message}`);
    case 'exit': {
      if (outcome.code === 0) return { ok: true };
      const why = outcome.stderr.trim().split('\n')[0] || `lp exited with ${outcome.code}`;
      return fail('printer-unreachable', `The print queue ${queue} refused the job: ${why}`);
    }
  }
}

/** A folder as a printer: each job becomes the next numbered file (000001.bin, 000002.bin…). */
async function sendDir(folder: string, bytes: Uint8Array): Promise<PrintResult> {
  try {
    await mkdir(folder, { recursive: true });
    for (let attempt = 0; attempt < 5; attempt++) {
      const numbers = (await readdir(folder))
        .map((name) => /^(\d{6,})\.bin$/.exec(name)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number);
      const next = String(Math.max(0, ...numbers) + 1).padStart(6, '0');
      try {
        // "wx": another process that took the same number makes us look again.
        const handle = await open(path.join(folder, `${next}.bin`), 'wx');
        try {
          await handle.write(bytes);
        } finally {
          await handle.close();
        }
        return { ok: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return fail('printer-error', `Could not pick a free job number in ${folder}`);
  } catch (error) {
    return fail(
      'printer-error',
      `Could not save the job in ${folder}: ${(error as Error).message}`,
    );
  }
}

/** Send one job; every expected failure comes back as a value with a stable code. */
export async function sendToPrinter(
  url: string,
  bytes: Uint8Array,
  options: SendOptions = {},
): Promise<PrintResult> {
  const opts = { ...DEFAULTS, ...options };
  const address = parsePrinterUrl(url);
  if (!('kind' in address)) return address;
  switch (address.kind) {
    case 'tcp':
      return sendTcp(address.host, address.port, bytes, opts);
    case 'file':
      return sendFile(address.path, bytes, opts);
    case 'serial':
      return sendSerial(address.path, address.baudRate, bytes, opts);
    case 'cups':
      return sendCups(address.queue, bytes, opts);
    case 'win':
      return sendWindowsSpooler(address.printer, bytes, opts);
    case 'dir':
      return sendDir(address.path, bytes);
  }
}

/**
 * Ask a receipt printer on TCP (ESC/POS, or Star with `statusDialect: 'star'`) how it is
 * (paper, cover) without printing. `status: null` when it does not answer in time or the
 * address is not a TCP printer: many printers don't say.
 */
export async function queryStatus(
  url: string,
  options: Pick<SendOptions, 'connectTimeoutMs' | 'statusTimeoutMs' | 'statusDialect'> = {},
): Promise<StatusResult> {
  const address = parsePrinterUrl(url);
  if (!('kind' in address)) return address;
  if (address.kind !== 'tcp') return { ok: true, status: null };
  return readStatus(address.host, address.port, { ...DEFAULTS, ...options });
}
