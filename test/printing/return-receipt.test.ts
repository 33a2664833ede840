// Return receipts on paper: the print service sends them to a fake printer on a real TCP socket, and the bytes read back show the returned lines and where the money went.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { bitmapToPng, createBitmap } from '../../electron/printing/barcode-image';
import { PrintService } from '../../electron/printing/print-service';
import type { SaleReturn } from '../../shared/returns/return-fact';
import type { Sale } from '../../shared/sale';
import { FakePrinter, type ParsedJob, parseJob, renderPaper } from '../fixtures/fake-printer';
import { demo, makeSale } from '../ledger/fixtures';

let printer: FakePrinter;
let dataDir: string;
let service: PrintService | undefined;

beforeAll(async () => {
  printer = await FakePrinter.start();
  // The package's default fetches the .wasm from a CDN; load the copy shipped in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});
afterAll(() => printer.close());
beforeEach(async () => {
  await printer.reset();
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-return-print-'));
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const store = { ...demo.store, returnsPromise: 'Returns within 14 days with this receipt.' };
const sale = makeSale(
  'till-1',
  'T1',
  7,
  [
    { sku: 'TEE-LOGO-BLK-S', qty: 2 },
    { sku: 'TEE-LOGO-WHT-S', qty: 1 },
  ],
  { tender: 'split', at: new Date('2026-12-05T15:30:00Z') },
).payload as Sale;
const [tee, white] = sale.lines;

function aReturn(refunds: SaleReturn['refunds']): SaleReturn {
  return {
    id: '01KC0000000000000000000003',
    deviceId: 'till-1',
    seq: 12,
    returnNumber: 'T1-R-000003',
    saleId: sale.id,
    saleReceiptNumber: sale.receiptNumber,
    shiftId: 'shift-till-1',
    staffId: 'staff-aoife',
    createdAt: '2026-12-12T10:15:00.000Z',
    currency: 'EUR',
    lines: [
      {
        lineNo: 1,
        sku: tee!.sku,
        qty: 1,
        reason: 'wrong-size',
        condition: 'resaleable',
        refund: 2995,
        method: 'original-tender',
      },
      {
        lineNo: 2,
        sku: white!.sku,
        qty: 1,
        reason: 'faulty',
        condition: 'damaged',
        refund: 2995,
        method: 'original-tender',
      },
    ],
    refundTotal: 5990,
    refunds,
  };
}
const cardAndCash = aReturn([
  { kind: 'card', amount: 4000, reference: 'RFND-0042' },
  { kind: 'cash', amount: 1990 },
]);

async function openService(language: 'escpos' | 'star', paperWidthMm: 58 | 80, nativeQr = true) {
  service = await PrintService.open({
    dataDir,
    retryEveryMs: 0,
    receiptLogoFile: path.join(dataDir, 'no-logo.png'),
  });
  await service.savePrinter({
    id: 'counter',
    name: 'Counter',
    kind: 'receipt',
    language,
    address: printer.url,
    paperWidthMm,
    nativeQr,
  });
  return service;
}

/** The paper as lines, and its words with the printer's line breaks and padding taken out. */
function read(job: ParsedJob, width: number) {
  const lines = renderPaper(job, width);
  const words = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
  return { lines, words };
}

describe('a return receipt, printed', () => {
  it('ESC/POS on 80 mm: RETURN, the original receipt, each returned line with why and its refund, the card refund reference and cash from the drawer (which opens)', async () => {
    const s = await openService('escpos', 80);
    const job = await s.printReceipt({ sale, store, returnReceipt: { return: cardAndCash } });
    expect(job.status).toBe('done');
    expect(job.summary).toBe('Return receipt T1-R-000003');
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    const { lines, words } = read(paper, 48);
    for (const l of lines) expect(Array.from(l).length).toBeLessThanOrEqual(48);
    expect(words).toContain('RETURN');
    expect(words).toMatch(/Return T1-R-000003 Date 12 Dec 2026, 10:15 Original receipt T1-000007/);
    expect(words).toContain(`1 x ${tee!.name} €29.95 Reason: Wrong size Condition: resaleable`);
    expect(words).toContain(`1 x ${white!.name} €29.95 Reason: Faulty Condition: damaged`);
    expect(words).toContain('Refund total €59.90');
    expect(words).toContain('Card refund RFND-0042 €40.00');
    expect(words).toContain('Cash from the drawer €19.90');
    expect(words).toContain('Returns within 14 days with this receipt.');
    expect(paper.commands.some((c) => c.kind === 'drawer-kick')).toBe(true);
    expect(paper.paper.at(-1)).toEqual({ kind: 'cut' });
  });

  it('Star on 58 mm: a store-credit refund prints the note as a QR with its code typed below and the amount, and opens no drawer', async () => {
    const s = await openService('star', 58);
    const credit = aReturn([{ kind: 'store-credit', amount: 5990, code: 'CN1-7K3M-Q9XT' }]);
    const job = await s.printReceipt({
      sale,
      store,
      returnReceipt: {
        return: credit,
        creditNotes: [
          { code: 'CN1-7K3M-Q9XT', qr: 'CN1-7K3M-Q9XT.SIG', validUntil: '12 Dec 2027' },
        ],
      },
    });
    expect(job.status).toBe('done');
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'star');
    const { lines, words } = read(paper, 32);
    for (const l of lines) expect(Array.from(l).length).toBeLessThanOrEqual(32);
    expect(words).toContain('Reason: Wrong size');
    // The amount keeps to the right of the first line; the code wraps below it.
    expect(lines).toContainEqual(expect.stringMatching(/^Store credit +€59\.90$/));
    expect(words).toContain('€59.90 CN1-7K3M-Q9XT');
    expect(paper.commands).toContainEqual({ kind: 'qr', data: 'CN1-7K3M-Q9XT.SIG' });
    const trimmed = lines.map((l) => l.trim());
    const qrAt = trimmed.indexOf('[QR: CN1-7K3M-Q9XT.SIG]');
    expect(qrAt).toBeGreaterThan(0);
    expect(trimmed.lastIndexOf('CN1-7K3M-Q9XT')).toBeGreaterThan(qrAt);
    expect(words).toContain('Valid until 12 Dec 2027');
    expect(paper.commands.some((c) => c.kind === 'drawer-kick')).toBe(false);
  });

  it('on a printer without native QR the credit note prints as a picture that scans back to its signed code', async () => {
    const s = await openService('escpos', 58, false);
    const credit = aReturn([{ kind: 'store-credit', amount: 5990, code: 'CN1-7K3M-Q9XT' }]);
    await s.printReceipt({
      sale,
      store,
      returnReceipt: {
        return: credit,
        creditNotes: [{ code: 'CN1-7K3M-Q9XT', qr: 'CN1-7K3M-Q9XT.SIG' }],
      },
    });
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    const images = paper.paper.filter((p) => p.kind === 'image');
    expect(images).toHaveLength(1);
    const qr = images[0]!;
    const bitmap = createBitmap(qr.bytesPerRow * 8, qr.rows);
    bitmap.data.set(qr.data);
    const scanned = await readBarcodes(bitmapToPng(bitmap), { maxNumberOfSymbols: 2 });
    expect(scanned.filter((r) => r.isValid).map((r) => r.text)).toEqual(['CN1-7K3M-Q9XT.SIG']);
  });

  it('waits in the queue through a restart and prints the same return receipt on retry', async () => {
    const first = await openService('escpos', 58);
    const job = await first.printReceipt({ sale, store, returnReceipt: { return: cardAndCash } });
    await printer.waitForJobs(1);
    await first.close();
    service = await PrintService.open({ dataDir, retryEveryMs: 0 });
    expect(service.jobs().map((j) => j.summary)).toContain('Return receipt T1-R-000003');
    await service.retry(job.id);
    const jobs = await printer.waitForJobs(2);
    const again = read(parseJob(jobs[1]!, 'escpos'), 32).words;
    expect(again).toContain('Card refund RFND-0042 €40.00');
    expect(again).toContain('Original receipt T1-000007');
  });
});

describe('a reprinted sale receipt with its returns', () => {
  it('shows each returned line with the day and return number, the refunds, and opens no drawer', async () => {
    const s = await openService('escpos', 80);
    const job = await s.printReceipt({ sale, store, returns: [cardAndCash], openDrawer: false });
    expect(job.summary).toBe('Receipt T1-000007');
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    const { lines, words } = read(paper, 48);
    const at = lines.indexOf('Returned 12 Dec (T1-R-000003)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}1 x Northside Logo Tee – Black \/ S +-€29\.95$/);
    expect(lines[at + 2]).toMatch(/^ {2}1 x Northside Logo Tee – White \/ S +-€29\.95$/);
    // Under the lines, above the totals.
    expect(words.indexOf('Returned 12 Dec')).toBeLessThan(words.indexOf('Subtotal'));
    expect(words).toContain('Refunded -€59.90');
    const paid = sale.total + sale.rounding - 5990;
    expect(words).toContain(`Paid less refunds €${(paid / 100).toFixed(2)}`);
    expect(paper.commands.some((c) => c.kind === 'drawer-kick')).toBe(false);
  });
});
