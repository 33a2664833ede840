// Two tills against the real ledger (SQLite): enrol with pairing codes, sell offline, come back, and agree with the ledger.
import { readFileSync } from 'node:fs';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import { clearSearch, loginWithPin, openShift, pickProducts, scan, stockTile } from './till';

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

/** Cut this till off from the ledger (the app itself still loads from the local server); returns the undo. */
async function ledgerDown(context: BrowserContext): Promise<() => Promise<void>> {
  const pattern = `${ledger.url}/**`;
  const down = (route: import('@playwright/test').Route) => route.abort('internetdisconnected');
  await context.route(pattern, down);
  return () => context.unroute(pattern, down);
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

async function readyTill(browser: import('@playwright/test').Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await enrol(page, name);
  await loginWithPin(page, '1234');
  await openShift(page);
  return { context, page };
}

async function salesOf(prefix: string) {
  const rows = await ledger.database.db
    .selectFrom('sales')
    .select('receipt_number')
    .where('receipt_number', 'like', `${prefix}-%`)
    .orderBy('receipt_number')
    .execute();
  return rows.map((r) => r.receipt_number);
}

test('a till with a snapshot starts, logs in and sells with the ledger down (cold start offline)', async ({
  browser,
}) => {
  const first = await readyTill(browser, 'Cold start');
  await ledgerDown(first.context);
  // Close the app and start it again: only IndexedDB carries over.
  await first.page.close();
  const page = await first.context.newPage();
  await page.goto('/');
  await loginWithPin(page, '1234');
  const [p] = pickProducts(1);
  await sellOne(page, p!.barcodes[0]!);
  await expect(page.getByTestId('sync-status')).toContainText('1 unsynced sale');
  await expect(page.getByTestId('sync-status')).toHaveAttribute(
    'title',
    /^The ledger cannot be reached — sales are kept on this till, retrying in \d+ s\.$/,
  );
  await expect(page.getByTestId('sync-status')).toContainText(
    /1 unsynced sale · .*Offline since \d\d:\d\d/,
  );
  // Closing the shift now cannot pass for "synced": the Z report says what is still only here.
  await page.getByRole('button', { name: 'Shift', exact: true }).click();
  await page.getByRole('button', { name: 'Close shift…' }).click();
  await page.getByRole('button', { name: 'Close shift and make Z report' }).click();
  await expect(page.getByRole('region', { name: /Z report/ })).toContainText(
    '1 sale still only on this till',
  );
  await first.context.close();
});

test('reloading while a push is in flight loses nothing and doubles nothing', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Reloader');
  await ledgerDown(context);
  const [p, q] = pickProducts(2);
  await sellOne(page, p!.barcodes[0]!);
  await sellOne(page, q!.barcodes[0]!);
  await sellOne(page, p!.barcodes[0]!);
  await expect(page.getByTestId('sync-status')).toContainText('3 unsynced sales');
  const receipts = await page.evaluate(() => document.title); // keep the page busy-free before the swap
  expect(receipts).toBe('PopTill');

  // The push reaches the ledger and commits, but the answer never comes back: the page reloads first.
  await context.unrouteAll();
  let committed!: () => void;
  const ledgerCommitted = new Promise<void>((resolve) => {
    committed = resolve;
  });
  await context.route(`${ledger.url}/api/v1/sync/push`, async (route) => {
    const response = await route.fetch();
    committed();
    await new Promise((r) => setTimeout(r, 5_000));
    await route.fulfill({ response }).catch(() => {});
  });
  await page.getByTestId('sync-status').click();
  await ledgerCommitted;
  await page.reload();
  await context.unrouteAll({ behavior: 'ignoreErrors' });

  await loginWithPin(page, '1234');
  const device = await page.evaluate(async () => {
    const open = indexedDB.open('poptill');
    const db: IDBDatabase = await new Promise((res) => {
      open.onsuccess = () => res(open.result);
    });
    const get = db.transaction('settings').objectStore('settings').get('device');
    return new Promise<{ prefix: string }>((res) => {
      get.onsuccess = () => res(get.result.value);
    });
  });
  await page.getByTestId('sync-status').click();
  await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
    timeout: 20_000,
  });
  expect(await salesOf(device.prefix)).toEqual([1, 2, 3].map((n) => `${device.prefix}-00000${n}`));
  await context.close();
});

