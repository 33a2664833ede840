// A receipt printer that reads the whole job but never answers or closes (a fake printer on a real TCP socket): the till says "sent, not confirmed", never "failed".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startDeviceHost } from '../../electron/device-host';
import { FakePrinter, parseJob } from '../fixtures/fake-printer';
import { APP_ORIGIN, eur, loginWithPin, openShift, pickProducts, scan } from './till';

let printer: FakePrinter;
let host: Awaited<ReturnType<typeof startDeviceHost>>;
let dataDir: string;

test.use({ viewport: { width: 1366, height: 768 } });

test.beforeAll(async () => {
  printer = await FakePrinter.start();
  await printer.setMode('silent');
  dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-unconfirmed-'));
  host = await startDeviceHost({
    port: 0,
    dataDir,
    allowedOrigins: [APP_ORIGIN],
    // The app waits 10 s for proof of printing; the test waits 1.5 s.
    send: { writeTimeoutMs: 1500, statusTimeoutMs: 300 },
    retryEveryMs: 0,
  });
});

test.afterAll(async () => {
  await host?.close();
  await printer?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a printer that takes the receipt but never confirms reads "sent, not confirmed", and nothing prints twice by itself', async ({
  page,
}) => {
  await page.goto(`/#device-host=${encodeURIComponent(host.url)}&token=${host.token}`);
  await page.getByRole('button', { name: 'Try it with demo data' }).click();
  await loginWithPin(page, '9999');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add printer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add printer' });
  await dialog.getByLabel('Printer name').fill('Front counter');
  await dialog.getByRole('button', { name: 'Receipts', exact: true }).click();
  await dialog.getByLabel('Address').fill(printer.url);
  await dialog.getByRole('button', { name: 'Save printer' }).click();
  await expect(dialog).toBeHidden();
  await openShift(page);

  const [product] = pickProducts(1);
  await scan(page, product!.barcodes[0]!);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('due')).toHaveText(eur(product!.price));
  await page.keyboard.type(String(Math.ceil((product!.price + 1) / 5000) * 50));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  const receipt = (await page.getByTestId('receipt-number').first().textContent())!.trim();

  // The printer read every byte of this receipt.
  const [job] = await printer.waitForJobs(1, 5000);
  expect(parseJob(job!, 'escpos').lines.some((l) => l.text.includes(receipt))).toBe(true);

  const status = page.getByTestId('receipt-print-status');
  await expect(status).toHaveText(
    'Receipt sent to “Front counter”, not confirmed: check the printer before printing again.',
  );
  // No failure, no Retry to press in a hurry.
  await expect(page.getByTestId('receipt-print-problem')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await page.screenshot({ path: '/tmp/paper-shots/receipt-sent-not-confirmed.png' });

  // The top bar says so too; the queue offers Print again or It printed.
  const pill = page.getByRole('button', { name: 'Printing: 1 not confirmed' });
  await pill.click();
  const row = page.getByTestId('print-job').filter({ hasText: `Receipt ${receipt}` });
  await expect(row).toHaveAttribute('data-status', 'sent');
  await expect(row).toContainText('Sent, not confirmed');
  await expect(row.getByRole('button', { name: 'Print again' })).toBeVisible();
  await page.screenshot({ path: '/tmp/paper-shots/queue-sent-not-confirmed.png' });
  await row.getByRole('button', { name: 'It printed' }).click();
  await expect(row).toHaveCount(0);
  // Nothing was sent a second time behind anyone's back.
  expect(printer.jobs).toHaveLength(1);
});
