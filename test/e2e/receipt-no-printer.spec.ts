// With no receipt printer: the receipt as a QR a phone reads and through the print dialog on 80 mm paper, again from History; the store's locale on screen; a blind count and a fuller Z report.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page, test } from '@playwright/test';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { eur, loginWithPin, openShift, openStandaloneTill, pickProducts, scan } from './till';

const SHOTS = '/tmp/paper-shots';
mkdirSync(SHOTS, { recursive: true });

// The laptop says New York and US English; the store (en-IE, Europe/Dublin) must win on screen.
test.use({
  viewport: { width: 1366, height: 768 },
  locale: 'en-US',
  timezoneId: 'America/New_York',
});

test.beforeAll(async () => {
  // The decoder's default fetches its .wasm from a CDN; load the copy in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});

/** The OS print dialog is the edge of the world: count the calls instead of opening one. */
async function countPrintDialogs(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { printDialogs: number };
    w.printDialogs = 0;
    window.print = () => {
      w.printDialogs += 1;
    };
  });
}
const printDialogs = (page: Page) =>
  page.evaluate(() => (window as unknown as { printDialogs: number }).printDialogs);

/** Page width and height in millimetres from the PDF's first /MediaBox (in points). */
function pdfPageMm(pdf: Buffer): { width: number; height: number } {
  const m = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no MediaBox in the PDF');
  const mm = (pt: string) => (Number(pt) * 25.4) / 72;
  return { width: mm(m[1]!), height: mm(m[2]!) };
}

/** "23:58" in Dublin now: the store's clock, whatever the laptop says. */
const dublin = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-IE', { ...options, timeZone: 'Europe/Dublin' }).format(new Date());

async function sellForCash(page: Page, barcode: string, price: number): Promise<string> {
  await scan(page, barcode);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('due')).toHaveText(eur(price));
  const note = Math.ceil((price + 1) / 5000) * 5000;
  await page.keyboard.type(String(note / 100));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  return (await page.getByTestId('receipt-number').first().textContent())!.trim();
}

