// Shared steps for the till's end-to-end tests: the demo data and the actions a cashier takes.
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

/** Where the e2e preview server serves the app (POPTILL_E2E_PORT lets parallel runs use their own). */
export const APP_ORIGIN = `http://127.0.0.1:${process.env.POPTILL_E2E_PORT ?? 4173}`;

interface DemoProduct {
  sku: string;
  name: string;
  price: number;
  barcodes: string[];
  category: string;
}

export const demo = JSON.parse(readFileSync('assets/demo-catalog.json', 'utf8')) as {
  products: DemoProduct[];
  stock?: Record<string, number>;
};

/** Three distinct products with a barcode, from different categories. */
export function pickProducts(count: number): DemoProduct[] {
  const seen = new Set<string>();
  const out: DemoProduct[] = [];
  for (const p of demo.products) {
    if (seen.has(p.category) || p.barcodes.length === 0) continue;
    seen.add(p.category);
    out.push(p);
    if (out.length === count) break;
  }
  return out;
}

/** Euro display the way the till shows it (en-IE). */
export const eur = (minor: number) =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(minor / 100);

/** First run of a fresh till: choose the standalone demo on the set-up screen. */
export async function openStandaloneTill(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try it with demo data' }).click();
  await expect(page.getByText('Staff PIN')).toBeVisible();
}

export async function loginWithPin(page: Page, pin: string) {
  await expect(page.getByText('Staff PIN')).toBeVisible();
  await page.keyboard.type(pin, { delay: 30 });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Lock' })).toBeVisible();
}

export async function openShift(page: Page, float = '100') {
  await page.getByRole('button', { name: 'Shift', exact: true }).click();
  await page.getByLabel('Opening float (cash in the drawer)').fill(float);
  await page.getByRole('button', { name: 'Open shift' }).click();
  await expect(page.getByText('Scan or tap a product to start a sale.')).toBeVisible();
}

/** Type a code the way a USB scanner does: fast keystrokes ending in Enter, with focus on the page. */
export async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 8 });
  await page.keyboard.press('Enter');
}

/** Connect the set-up screen to a ledger with a pairing code, up to the PIN pad. */
export async function connectTill(
  page: Page,
  ledgerUrl: string,
  pairingCode: string,
  name: string,
) {
  await page.goto('/');
  await page.getByLabel('Ledger address').fill(ledgerUrl);
  await page.getByLabel('Pairing code').fill(pairingCode);
  await page.getByLabel('Name of this till').fill(name);
  await page.getByRole('button', { name: 'Connect till' }).click();
  await expect(page.getByText('Staff PIN')).toBeVisible({ timeout: 30_000 });
}

/** Scan one product, take the exact money in cash, complete the sale and start the next. */
export async function sellOneForCash(page: Page, barcode: string) {
  await scan(page, barcode);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
}

/** The stock line on a product's tile, found by searching its SKU (clear the search after). */
export async function stockTile(page: Page, sku: string) {
  await page.getByLabel('Search products').fill(sku);
  await expect(page.locator('.results-line')).toContainText(`found for “${sku}”`);
  return page.locator(`.tile[data-sku="${sku}"] .tile-stock`);
}

/** The stock count shown on a product's tile. */
export async function stockOnTile(page: Page, sku: string): Promise<number> {
  const text = await (await stockTile(page, sku)).textContent();
  await clearSearch(page);
  const m = /^(\d+) in stock$/.exec(text?.trim() ?? '');
  if (!m) throw new Error(`no stock count on the tile of ${sku}: “${text}”`);
  return Number(m[1]);
}

export async function clearSearch(page: Page) {
  const search = page.getByLabel('Search products');
  await search.fill('');
  await search.blur();
}
