// Two tills against the real ledger (SQLite): enrol with pairing codes, sell offline, come back, and agree with the ledger.
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import { clearSearch, eur, loginWithPin, openShift, pickProducts, scan, stockTile } from './till';

let ledger: TestLedger;

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
});
test.afterAll(async () => {
  await ledger?.close();
});

async function pairingCode(): Promise<string> {
  const res = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  return res.body.code;
}

async function enrol(page: Page, name: string) {
  await page.goto('/');
  await page.getByLabel('Ledger address').fill(ledger.url);
  await page.getByLabel('Pairing code').fill(await pairingCode());
  await page.getByLabel('Name of this till').fill(name);
  await page.getByRole('button', { name: 'Connect till' }).click();
  await expect(page.getByText('Staff PIN')).toBeVisible({ timeout: 30_000 });
}

/** Cut this till off from the ledger (the app itself still loads from the local server). */
async function ledgerDown(context: BrowserContext) {
  await context.route(`${ledger.url}/**`, (route) => route.abort('internetdisconnected'));
}

async function sellOne(page: Page, barcode: string) {
  await scan(page, barcode);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
}

async function ledgerStock(sku: string): Promise<number> {
  const res = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/stock?sku=${sku}`,
    ADMIN_TOKEN,
  );
  return res.body.levels[0].qty;
}

test('two tills sell offline, come back online, and every sale reaches the ledger once', async ({
  browser,
}) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
  await enrol(a!, 'Till A');
  await enrol(b!, 'Till B');
  for (const page of [a!, b!]) {
    await loginWithPin(page, '1234');
    await openShift(page);
  }
  const [p, q] = pickProducts(2);
  const before = await ledgerStock(p!.sku);

  for (const c of contexts) await ledgerDown(c);
  await sellOne(a!, p!.barcodes[0]!);
  await sellOne(a!, q!.barcodes[0]!);
  await sellOne(b!, p!.barcodes[0]!);
  await expect(a!.getByTestId('sync-status')).toContainText('2 unsynced sales');
  await expect(b!.getByTestId('sync-status')).toContainText('1 unsynced sale');
  // Offline, each till already counts its own sales in its stock.
  await expect(await stockTile(a!, p!.sku)).toHaveText(`${before - 1} in stock`);
  await clearSearch(a!);

  for (const c of contexts) await c.unrouteAll();
  for (const page of [a!, b!]) {
    await page.getByTestId('sync-status').click(); // sync now
    await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
      timeout: 20_000,
    });
  }

  const sales = await ledger.database.db
    .selectFrom('sales')
    .select(['receipt_number'])
    .orderBy('receipt_number')
    .execute();
  expect(sales.map((s) => s.receipt_number)).toEqual(['T1-000001', 'T1-000002', 'T2-000001']);
  expect(await ledgerStock(p!.sku)).toBe(before - 2);
  // After their next pull both tills show the ledger's count: B's sale now reached A too.
  for (const page of [a!, b!]) {
    await page.getByTestId('sync-status').click();
    await expect(await stockTile(page, p!.sku)).toHaveText(`${before - 2} in stock`);
    await clearSearch(page);
  }
  await a!.screenshot({ path: 'test-results/screens/two-tills-synced.png' });
  for (const c of contexts) await c.close();
});
