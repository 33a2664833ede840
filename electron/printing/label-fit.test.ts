// A label wider than the printer's head is refused before anything is sent, with words that say what fits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labelFit, type PrinterConfigInput, printerConfigSchema } from '../../shared/printing';
import { FakePrinter } from '../../test/fixtures/fake-printer';
import { demo } from '../../test/ledger/fixtures';
import { PrintService } from './print-service';

const labelPrinter = (over: Partial<PrinterConfigInput>) =>
  printerConfigSchema.parse({
    id: 'labels',
    name: 'Shelf labels',
    kind: 'label',
    language: 'escpos',
    address: 'tcp://127.0.0.1:9100',
    ...over,
  });

describe('labelFit', () => {
  it('refuses a 100 mm label on a 58 mm ESC/POS printer, which prints 48 mm', () => {
    const fit = labelFit(
      labelPrinter({ paperWidthMm: 58, labelSize: { widthMm: 100, heightMm: 50 } }),
    );
    expect(fit).toEqual({
      ok: false,
      code: 'label-too-wide',
      limitMm: 48,
      message:
        'A 100 mm label does not fit “Shelf labels”: it prints at most 48 mm wide on 58 mm paper. Choose a narrower label size or another printer.',
    });
  });

  it('takes a label up to the print width: 48 mm on 58 mm paper, 72 mm on 80 mm', () => {
    const on = (paperWidthMm: 58 | 80, widthMm: number) =>
      labelFit(labelPrinter({ paperWidthMm, labelSize: { widthMm, heightMm: 30 } })).ok;
    expect(on(58, 48)).toBe(true);
    expect(on(58, 50)).toBe(false);
    expect(on(80, 72)).toBe(true);
    expect(on(80, 73)).toBe(false);
  });

  it('holds a TSPL or ZPL printer to the widest label it was set up for, and leaves it be when unset', () => {
    const wide = { labelSize: { widthMm: 100, heightMm: 50 } };
    expect(labelFit(labelPrinter({ language: 'tspl', maxWidthMm: 54, ...wide }))).toMatchObject({
      ok: false,
      message:
        'A 100 mm label does not fit “Shelf labels”: it takes labels up to 54 mm wide. Choose a narrower label size or another printer.',
    });
    expect(labelFit(labelPrinter({ language: 'zpl', maxWidthMm: 104, ...wide })).ok).toBe(true);
    expect(labelFit(labelPrinter({ language: 'tspl', ...wide })).ok).toBe(true);
  });
});

describe('printing labels that do not fit', () => {
  let printer: FakePrinter;
  let dataDir: string;
  let service: PrintService | undefined;

  beforeAll(async () => {
    printer = await FakePrinter.start();
  });
  afterAll(() => printer.close());
  beforeEach(async () => {
    await printer.reset();
    dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-fit-'));
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails the job with the reason and sends the printer nothing', async () => {
    service = await PrintService.open({ dataDir, retryEveryMs: 0 });
    await service.savePrinter({
      ...labelPrinter({ paperWidthMm: 58, labelSize: { widthMm: 100, heightMm: 50 } }),
      address: printer.url,
    });
    const product = demo.products[0]!;

    const job = await service.printLabels({ items: [{ product, copies: 3 }], store: demo.store });

    expect(job.status).toBe('failed');
    expect(job.lastError).toEqual({
      code: 'label-too-wide',
      message:
        'A 100 mm label does not fit “Shelf labels”: it prints at most 48 mm wide on 58 mm paper. Choose a narrower label size or another printer.',
    });
    // Not even a connection: a status query would show up as an empty job at worst.
    await new Promise((r) => setTimeout(r, 100));
    expect(printer.jobs).toHaveLength(0);

    // Set up with the right paper, the same labels print.
    await service.savePrinter({
      ...labelPrinter({ paperWidthMm: 80, labelSize: { widthMm: 70, heightMm: 50 } }),
      address: printer.url,
    });
    expect((await service.retry(job.id)).status).toBe('done');
    await printer.waitForJobs(1);
  });
});
