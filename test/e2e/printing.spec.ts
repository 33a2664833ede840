// Printing from the browser till through the device host: printers set up by a manager, a receipt after each sale
// at a fake printer on a real TCP socket, a printer that is down and comes back, and a batch of labels.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { startDeviceHost } from '../../electron/device-host';
import { FakePrinter, parseJob, renderPaper } from '../fixtures/fake-printer';
import { APP_ORIGIN, eur, loginWithPin, openShift, pickProducts, scan } from './till';

mkdirSync('test-results/screens', { recursive: true });

let receiptPrinter: FakePrinter;
let labelPrinter: FakePrinter;
let host: Awaited<ReturnType<typeof startDeviceHost>>;
let dataDir: string;
/** A device folder of our own with one USB printer in it, for "Find printers". */
let devDir: string;

test.beforeAll(async () => {
  receiptPrinter = await FakePrinter.start();
  labelPrinter = await FakePrinter.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-printing-'));
  devDir = path.join(dataDir, 'dev');
  mkdirSync(path.join(devDir, 'usb'), { recursive: true });
  writeFileSync(path.join(devDir, 'usb', 'lp0'), '');
  host = await startDeviceHost({
    port: 0,
    dataDir,
    allowedOrigins: [APP_ORIGIN],
    discover: { devDir, lpstat: path.join(dataDir, 'no-lpstat'), serialPorts: false },
  });
});

