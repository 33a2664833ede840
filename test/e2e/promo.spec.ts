// Promo codes offline against the real ledger (SQLite): a code issued on one offline till, redeemed on another, double use flagged.
import { readFileSync } from 'node:fs';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import { eur, loginWithPin, openShift, pickProducts, scan } from './till';

let ledger: TestLedger;

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
});
test.afterAll(async () => {
  await ledger?.close();
});

async function enrolledTill(browser: import('@playwright/test').Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  await page.goto('/');
  await page.getByLabel('Ledger address').fill(ledger.url);
  await page.getByLabel('Pairing code').fill(code.body.code);
  await page.getByLabel('Name of this till').fill(name);
  await page.getByRole('button', { name: 'Connect till' }).click();
  await expect(page.getByText('Staff PIN')).toBeVisible({ timeout: 30_000 });
  return { context, page };
}

/** Cut the till off from the ledger (the app itself still loads from the local server). */
async function ledgerDown(context: BrowserContext) {
  await context.route(`${ledger.url}/**`, (route) => route.abort('internetdisconnected'));
}

/** Rows of one IndexedDB table of the till, read the way the app stored them. */
async function tillRows<T>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(async (name) => {
    const open = indexedDB.open('poptill');
    const db: IDBDatabase = await new Promise((res) => {
      open.onsuccess = () => res(open.result);
    });
    const all = db.transaction(name).objectStore(name).getAll();
    return new Promise<never[]>((res) => {
      all.onsuccess = () => res(all.result as never[]);
    });
  }, table);
}

async function syncUntil(page: Page, done: () => Promise<boolean>) {
  await expect(async () => {
    await page.getByTestId('sync-status').click();
    expect(await done()).toBe(true);
  }).toPass({ timeout: 30_000, intervals: [500, 1_000, 2_000] });
}

async function payExact(page: Page) {
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
}

