// `npm run print -- labels` against a fake label printer on a real TCP socket: the copies arrive, a dead printer is one clear error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePrinter } from '../test/fixtures/fake-printer';
import { CliError } from './print-cli';
import { labels } from './print-labels';

let printer: FakePrinter;
beforeAll(async () => {
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
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
});
