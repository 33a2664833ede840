// Serial printers (`serial:/dev/ttyUSB0?baud=9600`, `serial:COM3`): the address, a clear error for a port that is not there, and a real round-trip through a socat pty pair.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printerAddressSchema } from '../../shared/printing';
import { receiptDocument } from '../../shared/receipt';
import type { Sale } from '../../shared/sale';
import { demo, makeSale } from '../../test/ledger/fixtures';
import { encodeReceipt } from './escpos';
import { parsePrinterUrl, sendToPrinter } from './transports';

describe('serial printer addresses', () => {
  it('reads a device path and a baud rate, 9600 when none is given', () => {
    expect(parsePrinterUrl('serial:/dev/ttyUSB0?baud=19200')).toEqual({
      kind: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
    });
    expect(parsePrinterUrl('serial:/dev/ttyUSB0')).toEqual({
      kind: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 9600,
    });
    expect(parsePrinterUrl('serial:COM3')).toEqual({
      kind: 'serial',
      path: 'COM3',
      baudRate: 9600,
    });
    expect(parsePrinterUrl('serial:///dev/ttyS0?baud=115200')).toMatchObject({
      path: '/dev/ttyS0',
      baudRate: 115200,
    });
  });

  it('refuses a missing path, a baud rate that is not a number, and unknown options', () => {
    for (const bad of [
      'serial:',
      'serial:?baud=9600',
      'serial:/dev/ttyUSB0?baud=fast',
      'serial:/dev/ttyUSB0?parity=even',
    ]) {
      expect(parsePrinterUrl(bad)).toMatchObject({ ok: false, code: 'bad-printer-address' });
    }
  });

  it('is an address the printer settings accept', () => {
    expect(printerAddressSchema.safeParse('serial:/dev/ttyUSB0?baud=9600').success).toBe(true);
    expect(printerAddressSchema.safeParse('serial:COM3').success).toBe(true);
    expect(printerAddressSchema.safeParse('serial:/dev/ttyUSB0?baud=fast').success).toBe(false);
  });
});

const receiptBytes = () => {
  const sale = makeSale('till-serial', 'TS', 1, [{ sku: 'CAF-ESP', qty: 2 }]).payload;
  return encodeReceipt(receiptDocument(sale as Sale, demo.store, { width: 32 }), {
    language: 'escpos',
  });
};

describe('printing to a serial port', () => {
  it('says plainly that no printer is there when the port does not exist', async () => {
    const result = await sendToPrinter('serial:/dev/ttyDOESNOTEXIST', Buffer.from('hello\n'), {
      writeTimeoutMs: 2000,
    });
    expect(result).toEqual({
      ok: false,
      code: 'printer-unreachable',
      message: 'No serial printer at /dev/ttyDOESNOTEXIST (is it plugged in and on?)',
    });
  });
});

const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasSocat)(
  'a receipt through a pty pair made by socat (skipped when socat is not installed)',
  () => {
    let dir: string;
    let socat: ChildProcess;
    let tty: string;
    let received: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'poptill-serial-'));
      tty = path.join(dir, 'ttyPRINTER');
      received = path.join(dir, 'received.bin');
      // One end is a pty we print to; socat copies whatever arrives into a file, like a printer taking the job.
      socat = spawn('socat', ['-u', `PTY,raw,echo=0,link=${tty}`, `OPEN:${received},creat,trunc`], {
        stdio: 'ignore',
      });
      const until = Date.now() + 5000;
      while (!existsSync(tty)) {
        if (Date.now() > until) throw new Error('socat did not make the pty');
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    afterAll(async () => {
      socat?.kill();
      await rm(dir, { recursive: true, force: true });
    });

    it('delivers every byte of the receipt at the requested baud rate', async () => {
      const bytes = receiptBytes();
      const result = await sendToPrinter(`serial:${tty}?baud=19200`, bytes, {
        writeTimeoutMs: 5000,
      });
      expect(result).toEqual({ ok: true });
      const until = Date.now() + 5000;
      while ((await stat(received)).size < bytes.length && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(Buffer.compare(await readFile(received), Buffer.from(bytes))).toBe(0);
    });
  },
);
