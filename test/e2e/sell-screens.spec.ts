// The sell and pay screens as stall staff use them, against the real ledger (SQLite) with the demo's live drop: product rows in view at 1366×768, the drop strip's honest prices, scans in the promo box, the discount dialog, smart quick cash, a card sale without a reference, and no button under 44 × 44 px.
import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { loadDemoDrops } from '../../server/demo';
import { startLedger, type TestLedger } from '../ledger/fixtures';
import { product, readyTill, setLedger, syncTill } from './drop-steps';
import { eur, loginWithPin, scan } from './till';

let ledger: TestLedger;
const SHOTS = '/tmp/sell-shots';
const HOODIE = product('HOD-PUF-BLK-M');
const COAT = product('HOD-COA-BLK-M');
const TOAST = product('CAF-TST');

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ledger = await startLedger('sqlite');
  setLedger(ledger);
  await loadDemoDrops(ledger.database, ledger.storeId);
});
test.afterAll(async () => {
  await ledger?.close();
});

/** Rows of product tiles wholly on screen inside the product grid (its own scroll area). */
async function visibleProductRows(page: Page): Promise<number> {
  return page.locator('.catalog .grid').evaluate((grid) => {
    const box = grid.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight);
    const tops = new Set<number>();
    for (const tile of grid.querySelectorAll('.tile')) {
      const r = tile.getBoundingClientRect();
      if (r.top >= box.top - 1 && r.bottom <= bottom + 1) tops.add(Math.round(r.top));
    }
    return tops.size;
  });
}