test.afterAll(async () => {
  await host?.close();
  await receiptPrinter?.close();
  await labelPrinter?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function addPrinter(
  page: Page,
  p: { name: string; kind: 'Receipts' | 'Labels'; address: string; language?: string },
) {
  await page.getByRole('button', { name: 'Add printer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add printer' });
  await dialog.getByLabel('Printer name').fill(p.name);
  await dialog.getByRole('button', { name: p.kind, exact: true }).click();
  if (p.language) await dialog.getByLabel('Printer language').selectOption({ label: p.language });
  await dialog.getByLabel('Address').fill(p.address);
  if (p.kind === 'Labels') await page.screenshot({ path: 'test-results/screens/printer-form.png' });
  await dialog.getByRole('button', { name: 'Save printer' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('printer').filter({ hasText: p.name })).toBeVisible();
}

/** Scan one product, pay the exact amount in cash and complete: returns the sale's total. */
async function sellOne(page: Page, product: { barcodes: string[]; price: number }) {
  await page.getByRole('button', { name: 'Sell', exact: true }).click();
  await scan(page, product.barcodes[0]!);
  await expect(page.locator('.cart-line')).toHaveCount(1);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  return product.price;
}

test('receipts print after each sale, a printer that is down keeps the sale and prints on retry, labels print in a batch', async ({
  page,
}, testInfo) => {
  // One long scenario (settings, three sales, two label batches): more than the default minute on a busy machine.
  test.slow();
  await page.goto(`/#device-host=${encodeURIComponent(host.url)}&token=${host.token}`);
  await page.getByRole('button', { name: 'Try it with demo data' }).click();

  await test.step('a manager adds a receipt printer and a label printer, and test-prints', async () => {
    await loginWithPin(page, '9999');
    await page.getByRole('button', { name: 'Settings' }).click();
    await addPrinter(page, {
      name: 'Front counter',
      kind: 'Receipts',
      address: receiptPrinter.url,
    });
    await addPrinter(page, {
      name: 'Shelf labels',
      kind: 'Labels',
      language: 'TSPL (most label printers)',
      address: labelPrinter.url,
    });
    const front = page.getByTestId('printer').filter({ hasText: 'Front counter' });
    await front.getByRole('button', { name: 'Test print' }).click();
    await expect(front.getByTestId('test-result')).toHaveText('Test page sent. Check the printer.');
    await receiptPrinter.waitForJobs(1, 5000);
    await page.screenshot({ path: 'test-results/screens/printer-settings.png', fullPage: true });
    await testInfo.attach('printer settings', {
      path: 'test-results/screens/printer-settings.png',
      contentType: 'image/png',
    });
  });

  await test.step('Find printers offers the USB printer with its address; a label wider than its paper is refused', async () => {
    await page.getByRole('button', { name: 'Add printer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add printer' });
    await dialog.getByRole('button', { name: 'Find printers' }).click();
    const found = dialog.getByRole('list', { name: 'Printers found' });
    await expect(found.getByTestId('printer-candidate')).toHaveCount(1);
    await expect(found).toContainText(`file:${devDir}/usb/lp0`);
    await dialog.getByRole('button', { name: 'Use USB printer lp0' }).click();
    await expect(dialog.getByLabel('Address')).toHaveValue(`file:${devDir}/usb/lp0`);
    await expect(dialog.getByLabel('Printer name')).toHaveValue('USB printer lp0');

    // A receipt printer loaded with 100 mm labels: 58 mm paper prints 48 mm at most.
    await dialog.getByRole('button', { name: 'Labels', exact: true }).click();
    await dialog
      .getByLabel('Printer language')
      .selectOption({ label: 'ESC/POS (a receipt printer printing labels)' });
    await dialog.getByRole('button', { name: '58 mm' }).click();
    await dialog.getByLabel('Label width (mm)').fill('100');
    await dialog.getByRole('button', { name: 'Save printer' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(
      'A 100 mm label does not fit “USB printer lp0”: it prints at most 48 mm wide on 58 mm paper. Choose a narrower label size or another printer.',
    );
    await page.screenshot({ path: 'test-results/screens/printer-finder.png' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('printer').filter({ hasText: 'USB printer lp0' })).toHaveCount(0);
    await openShift(page);
  });

  const [a, b] = pickProducts(2);
  if (!a || !b) throw new Error('the demo catalog needs two categories with barcodes');

  await test.step('a paid sale prints its receipt, and the paper says what the screen says', async () => {
    const total = await sellOne(page, a);
    await expect(page.getByTestId('receipt-total')).toHaveText(eur(total));
    const [, receipt] = await receiptPrinter.waitForJobs(2, 5000);
    const job = parseJob(receipt!, 'escpos');
    const totalLine = job.lines.find((l) => /^Total\b/.test(l.text.trim()));
    expect(totalLine?.text).toContain(eur(total));
    expect(totalLine?.bold).toBe(true);
    expect(job.commands).toContainEqual(expect.objectContaining({ kind: 'drawer-kick' }));
    expect(job.commands).toContainEqual(expect.objectContaining({ kind: 'cut' }));

    // The preview is drawn from the same document: its lines are the paper's, in order.
    await expect(page.getByTestId('receipt-print-status')).toHaveText(
      'Receipt printed on “Front counter”.',
    );
    const screenLines = (await page.locator('.receipt .paper-line').allTextContents())
      .map((l) => l.replace(/\u00a0/g, ' ').trimEnd())
      .filter(Boolean);
    const paperLines = renderPaper(job, 48).filter((l) => l && !/^\[|cut/.test(l.trim()));
    expect(screenLines).toEqual(paperLines);
    await expect(page.getByRole('img', { name: /^QR code of / })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/receipt-preview.png' });
    await testInfo.attach('receipt preview', {
      path: 'test-results/screens/receipt-preview.png',
      contentType: 'image/png',
    });
  });

  await test.step('with the printer off the sale still completes; the job fails with the reason', async () => {
    await receiptPrinter.setMode('refuse');
    const total = await sellOne(page, b);
    await expect(page.getByTestId('receipt-number')).toHaveText('T1-000002');
    await expect(page.getByTestId('receipt-total')).toHaveText(eur(total));
    const problem = page.getByTestId('receipt-print-problem');
    await expect(problem).toContainText('is not answering — the sale is saved');
    await page.screenshot({ path: 'test-results/screens/receipt-printer-down.png' });

    await page.getByRole('button', { name: /^Printing: 1 not printed/ }).click();
    const queue = page.getByRole('dialog', { name: 'Print queue' });
    const failed = queue.getByTestId('print-job').filter({ hasText: 'T1-000002' });
    await expect(failed).toHaveAttribute('data-status', 'failed');
    await expect(failed).toContainText('is not answering');
    await page.screenshot({ path: 'test-results/screens/print-queue.png' });

    await receiptPrinter.setMode('ready');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect(failed).toHaveAttribute('data-status', 'done');
    const [, , reprinted] = await receiptPrinter.waitForJobs(3, 5000);
    const lines = parseJob(reprinted!, 'escpos').lines.map((l) => l.text);
    expect(lines.some((l) => l.includes('T1-000002'))).toBe(true);
    expect(lines.find((l) => /^Total\b/.test(l.trim()))).toContain(eur(total));
    await queue.getByRole('button', { name: 'Close' }).click();
    await expect(problem).toBeHidden();
  });

  await test.step('ten labels of one product go to the label printer as one job', async () => {
    await page.getByRole('button', { name: 'Labels', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Print labels' });
    await dialog.getByLabel('Find products for labels').fill(a.sku);
    await dialog.getByRole('button').filter({ hasText: a.sku }).first().click();
    await dialog.getByLabel(`Copies of ${a.name}`).fill('10');
    await dialog.getByRole('button', { name: 'Print 10 labels on “Shelf labels”' }).click();
    await expect(dialog.getByTestId('labels-result')).toContainText('Printed');
    const [labels] = await labelPrinter.waitForJobs(1, 5000);
    const tspl = labels!.toString('latin1');
    expect(tspl).toMatch(/PRINT 1,10\r?\n/);
    expect(tspl.match(/PRINT /g)).toHaveLength(1);
    await page.screenshot({ path: 'test-results/screens/labels.png' });
  });

  await test.step('a delivery note fills the list with its products, as many labels as arrived', async () => {
    const dialog = page.getByRole('dialog', { name: 'Print labels' });
    // One product by barcode, one by SKU; semicolons and a header, as a spreadsheet saves it.
    const note = `barcode;qty\r\n${a.barcodes[0]};3\r\n${b.sku};2\r\n`;
    await dialog.getByLabel('Load delivery note (CSV)').setInputFiles({
      name: 'delivery.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(note),
    });
    await expect(dialog.getByTestId('delivery-note-message')).toHaveText(
      'delivery.csv: 5 labels for 2 products.',
    );
    await expect(dialog.getByLabel(`Copies of ${a.name}`)).toHaveValue('3');
    await expect(dialog.getByLabel(`Copies of ${b.name}`)).toHaveValue('2');
    await dialog.getByRole('button', { name: 'Print 5 labels on “Shelf labels”' }).click();
    const [, shipment] = await labelPrinter.waitForJobs(2, 5000);
    const tspl = shipment!.toString('latin1');
    expect([...tspl.matchAll(/PRINT 1,(\d+)/g)].map((m) => m[1])).toEqual(['3', '2']);
    expect(tspl.indexOf(a.sku)).toBeGreaterThan(-1);
    expect(tspl.indexOf(a.sku)).toBeLessThan(tspl.indexOf(b.sku));

    await dialog.getByLabel('Load delivery note (CSV)').setInputFiles({
      name: 'wrong.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`sku,qty\nNOT-A-SKU,4\n${a.sku},1\n`),
    });
    await expect(dialog.getByTestId('delivery-note-message')).toHaveText(
      'wrong.csv: Not in the catalog: NOT-A-SKU. Nothing was added; fix the delivery note and load it again.',
    );
    await expect(dialog.getByLabel(`Copies of ${a.name}`)).toHaveValue('3');
    await page.screenshot({ path: 'test-results/screens/labels-delivery-note.png' });
  });
});
