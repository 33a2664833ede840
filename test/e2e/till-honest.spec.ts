// The till tells the truth and keeps its work (issue 14): the pill against a ledger stopped and started for real, a reload mid-basket, the PIN lock, manager approval, named parked sales.
import { mkdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { startLedger, type TestLedger } from '../ledger/fixtures';
import { readyTill, setLedger } from './drop-steps';
import { eur, loginWithPin, openShift, openStandaloneTill, pickProducts, scan } from './till';

const SHOTS = '/tmp/sync-shots';
const VIEW = { width: 1366, height: 768 };
let ledger: TestLedger;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ledger = await startLedger('sqlite');
  setLedger(ledger);
});
test.afterAll(async () => {
  await ledger?.close();
});

/** Stop the ledger's HTTP server for real (connections refused; its database stays), and start it again on the same port. */
async function stopLedger(): Promise<() => Promise<void>> {
  const server = ledger.app.server;
  const port = Number(new URL(ledger.url).port);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return () => new Promise<void>((resolve) => void server.listen(port, '127.0.0.1', resolve));
}

const pill = (page: Page) => page.getByTestId('sync-status');

async function standaloneTill(browser: Browser) {
  const context = await browser.newContext({ viewport: VIEW });
  const page = await context.newPage();
  await openStandaloneTill(page);
  return { context, page };
}

async function sellOne(page: Page, barcode: string) {
  await scan(page, barcode);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
}

test('the pill says Offline within 5 s of the ledger stopping and is synced again within 5 s of it starting', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Honest pill');
  await page.setViewportSize(VIEW);
  // Opening the shift is a record to send too: amber says so until it is sent.
  await expect(pill(page)).toContainText('0 unsynced sales · 1 other record to send');
  await expect(pill(page)).toHaveClass(/\bwaiting\b/);
  await pill(page).click();
  await expect(pill(page)).toHaveText('0 unsynced sales · synced just now · Online', {
    timeout: 10_000,
  });
  await expect(pill(page)).toHaveClass(/\bok\b/);

  const start = await stopLedger();
  const stoppedAt = Date.now();
  await expect(pill(page)).toContainText(/Offline since \d\d:\d\d/, { timeout: 5_000 });
  expect(Date.now() - stoppedAt).toBeLessThan(5_000);
  await expect(pill(page)).not.toHaveClass(/\bok\b/);

  // A sale while the ledger is away: kept here, said so, never green.
  const [p] = pickProducts(1);
  await sellOne(page, p!.barcodes[0]!);
  await expect(pill(page)).toContainText('1 unsynced sale');
  await expect(pill(page)).toContainText(/Offline since \d\d:\d\d/);
  await expect(pill(page)).not.toContainText('synced just now');
  await expect(pill(page)).toHaveClass(/\bwaiting\b/);
  // The time is the store's (Dublin), as the receipt prints it.
  const text = (await pill(page).textContent()) ?? '';
  const shown = /Offline since (\d\d:\d\d)/.exec(text)?.[1];
  const dublin = (at: number) =>
    new Intl.DateTimeFormat('en-IE', {
      timeZone: 'Europe/Dublin',
      hour: '2-digit',
      minute: '2-digit',
    }).format(at);
  expect([dublin(stoppedAt), dublin(stoppedAt + 5_000)]).toContain(shown);
  await page.screenshot({ path: `${SHOTS}/pill-offline.png` });
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}/pill-offline-${size.width}.png` });
  }
  await page.setViewportSize(VIEW);

  await start();
  const startedAt = Date.now();
  await expect(pill(page)).toHaveText('0 unsynced sales · synced just now · Online', {
    timeout: 5_000,
  });
  expect(Date.now() - startedAt).toBeLessThan(5_000);
  await expect(pill(page)).toHaveClass(/\bok\b/);
  const synced = await ledger.database.db
    .selectFrom('sales')
    .select('receipt_number')
    .where('receipt_number', 'like', '%-000001')
    .execute();
  expect(synced.length).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/pill-back.png` });
  await context.close();
});

