// The print queue against a fake printer on a real TCP socket: receipts print, failures keep the job, retries print it, a restart loses nothing.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../shared/money';
import type { PrinterConfigInput, PrintJob } from '../../shared/printing';
import type { Sale } from '../../shared/sale';
import { FakePrinter, parseJob } from '../../test/fixtures/fake-printer';
import { demo, makeSale } from '../../test/ledger/fixtures';
import { PrintService, type PrintServiceOptions } from './print-service';

const fast = { connectTimeoutMs: 500, writeTimeoutMs: 400, statusTimeoutMs: 150 };

const cashSale = () =>
  makeSale(
    'till-1',
    'T1',
    42,
    [
      { sku: 'TEE-LOGO-BLK-S', qty: 2 },
      { sku: 'CAF-ESP', qty: 3 },
    ],
    { tender: 'cash' },
  ).payload as Sale;

let printer: FakePrinter;
let dataDir: string;
const services: PrintService[] = [];

async function openService(options: Partial<PrintServiceOptions> = {}) {
  const service = await PrintService.open({ dataDir, send: fast, retryEveryMs: 0, ...options });
  services.push(service);
  return service;
}

const receiptPrinter = (): PrinterConfigInput => ({
  id: 'counter',
  name: 'Counter',
  kind: 'receipt',
  language: 'escpos',
  address: printer.url,
  paperWidthMm: 80,
});