/** Every visible button smaller than 44 × 44 px, by its text, with its size. */
async function smallButtons(page: Page): Promise<string[]> {
  return page.locator('body').evaluate(() =>
    [...document.querySelectorAll('button')]
      .filter((b) => b.checkVisibility())
      .map((b) => ({ b, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 43.5 || r.height < 43.5)
      .map(
        ({ b, r }) =>
          `${b.getAttribute('aria-label') ?? b.textContent?.trim()}: ${Math.round(r.width)}×${Math.round(r.height)}`,
      ),
  );
}

const money = (text: string | null) => Math.round(Number(text?.replace(/[^\d.]/g, '')) * 100);

test('at 1366×768 with a live drop: three rows of products in view, honest drop prices, a scan in the promo box, typed discount digits, a card sale without a reference', async ({
  browser,
}) => {
  const { page, context } = await readyTill(browser, 'Stall A');
  await page.setViewportSize({ width: 1366, height: 768 });
  await syncTill(page);
  const strip = page.getByRole('region', { name: 'Drops' });
  await expect(strip.getByRole('article', { name: 'Winter Drop 01' })).toBeVisible();
  await expect(page.locator(`.drop-item[data-sku="${HOODIE.sku}"]`)).toBeVisible();
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThanOrEqual(3);

  // A member buys two hoodies at the early-bird price (the drop's limit is 2 per customer): the
  // strip prices the next unit and says what the cart charges. Her card, scanned with the
  // cursor in the promo box, names her as the customer (it is no promo code).
  await page.getByLabel('Promo code').click();
  await scan(page, 'M7K3MQ9XT');
  await expect(page.getByTestId('customer')).toContainText('Saoirse Byrne');
  await expect(page.getByTestId('promo-code')).toHaveCount(0);
  await page.getByLabel('Promo code').blur();
  await scan(page, HOODIE.barcode);
  await scan(page, HOODIE.barcode);
  await expect(page.locator(`.cart-line[data-sku="${HOODIE.sku}"] .qty`)).toHaveText('2');
  const hoodiePrice = page.locator(
    `.drop-item[data-sku="${HOODIE.sku}"] [data-testid="drop-price"]`,
  );
  await expect(hoodiePrice).toContainText(`Next unit ${eur(10_800)} First hour`);
  await expect(hoodiePrice).toContainText(`in cart at ${eur(9_600)} (Early bird)`);
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThanOrEqual(3);

  // A barcode scanned while the promo box has the cursor adds the product; no code is tried.
  await page.getByLabel('Promo code').click();
  await scan(page, TOAST.barcode);
  await expect(page.locator(`.cart-line[data-sku="${TOAST.sku}"]`)).toBeVisible();
  await expect(page.getByTestId('promo-refused')).toHaveCount(0);
  await expect(page.getByTestId('promo-code')).toHaveCount(0);
  await expect(page.getByLabel('Promo code')).toHaveValue('');
  // An unknown barcode scanned there is said to be unknown, not tried as a promo code.
  await scan(page, '2000000000008');
  await expect(page.getByText('No product with barcode or SKU “2000000000008”')).toBeVisible();
  await expect(page.getByTestId('promo-code')).toHaveCount(0);
  // A code typed by hand (at a person's pace) is a promo code, and the cart says why it is refused.
  await page.getByLabel('Promo code').pressSequentially('NOSUCH', { delay: 120 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('promo-code')).toHaveText('NOSUCH');
  await expect(page.getByTestId('promo-refused')).toBeVisible();
  await page.getByRole('button', { name: 'Remove the promo code' }).click();
  await expect(page.getByTestId('promo-code')).toHaveCount(0);

  // The discount dialog opens with the cursor in the amount: digits typed straight away count.
  await page.getByRole('button', { name: 'Order discount' }).click();
  const dialog = page.getByRole('dialog', { name: 'Order discount' });
  await expect(dialog.getByLabel('Discount (%)')).toBeFocused();
  await page.keyboard.type('5');
  await expect(dialog.getByLabel('Discount (%)')).toHaveValue('5');
  expect(await smallButtons(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/discount-dialog-1366x768.png` });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const subtotal = 2 * 9_600 + TOAST.price;
  const off = Math.round(subtotal * 0.05);
  await expect(page.getByRole('button', { name: `Order discount −${eur(off)}` })).toBeVisible();
  // The totals add up as read: subtotal less the discount is the total; VAT is said with its amount.
  await expect(page.getByTestId('subtotal')).toHaveText(eur(subtotal));
  await expect(page.getByTestId('discounts')).toHaveText(`−${eur(off)}`);
  await expect(page.getByTestId('total')).toHaveText(eur(subtotal - off));
  const vat = page.locator('.totals .tax-band').first();
  await expect(vat).toContainText(/incl\. VAT \d+(\.\d+)?% \(net €[\d,.]+\)€[\d,.]+/);

  expect(await smallButtons(page)).toEqual([]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(['Sell']);
  await page.screenshot({ path: `${SHOTS}/sell-1366x768.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThanOrEqual(3);
  await page.screenshot({ path: `${SHOTS}/sell-1280x800.png` });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThanOrEqual(3);
  await page.screenshot({ path: `${SHOTS}/sell-1920x1080.png` });
  await page.setViewportSize({ width: 1366, height: 768 });

  // Card on the terminal, no reference typed (the demo store does not ask for one).
  await page.getByRole('button', { name: /^Pay / }).click();
  expect(await smallButtons(page)).toEqual([]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(['Payment']);
  await page.screenshot({ path: `${SHOTS}/pay-1366x768.png` });
  await expect(page.getByLabel('Terminal reference (optional)')).toHaveValue('');
  await page.getByRole('button', { name: 'Card paid' }).click();
  await expect(page.getByText(`Card ${eur(subtotal - off)}`)).toBeVisible();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  // The receipt names the card payment without a reference, and nothing reads "undefined".
  const receipt = page.getByRole('article', { name: /^Receipt / }).first();
  await expect(receipt).toContainText(/Card\s+€/);
  await expect(receipt).not.toContainText('undefined');
  await page.getByRole('button', { name: 'New sale' }).click();
  await syncTill(page);
  const stored = await ledger.database.db
    .selectFrom('sales')
    .select(['card', 'cash', 'total'])
    .where('receipt_number', 'like', '%-000001')
    .executeTakeFirstOrThrow();
  expect(stored).toEqual({ card: subtotal - off, cash: 0, total: subtotal - off });

  // History lists the sale with how it was paid and who sold it.
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(page.getByTestId('history-sale').first()).toContainText('Card');
  await expect(page.getByTestId('history-sale').first()).toContainText(eur(subtotal - off));

  // Folding the strip gives the products more room, and this till remembers it.
  await page.getByRole('button', { name: 'Sell', exact: true }).click();
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThanOrEqual(3);
  const rowsOpen = await visibleProductRows(page);
  await page.getByRole('button', { name: 'Hide drop items' }).click();
  await page.screenshot({ path: `${SHOTS}/sell-folded-1366x768.png` });
  await expect(page.locator(`.drop-item[data-sku="${HOODIE.sku}"]`)).toHaveCount(0);
  await expect(strip.getByRole('article', { name: 'Winter Drop 01' })).toBeVisible();
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThan(rowsOpen);
  await page.reload();
  await loginWithPin(page, '1234');
  await expect(page.getByRole('button', { name: 'Show drop items' })).toBeVisible();
  await expect(page.locator(`.drop-item[data-sku="${HOODIE.sku}"]`)).toHaveCount(0);
  await context.close();
});

test('quick cash offers the notes a customer hands over for €176.50, and the pay screen at three sizes', async ({
  browser,
}) => {
  const { page, context } = await readyTill(browser, 'Stall B');
  await scan(page, COAT.barcode);
  await scan(page, COAT.barcode);
  await scan(page, TOAST.barcode);
  await expect(page.getByTestId('total')).toHaveText(eur(17_650));
  await page.getByRole('button', { name: /^Pay / }).click();
  const cash = page.getByRole('group', { name: 'Cash' });
  const offered = await cash.locator('.quick button').allTextContents();
  expect(offered).toEqual([`Exact ${eur(17_650)}`, eur(18_000), eur(20_000), eur(25_000)]);
  for (const [w, h] of [
    [1366, 768],
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    expect(await smallButtons(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/pay-quick-${w}x${h}.png` });
  }
  await cash.getByRole('button', { name: eur(20_000), exact: true }).click();
  await expect(page.getByTestId('change')).toHaveText(`Change due ${eur(2_350)}`);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  expect(money(await page.getByTestId('receipt-total').textContent())).toBe(17_650);

  // A cart abandoned next: History lists it as voided between the sales, each sale with its tender and cashier.
  await page.getByRole('button', { name: 'New sale' }).click();
  await scan(page, TOAST.barcode);
  await page.getByRole('button', { name: 'Void', exact: true }).click();
  await page.getByRole('button', { name: 'Void sale' }).click();
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(page.getByTestId('history-void')).toHaveCount(1);
  await expect(page.getByTestId('history-void')).toContainText(
    `1 item · ${eur(TOAST.price)} · Aoife`,
  );
  const sale = page.getByTestId('history-sale');
  await expect(sale).toHaveCount(1);
  await expect(sale).toContainText('Cash');
  await expect(sale).toContainText('Aoife');
  await expect(sale).toContainText(eur(17_650));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: `${SHOTS}/history-1366x768.png` });
  await context.close();
});

test("a manager's till at 1366×768 (every tab in the top bar): still one bar and three rows of products with the live drop", async ({
  browser,
}) => {
  const { page, context } = await readyTill(browser, 'Stall M', '9999');
  await page.setViewportSize({ width: 1366, height: 768 });
  await syncTill(page);
  await expect(page.getByRole('article', { name: 'Winter Drop 01' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeVisible();
  await expect.poll(() => visibleProductRows(page)).toBeGreaterThanOrEqual(3);
  expect(await smallButtons(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/sell-manager-1366x768.png` });
  await context.close();
});

test('a store that asks for the card terminal reference gets it on every card payment', async ({
  browser,
}) => {
  const { db } = ledger.database;
  const row = await db
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', ledger.storeId)
    .executeTakeFirstOrThrow();
  const settings = { ...JSON.parse(row.settings), cardReferenceRequired: true };
  await db
    .updateTable('stores')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', ledger.storeId)
    .execute();
  // A till paired now gets the store's settings in its first pull.
  const { page, context } = await readyTill(browser, 'Stall R');
  await scan(page, TOAST.barcode);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: 'Card paid' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'this store asks for it' })).toBeVisible();
  await expect(page.getByTestId('remaining')).toHaveText(`Still to pay ${eur(TOAST.price)}`);
  await page.getByLabel('Terminal reference', { exact: true }).fill('AUTH-7731');
  await page.getByRole('button', { name: 'Card paid' }).click();
  await expect(page.getByText(`Card AUTH-7731 ${eur(TOAST.price)}`)).toBeVisible();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await context.close();
});