test('a reload mid-basket opens the till locked and brings the basket back after the PIN', async ({
  browser,
}) => {
  const { context, page } = await standaloneTill(browser);
  await loginWithPin(page, '1234');
  await openShift(page);
  const [a, b] = pickProducts(2);
  await scan(page, a!.barcodes[0]!);
  await scan(page, b!.barcodes[0]!);
  await scan(page, b!.barcodes[0]!);
  await page.getByRole('button', { name: 'Order discount' }).click();
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  const off = Math.round((a!.price + 2 * b!.price) * 0.05);
  await expect(page.getByRole('button', { name: `Order discount −${eur(off)}` })).toBeVisible();
  const total = await page.getByTestId('total').textContent();

  await page.reload();
  await expect(page.getByTestId('locked-session')).toContainText(
    'Locked — Aoife was serving. Their basket (3 items) is kept',
  );
  await page.screenshot({ path: `${SHOTS}/reload-locked.png` });
  await loginWithPin(page, '1234');
  await expect(page.locator('.cart-line')).toHaveCount(2);
  await expect(page.getByTestId('total')).toHaveText(total!);
  await expect(page.getByRole('button', { name: `Order discount −${eur(off)}` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/reload-restored.png` });

  // Paid: the basket is gone for good, a reload brings nothing back.
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('locked-session')).not.toContainText('basket');
  await loginWithPin(page, '1234');
  await expect(page.getByText('Scan or tap a product to start a sale.')).toBeVisible();
  await context.close();
});

test('the PIN lock counts down, disables the keypad and says a right PIN was not checked', async ({
  browser,
}) => {
  const { context, page } = await standaloneTill(browser);
  for (let i = 0; i < 5; i++) {
    await page.keyboard.type('0000', { delay: 20 });
    await page.keyboard.press('Enter');
    if (i < 4) await expect(page.getByTestId('pin-message')).toContainText('Wrong PIN');
  }
  const message = page.getByTestId('pin-message');
  const secondsLeft = async () => {
    const m = /^Too many wrong PINs\. Try again in (\d+) s\.$/.exec(
      ((await message.textContent()) ?? '').replace(/\s+/g, ' '),
    );
    return m ? Number(m[1]) : Number.NaN;
  };
  await expect(message).toHaveText(/^Too many wrong PINs\. Try again in \d+\s+s\.$/);
  const first = await secondsLeft();
  expect(first).toBeGreaterThan(20);
  expect(first).toBeLessThanOrEqual(30);
  // It counts down by itself, second by second.
  await expect.poll(secondsLeft, { timeout: 5_000 }).toBeLessThanOrEqual(first - 2);
  await expect(page.getByRole('button', { name: '1', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Enter', exact: true })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/pin-lock.png` });

  await page.keyboard.type('1234', { delay: 20 });
  await page.keyboard.press('Enter');
  await expect(message).toHaveText(
    /^The till is locked for 2\d\s+s more — that PIN was not checked\. Enter it again when the lock ends\.$/,
  );
  await expect(page.getByRole('button', { name: 'Lock' })).toHaveCount(0);
  await context.close();
});

test('a cashier’s own PIN at manager approval is told a manager must approve; a manager’s approves', async ({
  browser,
}) => {
  const { context, page } = await standaloneTill(browser);
  await loginWithPin(page, '1234');
  await openShift(page);
  const [a] = pickProducts(1);
  await scan(page, a!.barcodes[0]!);
  await page.getByRole('button', { name: 'Order discount' }).click();
  await page.keyboard.type('20');
  await page.keyboard.press('Enter');
  const approval = page.getByRole('dialog', { name: 'Manager approval' });
  await expect(approval).toBeVisible();
  await page.keyboard.type('1234', { delay: 20 });
  await page.keyboard.press('Enter');
  await expect(approval.getByTestId('pin-message')).toHaveText(
    'Aoife (cashier, up to 10%) cannot approve 20%: a manager must approve this discount.',
  );
  await expect(approval).not.toContainText('Wrong PIN');
  await page.screenshot({ path: `${SHOTS}/approval-cashier.png` });
  await page.keyboard.type('9999', { delay: 20 });
  await page.keyboard.press('Enter');
  await expect(approval).toBeHidden();
  const off = Math.round(a!.price * 0.2);
  await expect(page.getByRole('button', { name: `Order discount −${eur(off)}` })).toBeVisible();
  await context.close();
});

test('parked sales have a name, say "1 item", and switch with the open basket', async ({
  browser,
}) => {
  const { context, page } = await standaloneTill(browser);
  await loginWithPin(page, '1234');
  await openShift(page);
  const [a, b] = pickProducts(2);
  await scan(page, a!.barcodes[0]!);
  await page.getByRole('button', { name: 'Park', exact: true }).click();
  const parkDialog = page.getByRole('dialog', { name: 'Park this sale' });
  await parkDialog.getByLabel('Name or note (who it is for)').fill('Blue jacket lady');
  await expect(parkDialog.getByLabel('Name or note (who it is for)')).toHaveValue(
    'Blue jacket lady',
  );
  await page.screenshot({ path: `${SHOTS}/park-dialog.png` });
  await parkDialog.getByRole('button', { name: 'Park sale' }).click();
  await expect(page.locator('.cart-line')).toHaveCount(0);

  // A second customer's basket is open, and Parked is still there to choose.
  await scan(page, b!.barcodes[0]!);
  await scan(page, b!.barcodes[0]!);
  await page.getByRole('button', { name: 'Parked (1)' }).click();
  const list = page.getByRole('dialog', { name: 'Parked sales' });
  const blue = list.getByRole('button', { name: /Blue jacket lady/ });
  await expect(blue).toContainText(`Blue jacket lady · 1 item · ${eur(a!.price)}`);
  await list
    .getByLabel(/Choosing one parks the open basket \(2 items · .*\) as:/)
    .fill('Red scarf man');
  await page.screenshot({ path: `${SHOTS}/parked-list.png` });
  await blue.click();
  await expect(page.locator('.cart-line')).toHaveCount(1);
  await expect(page.locator(`.cart-line[data-sku="${a!.sku}"]`)).toBeVisible();

  // And back again: the other basket, with its two units.
  await page.getByRole('button', { name: 'Parked (1)' }).click();
  const red = list.getByRole('button', { name: /Red scarf man/ });
  await expect(red).toContainText(`Red scarf man · 2 items · ${eur(2 * b!.price)}`);
  await red.click();
  await expect(page.locator(`.cart-line[data-sku="${b!.sku}"]`)).toBeVisible();
  await expect(page.getByTestId('total')).toHaveText(eur(2 * b!.price));
  await page.getByRole('button', { name: 'Parked (1)' }).click();
  await expect(list.getByRole('button', { name: /Blue jacket lady/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/parked-switched.png` });
  await context.close();
});
