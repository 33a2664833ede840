// `npm run print -- labels` against a fake label printer on a real TCP socket: the copies arrive, a dead printer is one clear error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePrinter } from '../test/fixtures/fake-printer';
import { CliError } from './print-cli';
import { labels } from './print-labels';

let printer: FakePrinter;
beforeAll(async () => {
  printer = await FakePrinter.start();
});
const notes = mkdtempSync(path.join(tmpdir(), 'poptill-notes-'));
afterAll(async () => {
  await printer.close();
  rmSync(notes, { recursive: true, force: true });
});
beforeEach(() => printer.reset());

describe('print labels', () => {
  it('prints N copies of a product in ZPL', async () => {
    const said = await labels([
      '--sku',
      'HOD-PUF-BLK-S',
      '--copies',
      '12',
      '--printer',
      printer.url,
      '--language',
      'zpl',
    ]);
    expect(said).toMatch(/^Printed 12 labels \(1 product, 50x30 mm, zpl/);
    const [job] = await printer.waitForJobs(1);
    const zpl = job!.toString('latin1');
    expect(zpl).toContain('^PQ12');
    expect(zpl).toContain('HOD-PUF-BLK-S');
  });

  it('exits 1 with one line when the printer does not answer, 2 for a usage mistake', async () => {
    await printer.setMode('refuse');
    const down = labels(['--sku', 'HOD-PUF-BLK-S', '--printer', printer.url, '--timeout', '500']);
    await expect(down).rejects.toBeInstanceOf(CliError);
    await expect(down).rejects.toMatchObject({
      exitCode: 1,
      message: `Printer at 127.0.0.1:${printer.port} is not answering (connection refused)`,
    });
    await expect(labels(['--sku', 'NOPE', '--printer', printer.url])).rejects.toMatchObject({
      exitCode: 2,
    });
    await expect(
      labels(['--sku', 'HOD-PUF-BLK-S', '--printer', printer.url, '--size', 'big']),
    ).rejects.toThrow(/--size is WIDTHxHEIGHT/);
  });

  it('refuses a label wider than an ESC/POS printer prints, sending nothing', async () => {
    const wide = labels([
      '--sku',
      'HOD-PUF-BLK-S',
      '--printer',
      printer.url,
      '--language',
      'escpos',
      '--width',
      '58',
      '--size',
      '60x40',
    ]);
    await expect(wide).rejects.toMatchObject({ exitCode: 2 });
    await expect(wide).rejects.toThrow(
      /A 60 mm label does not fit .*at most 48 mm wide on 58 mm paper/,
    );
    expect(printer.jobs).toHaveLength(0);
  });
});

describe('print labels from a delivery note', () => {
  const note = (name: string, text: string) => {
    const file = path.join(notes, name);
    writeFileSync(file, text);
    return file;
  };

  it('prints each product as many times as it arrived, found by SKU or barcode', async () => {
    // TEE-LOGO-BLK-M's barcode in the demo catalog is 2082123772383.
    const file = note('in.csv', '\uFEFFbarcode;qty\r\n2082123772383;4\r\nPRT-STK-LOGO;2\r\n');
    const said = await labels(['--shipment', file, '--printer', printer.url, '--language', 'tspl']);
    expect(said).toMatch(/^Printed 6 labels \(2 products, 50x30 mm, tspl/);
    const [job] = await printer.waitForJobs(1);
    const tspl = job!.toString('latin1');
    const printed = [...tspl.matchAll(/PRINT 1,(\d+)/g)].map((m) => Number(m[1]));
    expect(printed).toEqual([4, 2]);
    expect(tspl.indexOf('TEE-LOGO-BLK-M')).toBeLessThan(tspl.indexOf('PRT-STK-LOGO'));
  });

  it('names every unknown code in one line and prints nothing', async () => {
    const file = note('unknown.csv', 'sku,qty\nTEE-LOGO-BLK-M,1\nNOPE-1,2\n4000000000000,3\n');
    const run = labels(['--shipment', file, '--printer', printer.url, '--language', 'zpl']);
    await expect(run).rejects.toMatchObject({
      exitCode: 2,
      message: `${file}: Not in the catalog: NOPE-1, 4000000000000. Nothing was added; fix the delivery note and load it again.`,
    });
    const bad = note('bad.csv', 'sku,qty\nTEE-LOGO-BLK-M,lots\n');
    await expect(labels(['--shipment', bad, '--printer', printer.url])).rejects.toThrow(
      'Line 2: quantity for TEE-LOGO-BLK-M must be a whole number, not "lots"',
    );
    expect(printer.jobs).toHaveLength(0);
  });
});