test('a next-visit code issued on an offline till is redeemed on another offline till; using it twice is flagged at the ledger', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const a = await enrolledTill(browser, 'Till A');
  const b = await enrolledTill(browser, 'Till B');
  const [p] = pickProducts(1);
  const off = Math.round(p!.price / 10);

  // A manager creates the campaign on till A; the ledger stores it and both tills pull it.
  await loginWithPin(a.page, '9999');
  await a.page.getByRole('button', { name: 'Promos' }).click();
  await a.page.getByRole('button', { name: 'New campaign' }).click();
  const form = a.page.getByRole('form', { name: 'New campaign' });
  await form.getByLabel('Campaign id', { exact: true }).fill('next-visit');
  await form.getByLabel('Name', { exact: true }).fill('Next visit 10%');
  await form.getByLabel('Code prefix', { exact: true }).fill('NEXT');
  await form.getByLabel('Percent', { exact: true }).fill('10');
  await form.getByLabel('Uses per code', { exact: true }).fill('1');
  await form.getByRole('button', { name: 'Save campaign' }).click();
  await expect(a.page.getByText('Campaign “Next visit 10%” saved.')).toBeVisible();
  await expect(a.page.locator('[data-campaign="next-visit"]')).toBeVisible({ timeout: 20_000 });
  await a.page.screenshot({ path: 'test-results/screens/promo-campaigns.png' });
  // Till A's signing key reaches the ledger after its pull, and till B pulls it (keys "earlier").
  await syncUntil(a.page, async () => {
    const settings = await tillRows<{ key: string; value: { registeredAt?: string } }>(
      a.page,
      'settings',
    );
    return Boolean(settings.find((s) => s.key === 'promo')?.value.registeredAt);
  });
  await loginWithPin(b.page, '1234');
  await syncUntil(b.page, async () => {
    const keys = await tillRows<{ kind: string }>(b.page, 'promoKeys');
    const campaigns = await tillRows<{ id: string }>(b.page, 'campaigns');
    return keys.some((k) => k.kind === 'ed25519') && campaigns.some((c) => c.id === 'next-visit');
  });
  await a.page.getByRole('button', { name: 'Sell' }).click();
  await openShift(a.page);
  await openShift(b.page);

  await ledgerDown(a.context);
  await ledgerDown(b.context);

  // Till A, offline: a sale that gives a next-visit code, printed on the receipt as QR + code.
  await scan(a.page, p!.barcodes[0]!);
  await a.page.getByRole('button', { name: /^Pay / }).click();
  await a.page.getByRole('button', { name: /^Next visit 10%/ }).click();
  await expect(a.page.getByRole('button', { name: /^Next visit 10%/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await a.page.screenshot({ path: 'test-results/screens/promo-pay-next-visit.png' });
  await a.page.getByRole('button', { name: /^Exact / }).click();
  await a.page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(a.page.getByText('Paid', { exact: true })).toBeVisible();
  const receipt = a.page.getByRole('article', { name: /^Receipt / });
  await expect(receipt).toContainText('10% off everything on your next visit');
  await expect(receipt).toContainText('Scan or type this code');
  const qrImage = receipt.getByRole('img', { name: /^QR code of PTQR1\./ });
  await expect(qrImage).toBeVisible();
  const qr = (await qrImage.getAttribute('alt'))!.slice('QR code of '.length);
  const code = (await receipt.locator('.paper-text', { hasText: /^NEXT-/ }).textContent())!;
  expect(qr).toContain(`.${code}.`);
  await receipt.getByText('Scan or type this code').scrollIntoViewIfNeeded();
  await a.page.screenshot({ path: 'test-results/screens/promo-issued-receipt.png' });
  await a.page.getByRole('button', { name: 'New sale' }).click();

  // Till B, offline: the QR is scanned; the signature and the store key check out offline.
  await scan(b.page, p!.barcodes[0]!);
  await scan(b.page, qr);
  await expect(b.page.getByTestId('promo-discount')).toHaveText(`−${eur(off)}`);
  await expect(b.page.getByTestId('promo-reason')).toHaveText('Next visit 10%: 10% off everything');
  await expect(b.page.getByTestId('total')).toHaveText(eur(p!.price - off));
  await b.page.screenshot({ path: 'test-results/screens/promo-redeemed-cart.png' });
  await payExact(b.page);
  await expect(b.page.getByRole('article', { name: /^Receipt / })).toContainText(code);
  await b.page.getByRole('button', { name: 'New sale' }).click();

  // On B again it is refused at once (single use, counted locally); a typo says it is a typo.
  await scan(b.page, p!.barcodes[0]!);
  await b.page.getByLabel('Promo code').fill(code);
  await b.page.getByRole('button', { name: 'Apply code' }).click();
  await expect(b.page.getByTestId('promo-refused')).toHaveText(
    'This code has already been used (it works once).',
  );
  await b.page.getByRole('button', { name: 'Remove the promo code' }).click();
  const typo = code.replace(/-(.)/, (_m, ch: string) => `-${ch === 'Q' ? 'R' : 'Q'}`);
  await b.page.getByLabel('Promo code').fill(typo);
  await b.page.getByRole('button', { name: 'Apply code' }).click();
  await expect(b.page.getByTestId('promo-refused')).toHaveText(
    'This code has a typo — check the characters.',
  );
  await expect(b.page.getByTestId('total')).toHaveText(eur(p!.price));
  await b.page.screenshot({ path: 'test-results/screens/promo-typo.png' });

  // Till A, still offline, knows nothing of B's use: it takes the same code too.
  await scan(a.page, p!.barcodes[0]!);
  await a.page.getByLabel('Promo code').fill(code.toLowerCase());
  await a.page.getByRole('button', { name: 'Apply code' }).click();
  await expect(a.page.getByTestId('promo-discount')).toHaveText(`−${eur(off)}`);
  await payExact(a.page);

  // Both come back: every fact reaches the ledger, which flags the second use of the code.
  for (const t of [a, b]) await t.context.unrouteAll({ behavior: 'ignoreErrors' });
  for (const t of [a, b]) {
    await t.page.getByTestId('sync-status').click();
    await expect(t.page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
      timeout: 20_000,
    });
  }
  const redemptions = await ledger.database.db
    .selectFrom('redemptions')
    .select(['code', 'discount'])
    .execute();
  expect(redemptions).toEqual([
    { code, discount: off },
    { code, discount: off },
  ]);
  const flagged = await ledger.database.db
    .selectFrom('exceptions')
    .select(['kind', 'message'])
    .where('kind', '=', 'double-redeemed')
    .execute();
  expect(flagged).toHaveLength(1);
  expect(flagged[0]!.message).toContain(code);
  const issued = await ledger.database.db.selectFrom('promo_codes').select('code').execute();
  expect(issued.map((r) => r.code)).toEqual([code]);
  for (const t of [a, b]) await t.context.close();
});

test("a creator's batch is issued offline, exported as CSV, and a sale with one of its codes shows in the cost per promoter", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await enrolledTill(browser, 'Till C');
  await loginWithPin(page, '9999');
  await syncUntil(page, async () => {
    const keys = await tillRows<{ kind: string }>(page, 'promoKeys');
    return keys.some((k) => k.kind === 'hmac');
  });
  await page.getByRole('button', { name: 'Promos' }).click();
  const maya = page.locator('.promo-campaign', { hasText: 'Maya Creates' });
  await ledgerDown(context);
  await maya.getByRole('button', { name: 'Issue codes' }).click();
  await page.getByLabel('How many codes').fill('3');
  await page.getByRole('button', { name: 'Issue codes' }).last().click();
  await expect(page.getByTestId('batch-issued')).toHaveText('3 codes issued.');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  const rows = csv.trim().split('\r\n');
  expect(rows[0]).toBe('code,qr,campaign,campaign_name,issued_at');
  expect(rows).toHaveLength(4);
  const codes = rows.slice(1).map((r) => r.split(',')[0]!);
  expect(new Set(codes).size).toBe(3);
  await page.screenshot({ path: 'test-results/screens/promo-batch.png' });

  // One of the codes is used in a sale (offline), then everything syncs.
  await page.getByRole('button', { name: 'Sell' }).click();
  await openShift(page);
  const [p] = pickProducts(1);
  await scan(page, p!.barcodes[0]!);
  await page.getByLabel('Promo code').fill(codes[0]!);
  await page.getByRole('button', { name: 'Apply code' }).click();
  await expect(page.getByTestId('promo-reason')).toContainText('creator code');
  await payExact(page);
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await page.getByTestId('sync-status').click();
  await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
    timeout: 20_000,
  });
  const issued = await ledger.database.db
    .selectFrom('promo_codes')
    .select('code')
    .where('code', 'in', codes)
    .execute();
  expect(issued).toHaveLength(3);

  await page.getByRole('button', { name: 'Promos' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.getByTestId('promoter-report').locator('tr', { hasText: 'Maya Creates' });
  await expect(row).toContainText('€150.00');
  await expect(row.locator('td').nth(3)).toHaveText('1');
  await page.screenshot({ path: 'test-results/screens/promo-promoters.png' });
  await context.close();
});