beforeAll(async () => {
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
beforeEach(async () => {
  await printer.reset();
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-print-'));
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await rm(dataDir, { recursive: true, force: true });
});

describe('PrintService receipts', () => {
  it('prints a receipt at the default printer with the sale total and opens the drawer', async () => {
    const service = await openService();
    await service.savePrinter(receiptPrinter());
    const seen: PrintJob['status'][] = [];
    service.onJobChanged((job) => seen.push(job.status));
    const sale = cashSale();

    const job = await service.printReceipt({ sale, store: demo.store });

    expect(job).toMatchObject({ status: 'done', attempts: 1, lastError: null, saleId: sale.id });
    expect(job.summary).toBe(`Receipt ${sale.receiptNumber}`);
    expect(seen).toEqual(['queued', 'printing', 'done']);
    const [bytes] = await printer.waitForJobs(1);
    const paper = parseJob(bytes!, 'escpos');
    const total = paper.lines.find((l) => l.text.startsWith('Total'));
    expect(total?.text).toContain(formatMoney(sale.total, 'EUR', demo.store.locale));
    expect(paper.commands.some((c) => c.kind === 'drawer-kick')).toBe(true);
    expect(paper.commands.some((c) => c.kind === 'cut')).toBe(true);
  });

  it('keeps a failed receipt with a plain message, and prints it when the printer is back', async () => {
    const service = await openService();
    await service.savePrinter(receiptPrinter());
    await printer.setMode('refuse');
    const sale = cashSale();

    const failed = await service.printReceipt({ sale, store: demo.store, openDrawer: false });

    expect(failed.status).toBe('failed');
    expect(failed.lastError?.code).toBe('printer-unreachable');
    expect(failed.lastError?.message).toBe(
      `Receipt printer at 127.0.0.1:${printer.port} is not answering — the sale is saved. Retry, print later or choose another printer.`,
    );
    expect(service.jobs()).toEqual([failed]);

    await printer.setMode('ready');
    // The background pass (every 30 s in the app) picks it up without anyone asking.
    await service.retryUnattended();

    const [done] = service.jobs();
    expect(done).toMatchObject({ id: failed.id, status: 'done', attempts: 2, lastError: null });
    const [bytes] = await printer.waitForJobs(1);
    const paper = parseJob(bytes!, 'escpos');
    expect(paper.lines.some((l) => l.text.includes(sale.receiptNumber))).toBe(true);
    expect(paper.commands.some((c) => c.kind === 'drawer-kick')).toBe(false);
  });

  it('leaves a job that may have printed (timeout) for a person, and reprints it on request', async () => {
    const service = await openService();
    await service.savePrinter(receiptPrinter());
    await printer.setMode('stall');

    const failed = await service.printReceipt({ sale: cashSale(), store: demo.store });
    expect(failed.lastError?.code).toBe('printer-timeout');
    expect(failed.lastError?.message).toMatch(/may have printed/);

    // A stalled connection never closes on its own; drop it so the fake printer can stop cleanly later.
    await printer.close();
    await printer.setMode('ready');
    await service.retryUnattended();
    expect(service.jobs()[0]).toMatchObject({ status: 'failed', attempts: 1 });

    await expect(service.retry(failed.id)).resolves.toMatchObject({ status: 'done', attempts: 2 });
  });

  it('survives a restart: printers and the failed job are still there and print', async () => {
    const before = await openService();
    await before.savePrinter(receiptPrinter());
    await printer.setMode('refuse');
    const failed = await before.printReceipt({ sale: cashSale(), store: demo.store });
    await before.close();

    await printer.setMode('ready');
    const after = await openService();
    expect(after.listPrinters()).toMatchObject([{ id: 'counter', isDefault: true }]);
    expect(after.jobs()).toEqual([failed]);
    await expect(after.retry(failed.id)).resolves.toMatchObject({ status: 'done' });
    await printer.waitForJobs(1);
    // Written by rename: no temporary files left beside the state.
    expect((await readdir(dataDir)).sort()).toEqual(['jobs.json', 'printers.json']);
  });

  it('fails with no-printer when none is set up, and keeps the sale for later', async () => {
    const service = await openService();
    const job = await service.printReceipt({ sale: cashSale(), store: demo.store });
    expect(job).toMatchObject({ status: 'failed', printerId: '' });
    expect(job.lastError).toEqual({
      code: 'no-printer',
      message:
        'No receipt printer is set up: add one in Settings → Printers, then retry. The sale is saved.',
    });
    await service.savePrinter(receiptPrinter());
    await expect(service.retry(job.id)).resolves.toMatchObject({
      status: 'done',
      printerId: 'counter',
    });
  });

  it('keeps the newest done jobs for reprinting and cancels on request', async () => {
    const service = await openService({ keepDone: 2 });
    await service.savePrinter(receiptPrinter());
    const jobs = [];
    for (let i = 0; i < 3; i++)
      jobs.push(await service.printReceipt({ sale: cashSale(), store: demo.store }));
    expect(service.jobs().map((j) => j.id)).toEqual([jobs[2]!.id, jobs[1]!.id]);
    await expect(service.retry(jobs[1]!.id)).resolves.toMatchObject({
      status: 'done',
      attempts: 2,
    });
    await printer.waitForJobs(4);
    expect((await service.cancel(jobs[2]!.id)).map((j) => j.id)).toEqual([jobs[1]!.id]);
    const stored = JSON.parse(await readFile(path.join(dataDir, 'jobs.json'), 'utf8'));
    expect(stored).toHaveLength(1);
  });
});

describe('PrintService labels and test pages', () => {
  it('sends 10 labels of a product to a TSPL printer as one label printed 10 times', async () => {
    const service = await openService();
    await service.savePrinter({
      id: 'labels',
      name: 'Label printer',
      kind: 'label',
      language: 'tspl',
      address: printer.url,
      labelSize: { widthMm: 50, heightMm: 30 },
    });
    const product = demo.products.find((p) => p.sku === 'HOD-PUF-BLK-S')!;

    const job = await service.printLabels({ items: [{ product, copies: 10 }], store: demo.store });

    expect(job).toMatchObject({ status: 'done', kind: 'labels', summary: '10 labels (1 product)' });
    const [bytes] = await printer.waitForJobs(1);
    const tspl = bytes!.toString('latin1');
    expect(tspl).toContain('SIZE 50 mm,30 mm');
    expect(tspl.match(/^PRINT .*$/gm)).toEqual(['PRINT 1,10']);
    expect(tspl).toContain(product.sku);
  });

  it('prints a test page on a receipt printer and refuses receipts on a label printer', async () => {
    const service = await openService();
    await service.savePrinter(receiptPrinter());
    await service.savePrinter({
      id: 'zebra',
      name: 'Zebra',
      kind: 'label',
      language: 'zpl',
      address: printer.url,
    });

    await expect(service.testPrinter('counter')).resolves.toMatchObject({ status: 'done' });
    const [bytes] = await printer.waitForJobs(1);
    expect(parseJob(bytes!, 'escpos').lines.map((l) => l.text.trim())).toContain(
      'PopTill test page',
    );

    const wrong = await service.printReceipt({
      sale: cashSale(),
      store: demo.store,
      printerId: 'zebra',
    });
    expect(wrong.lastError?.code).toBe('wrong-printer-kind');
    await expect(service.testPrinter('nope')).rejects.toThrow(/no printer "nope"/);
  });
});
