// The stall's sign from the print CLI: its QR, as printed, reads back as the drop page's address; a TSPL job reaches a (fake) label printer; a bad address prints nothing.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { sign } from '../../scripts/print-sign';
import { FakePrinter } from '../fixtures/fake-printer';

const URL_ = 'https://drops.example.ie/s/northside-pop-up';
let printer: FakePrinter;
let dir: string;

beforeAll(async () => {
  printer = await FakePrinter.start();
  dir = await mkdtemp(path.join(tmpdir(), 'poptill-sign-'));
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});
afterAll(async () => {
  await printer.close();
  await rm(dir, { recursive: true, force: true });
});

describe('print sign', () => {
  it('draws a QR that a phone camera reads as the drop page address', async () => {
    const png = path.join(dir, 'sign.png');
    expect(await sign(['--url', URL_, '--png', png])).toContain(png);
    const scanned = await readBarcodes(readFileSync(png), { maxNumberOfSymbols: 1 });
    expect(scanned.filter((r) => r.isValid).map((r) => r.text)).toEqual([URL_]);
  });

  it('sends the sign to a TSPL label printer with the address in its QR command', async () => {
    await printer.reset();
    const said = await sign(['--url', URL_, '--printer', printer.url, '--language', 'tspl']);
    expect(said).toContain('Printed 1 sign');
    const [job] = await printer.waitForJobs(1);
    expect(job!.toString('latin1')).toContain(URL_);
  });

  it('refuses an address that is not a web page, printing nothing', async () => {
    await printer.reset();
    for (const url of [
      'javascript:alert(1)',
      'drops.example.ie',
      `https://x.ie/${'a'.repeat(300)}`,
    ])
      await expect(sign(['--url', url, '--printer', printer.url])).rejects.toThrow(/needs --url/);
    expect(printer.jobs).toHaveLength(0);
  });
});
