// The till's customer-facing QR codes against the real ledger (SQLite) in Chromium at 1366×768: a member's offers link on Customer…, and the stall sign on the Drops screen; each QR is decoded and opened on a phone.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import { ledgerDown, readyTill, SHOTS, setLedger, syncTill } from './drop-steps';
import { scan } from './till';

let ledger: TestLedger;
const MEMBER = 'M7K3MQ9XT';
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  // The decoder's default fetches its .wasm from a CDN; load the copy in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});
test.beforeEach(async () => {
  ledger = await startLedger('sqlite');
  setLedger(ledger);
  const member = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/members/${MEMBER}`,
    ADMIN_TOKEN,
    { name: 'Aoife Byrne', tiers: ['members'], phone: '+353 87 555 0101', active: true },
  );
  expect(member.status).toBe(200);
});
test.afterEach(async () => {
  await ledger?.close();
});

/** What a phone camera reads from a QR image on screen. */
async function decodeQr(img: Locator): Promise<string> {
  await expect(img).toBeVisible();
  const found = await readBarcodes(new Uint8Array(await img.screenshot()), {
    tryHarder: true,
    formats: ['QRCode'],
  });
  return found.find((r) => r.isValid)?.text ?? '';
}

async function openCustomer(page: Page) {
  await page.getByTestId('customer').click();
  return page.getByRole('dialog', { name: 'Customer' });
}

test("a manager shows an attached member's offers link as a QR that opens that member's page; offline or as a cashier the till says why", async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Manager till', '9999');
  await page.setViewportSize({ width: 1366, height: 768 });
  await syncTill(page);
  await scan(page, MEMBER);
  await expect(page.getByTestId('customer')).toHaveText('Customer: Aoife Byrne · members');

  const dialog = await openCustomer(page);
  await dialog.getByRole('button', { name: 'Offers link' }).click();
  const screen = page.getByRole('dialog', { name: 'Offers link of Aoife Byrne' });
  const qr = screen.getByTestId('public-qr').locator('img');
  await expect(qr).toBeVisible();
  expect((await qr.boundingBox())!.height).toBeGreaterThan(500); // large, for a phone across the counter
  await page.screenshot({ path: `${SHOTS}/offers-link-qr.png` });
  const scanned = await decodeQr(qr);
  const expected = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`,
    ADMIN_TOKEN,
  );
  expect(scanned).toBe(ledger.url + expected.body.path);
  await expect(screen.getByTestId('public-qr-url')).toHaveText(scanned);

  // The member's phone opens it: their own offers page.
  const mobile = await browser.newContext(phone);
  const phonePage = await mobile.newPage();
  await phonePage.goto(scanned);
  await expect(phonePage.getByRole('heading', { name: 'Your member offers' })).toBeVisible();
  await mobile.close();

  await screen.getByRole('button', { name: 'Done' }).click();
  await expect(screen).toHaveCount(0);

  // Offline: the button says why, in words.
  const undo = await ledgerDown(context);
  await dialog.getByRole('button', { name: 'Offers link' }).click();
  await expect(dialog.getByRole('alert')).toContainText('cannot reach now (offline?)');
  await expect(screen).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/offers-link-offline.png` });
  await undo();
  await context.close();

  // A cashier's till has no manager session: it says a manager is needed.
  const cashier = await readyTill(browser, 'Cashier till', '1234');
  await cashier.page.setViewportSize({ width: 1366, height: 768 });
  await syncTill(cashier.page);
  await scan(cashier.page, MEMBER);
  const cashierDialog = await openCustomer(cashier.page);
  await cashierDialog.getByRole('button', { name: 'Offers link' }).click();
  await expect(cashierDialog.getByRole('alert')).toHaveText(
    "Only a manager can show the member's offers link: Sign in to the ledger with your manager PIN first.",
  );
  await cashier.context.close();
});

test('the Drops screen shows the stall sign: its QR opens the store’s drop page, and it prints on a 100 × 150 mm label', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Manager till', '9999');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.evaluate(() => {
    const w = window as unknown as { printDialogs: number };
    w.printDialogs = 0;
    window.print = () => {
      w.printDialogs += 1;
    };
  });
  await page.getByRole('button', { name: 'Drops', exact: true }).click();
  await page.getByRole('button', { name: 'Stall sign' }).click();
  const screen = page.getByRole('dialog', { name: 'Stall sign' });
  const sign = screen.getByTestId('stall-sign');
  await expect(sign.getByRole('heading', { name: 'Live drops' })).toBeVisible();
  const storePage = `${ledger.url}/s/${ledger.storeId}`;
  expect(await decodeQr(sign.locator('img'))).toBe(storePage);
  await page.screenshot({ path: `${SHOTS}/stall-sign.png` });
  await expect(screen.getByTestId('public-qr-url')).toHaveText(storePage);

  const mobile = await browser.newContext(phone);
  const phonePage = await mobile.newPage();
  await phonePage.goto(storePage);
  await expect(phonePage.locator('h1')).toBeVisible();
  expect(await phonePage.title()).not.toBe('Not found');
  await mobile.close();

  // Print…: the system print dialog, with only the sign on a 100 × 150 mm page.
  await screen.getByRole('button', { name: 'Print…' }).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { printDialogs: number }).printDialogs))
    .toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(sign).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/stall-sign-print.png` });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${SHOTS}/stall-sign.pdf`, pdf);
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'))!;
  const mm = (pt: string) => (Number(pt) * 25.4) / 72;
  expect(mm(box[1]!)).toBeCloseTo(100, 0);
  expect(mm(box[2]!)).toBeCloseTo(150, 0);
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
  await page.emulateMedia({ media: 'screen' });
  await context.close();
});