test('no printer: the receipt as a QR and on 80 mm paper through the print dialog, reprinted from History, in the store’s locale; a blind count and a Z report per note and per cashier', async ({
  page,
}) => {
  await countPrintDialogs(page);
  await openStandaloneTill(page);
  await loginWithPin(page, '1234');
  await openShift(page, '100');
  const [product] = pickProducts(1);
  // The sale's minute in Dublin lies between these two readings of the clock.
  const before = dublin({ timeStyle: 'short' });
  const receipt = await sellForCash(page, product!.barcodes[0]!, product!.price);
  const after = dublin({ timeStyle: 'short' });
  expect(receipt).toMatch(/^T\d+-\d{6}$/);

  // No printer on this till: the receipt screen offers the QR and the print dialog.
  const paper = page.getByRole('region', { name: 'Paper receipt' });
  await expect(paper.getByTestId('receipt-print-status')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/receipt-no-printer.png` });

  // Show QR: full screen, and what a phone camera reads is the receipt itself.
  await paper.getByRole('button', { name: 'Show QR' }).click();
  const qrScreen = page.getByRole('dialog', { name: `Receipt ${receipt} as a QR code` });
  await expect(qrScreen.getByTestId('receipt-qr-number')).toHaveText(receipt);
  const qr = qrScreen.getByTestId('receipt-qr').locator('img');
  await expect(qr).toBeVisible();
  const box = (await qr.boundingBox())!;
  expect(box.height).toBeGreaterThan(500); // full screen at 1366×768, not a thumbnail
  await page.screenshot({ path: `${SHOTS}/receipt-qr.png` });
  const found = await readBarcodes(new Uint8Array(await qr.screenshot()), {
    tryHarder: true,
    formats: ['QRCode'],
  });
  const text = found.find((r) => r.isValid)?.text ?? '';
  expect(text).toContain(`Receipt ${receipt}`);
  expect(text).toContain(`Total ${eur(product!.price)}`);
  expect(text).toMatch(/\n[0-9A-HJKMNP-TV-Z]{26}(\n|$)/); // the sale id Returns scans
  await page.keyboard.press('Escape');
  await expect(qrScreen).toHaveCount(0);

  // Print…: the print dialog opens once, on a page 80 mm wide as long as the receipt.
  await paper.getByRole('button', { name: 'Print…' }).click();
  await expect.poll(() => printDialogs(page)).toBe(1);
  const sheet = page.getByTestId('print-sheet');
  await expect(sheet.getByTestId('receipt-number')).toHaveText(receipt);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(sheet).toBeVisible();
  await sheet.screenshot({ path: `${SHOTS}/receipt-print-80mm.png` });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${SHOTS}/receipt-80mm.pdf`, pdf);
  const size = pdfPageMm(pdf);
  expect(size.width).toBeCloseTo(80, 0);
  expect(size.height).toBeGreaterThan(80); // one long page, not A4 or Letter
  expect(size.height).not.toBeCloseTo(297, 0);
  // Every line of the paper fits inside the 72 mm the roll prints on.
  const widest = await sheet.evaluate((el) =>
    Math.max(...[...el.querySelectorAll('.paper-line')].map((l) => l.scrollWidth)),
  );
  const sheetWidth = await sheet.evaluate((el) => el.clientWidth);
  expect(widest).toBeLessThanOrEqual(sheetWidth + 1);
  await page.emulateMedia({ media: 'screen' });

  // History: the sale at its Dublin time (24-hour), and Print… again from there.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'History' }).click();
  const row = page.locator('.history-list .list-btn', { hasText: receipt });
  const time = (await row.locator('.muted').first().textContent())!.trim();
  expect(time).toMatch(/^\d{2}:\d{2}$/);
  expect([before, after]).toContainEqual(time);
  await row.click();
  const pane = page.getByRole('region', { name: 'Paper receipt' });
  await pane.getByRole('button', { name: 'Print…' }).click();
  await expect.poll(() => printDialogs(page)).toBe(2);
  await expect(page.getByTestId('print-sheet').getByTestId('receipt-number')).toHaveText(receipt);
  await page.screenshot({ path: `${SHOTS}/history-no-printer.png` });

  // The QR fills the screen on the common laptop and monitor sizes too, and still reads.
  await pane.getByRole('button', { name: 'Show QR' }).click();
  for (const [width, height] of [
    [1920, 1080],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    const img = page.getByTestId('receipt-qr').locator('img');
    const at = (await img.boundingBox())!;
    expect(at.y).toBeGreaterThanOrEqual(0);
    expect(at.y + at.height).toBeLessThanOrEqual(height);
    expect(at.height).toBeGreaterThan(height * 0.6);
    await page.screenshot({ path: `${SHOTS}/receipt-qr-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByRole('button', { name: 'Done' }).click();

  // Blind count: while counting, nothing says what the drawer should hold.
  await page.getByRole('button', { name: 'Shift', exact: true }).click();
  const xTitle = page.getByRole('heading', { name: /^X report · shift since / });
  await expect(xTitle).toHaveText(/^X report · shift since \d{2}:\d{2}$/);
  await page.getByRole('button', { name: 'Close shift…' }).click();
  const cashKept = Math.round(product!.price / 5) * 5;
  const expected = 10_000 + cashKept;
  await expect(page.getByTestId('blind-count-note')).toBeVisible();
  await expect(page.getByTestId('over-short')).toHaveCount(0);
  await expect(page.locator('.shift-main')).not.toContainText(eur(expected));
  await expect(page.locator('.shift-main')).not.toContainText(/expected/i);
  // Count 10 cent over: €50 notes, then 5 cent coins for the rest plus two.
  const fifties = Math.floor(expected / 5000);
  const fives = (expected - fifties * 5000) / 5 + 2;
  await page.getByLabel(`Count of ${eur(5000)}`).fill(String(fifties));
  await page.getByLabel(`Count of ${eur(5)}`).fill(String(fives));
  await expect(page.getByTestId('counted')).toHaveText(eur(expected + 10));
  await page.screenshot({ path: `${SHOTS}/blind-count.png` });
  await page.getByRole('button', { name: 'Close shift and make Z report' }).click();

  // The Z report: its title in the store's format, the drawer by note, the cashier's part.
  const z = page.getByRole('region', { name: /^Z report · / });
  await expect(z.getByRole('heading', { level: 2 })).toHaveText(
    new RegExp(`^Z report · ${dublin({ dateStyle: 'medium' })}, \\d{2}:\\d{2}$`),
  );
  await expect(z).toContainText(`Expected in drawer${eur(expected)}`);
  await expect(z).toContainText(`Over${eur(10)}`);
  const count = z.getByRole('region', { name: 'Drawer count' });
  if (fifties > 0)
    await expect(count).toContainText(`${fifties} × ${eur(5000)}${eur(fifties * 5000)}`);
  await expect(count).toContainText(`${fives} × ${eur(5)}${eur(fives * 5)}`);
  const split = z.getByRole('table', { name: 'Per staff member' });
  await expect(split.getByRole('row', { name: /Aoife/ })).toContainText(
    ['Aoife', '1', eur(cashKept), eur(cashKept), eur(0), '—'].join(''),
  );
  await page.screenshot({ path: `${SHOTS}/z-report.png` });
  await split.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/z-report-count-and-staff.png` });

  // A till on 58 mm rolls: a manager sets it once, and Print… then lays out 32 columns on 58 mm.
  await page.getByRole('button', { name: 'Lock' }).click();
  await loginWithPin(page, '9999');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel(/Print…” uses the print dialog on/).selectOption('58');
  await page.getByRole('button', { name: 'History' }).click();
  await page.locator('.history-list .list-btn', { hasText: receipt }).click();
  const narrow = page.getByRole('region', { name: 'Paper receipt' });
  await narrow.getByRole('button', { name: 'Print…' }).click();
  await expect.poll(() => printDialogs(page)).toBe(3);
  await page.emulateMedia({ media: 'print' });
  // (Printing to PDF ends with afterprint, which gives the page back: look at the sheet first.)
  await page.getByTestId('print-sheet').screenshot({ path: `${SHOTS}/receipt-print-58mm.png` });
  const roll58 = pdfPageMm(await page.pdf({ preferCSSPageSize: true }));
  expect(roll58.width).toBeCloseTo(58, 0);
  const lines = await page
    .getByTestId('print-sheet')
    .locator('.paper-line')
    .evaluateAll((els) => els.map((el) => el.textContent ?? ''));
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(32);
  await page.emulateMedia({ media: 'screen' });
});