test('a sale the ledger rejects is listed with its reason and does not hold back the others', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Quarantine');
  const ledgerUp = await ledgerDown(context);
  const [p] = pickProducts(1);
  for (let i = 0; i < 3; i++) await sellOne(page, p!.barcodes[0]!);
  // The second sale reaches the ledger damaged (as a corrupted record or an older till's format would).
  // Installed before the ledger comes back, so no retry can slip past it.
  await context.route(`${ledger.url}/api/v1/sync/push`, async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}');
    for (const e of body.events)
      if (e.type === 'sale.completed' && e.payload.receiptNumber.endsWith('000002'))
        e.payload.total = -1;
    await route.continue({ postData: JSON.stringify(body) });
  });
  await ledgerUp();
  await page.getByTestId('sync-status').click();
  await expect(page.getByTestId('sync-status')).toContainText(
    '0 unsynced sales · 1 refused by the ledger',
    {
      timeout: 20_000,
    },
  );
  const prefix = (
    await ledger.database.db
      .selectFrom('devices')
      .select('prefix')
      .where('name', '=', 'Quarantine')
      .executeTakeFirstOrThrow()
  ).prefix;
  expect(await salesOf(prefix)).toEqual([`${prefix}-000001`, `${prefix}-000003`]);

  // A manager sees it, with the ledger's reason.
  await page.getByRole('button', { name: 'Lock' }).click();
  await loginWithPin(page, '9999');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('list', { name: 'Facts the ledger refused' })).toContainText(
    /sale\.completed.*rejected.*total/,
  );
  await page.screenshot({ path: 'test-results/screens/rejected.png' });
  await context.close();
});

test('a manager exports unsynced sales to a file and the ledger imports them (sneakernet)', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'No internet for days');
  await ledgerDown(context);
  const [p] = pickProducts(1);
  await sellOne(page, p!.barcodes[0]!);
  await sellOne(page, p!.barcodes[0]!);
  await page.getByRole('button', { name: 'Lock' }).click();
  await loginWithPin(page, '9999');
  await page.getByRole('button', { name: 'Settings' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export unsynced to a file' }).click();
  const file = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(file.format).toBe('poptill-events/1');

  const res = await ledger.call('POST', '/api/v1/sync/import', ADMIN_TOKEN, file);
  expect(res.body).toMatchObject({ accepted: file.events.length, rejected: 0 });
  const prefix = (
    await ledger.database.db
      .selectFrom('devices')
      .select('prefix')
      .where('name', '=', 'No internet for days')
      .executeTakeFirstOrThrow()
  ).prefix;
  expect(await salesOf(prefix)).toEqual([`${prefix}-000001`, `${prefix}-000002`]);
  // When the till is back online, its queue empties without sending anything twice.
  await context.unrouteAll();
  await page.getByTestId('sync-status').click();
  await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
    timeout: 20_000,
  });
  expect(await salesOf(prefix)).toHaveLength(2);
  await context.close();
});

test('sync still runs when the worker cannot start (as module workers from file:// may not)', async ({
  browser,
}) => {
  const context = await browser.newContext();
  // Every worker this page starts runs a script that dies at once.
  await context.addInitScript(() => {
    const Real = window.Worker;
    window.Worker = class extends Real {
      constructor(_url: string | URL, options?: WorkerOptions) {
        super(URL.createObjectURL(new Blob(['throw new Error("no worker here")'])), options);
      }
    };
  });
  const page = await context.newPage();
  const warnings: string[] = [];
  page.on('console', (m) => warnings.push(m.text()));
  await enrol(page, 'No worker'); // the first snapshot arrives: the UI thread ran the sync
  expect(warnings.some((w) => w.includes('on the UI thread'))).toBe(true);
  await loginWithPin(page, '1234');
  await expect(page.getByTestId('sync-status')).toContainText('synced just now');
  await context.close();
});

test('a till the ledger revoked says so on every screen and keeps its sales', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Revoked');
  const device = await ledger.database.db
    .selectFrom('devices')
    .select('id')
    .where('name', '=', 'Revoked')
    .executeTakeFirstOrThrow();
  await ledger.call('POST', `/api/v1/devices/${device.id}/revoke`, ADMIN_TOKEN);
  const [p] = pickProducts(1);
  await sellOne(page, p!.barcodes[0]!);
  await expect(
    page.getByRole('alert').filter({ hasText: 'no longer accepts this till' }),
  ).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('sync-status')).toContainText(
    'till must be enrolled again · 1 unsynced sale',
  );
  await context.close();
});
