// The print queue against a fake printer on a real TCP socket: receipts print, failures keep the job, retries print it, a restart loses nothing.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { formatMoney } from '../../shared/money';
import type { PrinterConfigInput, PrintJob } from '../../shared/printing';
import type { Sale } from '../../shared/sale';
import { FakePrinter, parseJob } from '../../test/fixtures/fake-printer';
import { demo, makeSale } from '../../test/ledger/fixtures';
import { bitmapToPng, createBitmap, fillRect } from './barcode-image';
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

describe('PrintService reports', () => {
  it('prints a Z report on the receipt printer: headings bold, amounts right-aligned at the paper width, then a cut', async () => {
    const service = await openService();
    await service.savePrinter({ ...receiptPrinter(), paperWidthMm: 58 });
    const job = await service.printReport({
      title: 'Z report 2026-12-02',
      lines: [
        { kind: 'heading', text: 'Z REPORT - END OF DAY' },
        { kind: 'rule' },
        { kind: 'row', left: 'Takings', right: '€1,234.50' },
        { kind: 'row', left: 'Promo redemptions', right: '3 (€12.00)' },
      ],
    });
    expect(job).toMatchObject({ status: 'done', kind: 'report', summary: 'Z report 2026-12-02' });
    const [bytes] = await printer.waitForJobs(1);
    const paper = parseJob(bytes!, 'escpos');
    const heading = paper.lines.find((l) => l.text.includes('Z REPORT'));
    expect(heading?.bold).toBe(true);
    const takings = paper.lines.find((l) => l.text.startsWith('Takings'));
    // 58 mm paper: 32 columns, the amount flush right.
    expect(takings?.text).toBe(`Takings${' '.repeat(32 - 7 - 9)}€1,234.50`);
    expect(paper.commands.some((c) => c.kind === 'cut')).toBe(true);
    expect(paper.commands.some((c) => c.kind === 'drawer-kick')).toBe(false);
  });
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

  it('marks a job the printer took whole but never confirmed "sent", never retries it alone, and reprints it on request', async () => {
    const service = await openService();
    await service.savePrinter(receiptPrinter());
    await printer.setMode('silent');

    const sent = await service.printReceipt({ sale: cashSale(), store: demo.store });
    // Sent, not confirmed: neither done nor failed, and no error to invite a reprint.
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    await printer.waitForJobs(1);

    // A silent connection never closes on its own; drop it so the fake printer can stop cleanly later.
    await printer.close();
    await printer.setMode('ready');
    await service.retryUnattended();
    expect(service.jobs()[0]).toMatchObject({ status: 'sent', attempts: 1 });

    await expect(service.retry(sent.id)).resolves.toMatchObject({ status: 'done', attempts: 2 });
  });

  it('asks an ESC/POS label printer for paper first: out of paper is said in words and nothing is sent', async () => {
    const service = await openService();
    await service.savePrinter({
      id: 'shelf',
      name: 'Shelf labels',
      kind: 'label',
      language: 'escpos',
      address: printer.url,
      paperWidthMm: 58,
      labelSize: { widthMm: 40, heightMm: 30 },
    });
    printer.state.paperOut = true;
    const job = await service.printLabels({
      items: [{ product: demo.products[0]!, copies: 3 }],
      store: demo.store,
      printerId: 'shelf',
    });
    expect(job).toMatchObject({ status: 'failed', lastError: { code: 'paper-out' } });
    expect(job.lastError?.message).toMatch(/^Label printer at .* is out of paper/);
    expect(printer.jobs).toEqual([]);
    printer.state.paperOut = false;
    await expect(service.retry(job.id)).resolves.toMatchObject({ status: 'done' });
  });

  it('leaves a job the printer never took (timeout) for a person', async () => {
    const service = await openService();
    await service.savePrinter({
      id: 'shelf',
      name: 'Shelf labels',
      kind: 'label',
      language: 'escpos',
      address: printer.url,
      paperWidthMm: 80,
    });
    await printer.setMode('stall');
    // ESC/POS raster labels far bigger than every socket buffer: the printer cannot have taken them.
    const failed = await service.printLabels({
      items: demo.products.slice(0, 6).map((product) => ({ product, copies: 500 })),
      store: demo.store,
      printerId: 'shelf',
    });
    expect(failed.status).toBe('failed');
    expect(failed.lastError?.code).toBe('printer-timeout');
    expect(failed.lastError?.message).toMatch(/may have printed/);
    await printer.close();
    await printer.setMode('ready');
    await service.retryUnattended();
    expect(service.jobs()[0]).toMatchObject({ status: 'failed', attempts: 1 });
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

describe('PrintService receipt printers without native QR, and the store logo', () => {
  beforeAll(async () => {
    // The package's default fetches the .wasm from a CDN; tests load the copy shipped in node_modules.
    const file = readFileSync(
      createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
    );
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  });

  const imagePng = (image: { bytesPerRow: number; rows: number; data: Buffer }) => {
    const bitmap = createBitmap(image.bytesPerRow * 8, image.rows);
    bitmap.data.set(image.data);
    return bitmapToPng(bitmap);
  };

  it('sends the returns QR as a picture that scans as the sale id to a printer saved without native QR', async () => {
    const service = await openService({ receiptLogoFile: path.join(dataDir, 'no-logo.png') });
    const saved = await service.savePrinter({ ...receiptPrinter(), nativeQr: false });
    expect(saved).toContainEqual(expect.objectContaining({ id: 'counter', nativeQr: false }));
    const sale = cashSale();

    const job = await service.printReceipt({ sale, store: demo.store });

    expect(job.status).toBe('done');
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    expect(paper.commands.some((c) => c.kind === 'qr')).toBe(false);
    const images = paper.paper.filter((p) => p.kind === 'image');
    expect(images).toHaveLength(1);
    const scanned = await readBarcodes(imagePng(images[0]!), { maxNumberOfSymbols: 2 });
    expect(scanned.filter((r) => r.isValid).map((r) => r.text)).toEqual([sale.id]);
  });

  it('keeps the native QR command for a printer saved as it always was', async () => {
    const service = await openService({ receiptLogoFile: path.join(dataDir, 'no-logo.png') });
    await service.savePrinter(receiptPrinter());
    const sale = cashSale();
    await service.printReceipt({ sale, store: demo.store });
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    expect(paper.commands).toContainEqual({ kind: 'qr', data: sale.id });
    expect(paper.paper.some((p) => p.kind === 'image')).toBe(false);
  });

  it('prints the logo file above the store name on ESC/POS receipts', async () => {
    const logoFile = path.join(dataDir, 'receipt-logo.png');
    const logo = createBitmap(160, 80);
    fillRect(logo, 0, 0, 160, 80);
    await writeFile(logoFile, bitmapToPng(logo));
    const service = await openService({ receiptLogoFile: logoFile });
    await service.savePrinter(receiptPrinter());

    await service.printReceipt({ sale: cashSale(), store: demo.store });

    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    const first = paper.paper.findIndex((p) => p.kind === 'image');
    const storeName = paper.paper.findIndex(
      (p) => p.kind === 'text' && p.text.includes(demo.store.name),
    );
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(storeName);
    expect(paper.paper[first]).toMatchObject({ rows: 80 });
  });
});
