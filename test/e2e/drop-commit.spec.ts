// Drop rules where the sale is written, against the real ledger (SQLite): a parked cart keeps its customer and code, and a limit reached elsewhere stops it at pay.
import { expect, type Page, test } from '@playwright/test';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  enrolTill,
  makeSale,
  push,
  startLedger,
  type TestLedger,
} from '../ledger/fixtures';
import { product, putDrop, readyTill, SHOTS, setLedger, syncTill } from './drop-steps';
import { eur, scan } from './till';

let ledger: TestLedger;

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
  setLedger(ledger);
  const res = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/members/M7K3MQ9XT`,
    ADMIN_TOKEN,
    { name: 'Aoife Byrne', tiers: ['members'], phone: '+353 87 555 0101', active: true },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
});
test.afterAll(async () => {
  await ledger?.close();
});

const customer = (page: Page) => page.getByTestId('customer');

async function park(page: Page) {
  await page.getByRole('button', { name: 'Park', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Park this sale' })
    .getByRole('button', { name: 'Park sale' })
    .click();
  await expect(page.locator('.cart-line')).toHaveCount(0);
  await expect(customer(page)).toHaveText('Customer…');
}

async function resume(page: Page) {
  await page.getByRole('button', { name: /^Parked/ }).click();
  await page.getByRole('dialog', { name: 'Parked sales' }).getByRole('button').first().click();
}

/** Aoife's sale of one unit on another till, pushed through the ledger's API as that till would. */
async function soldElsewhere(dropId: string, sku: string) {
  const van = await enrolTill(ledger, 'Van');
  const event = makeSale(van.deviceId, van.prefix, 1, [{ sku, qty: 1 }], {
    at: new Date(),
    tender: 'card',
  });
  const sale = event.payload as Sale;
  sale.memberId = 'M7K3MQ9XT';
  sale.lines = sale.lines.map((l) => ({
    ...l,
    drop: { dropId, step: -1, tier: 'everyone', fastFulfilment: false },
  }));
  const pushed = await push(ledger, van.token, [event]);
  expect(pushed.results.map((r) => r.status)).toEqual(['accepted']);
}

test('a parked cart whose member reached the drop limit on another till meanwhile is refused at pay, with the reason, and nothing is recorded', async ({
  browser,
}) => {
  const sku = 'HAT-BNE-GRN';
  const p = product(sku);
  const { context, page } = await readyTill(browser, 'Park A');
  await page.setViewportSize({ width: 1366, height: 768 });
  await putDrop({
    id: 'one-each',
    name: 'One Each Drop',
    sku,
    allotments: 'off',
    perCustomerLimit: 1,
  });
  await syncTill(page);

  // Aoife shows her QR, picks the hat, then goes to fetch her wallet: the cart is parked.
  await scan(page, 'M7K3MQ9XT');
  await expect(customer(page)).toHaveText('Customer: Aoife Byrne · members');
  await scan(page, p.barcode);
  await expect(page.locator('.cart-line')).toHaveCount(1);
  await park(page);

  // Meanwhile she buys the hat at the van; the van's sale reaches the ledger, and this till syncs.
  await soldElsewhere('one-each', sku);
  await syncTill(page);

  // Resumed: still her cart, and the till says at once what no longer holds.
  await resume(page);
  await expect(customer(page)).toHaveText('Customer: Aoife Byrne · members');
  await expect(page.locator('.cart-line')).toHaveCount(1);
  const check = page.getByRole('dialog', { name: 'Check this parked sale' });
  await expect(check).toContainText(
    'Limit reached: Aoife Byrne has already bought 1 of 1 allowed in One Each Drop.',
  );
  await check.getByRole('button', { name: 'OK' }).click();

  // Paying anyway: the sale is refused where it is written, with the reason, and not recorded.
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const refused = page.getByTestId('sale-refused');
  await expect(refused).toContainText(
    'The sale was not recorded. Limit reached: Aoife Byrne has already bought 1 of 1 allowed in One Each Drop.',
  );
  await expect(page.getByText('Paid', { exact: true })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/drop-commit-refused.png` });
  await page.getByRole('button', { name: 'Back to cart' }).click();
  await syncTill(page);
  const sales = await ledger.database.db
    .selectFrom('sale_lines')
    .select(['sale_lines.qty'])
    .where('sale_lines.drop_id', '=', 'one-each')
    .execute();
  expect(sales.map((s) => Number(s.qty))).toEqual([1]);
  await context.close();
});

test('parking keeps the member and the promo code: both are back, and priced, on resume', async ({
  browser,
}) => {
  const sku = 'TEE-LOGO-BLK-M';
  const p = product(sku);
  const now = Date.now();
  const campaign = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/campaigns/park-ten`,
    ADMIN_TOKEN,
    {
      name: 'Park 10%',
      prefix: 'PARK',
      offer: { kind: 'percent', bp: 1000 },
      scope: { kind: 'all' },
      startsAt: new Date(now - 3_600_000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      audience: { kind: 'anyone' },
      maxUsesPerCode: null,
      maxUsesPerCustomer: null,
      budget: null,
      channel: 'instagram',
      promoter: null,
      promoterCost: 0,
      tillsMayIssue: false,
      status: 'active',
    },
  );
  expect(campaign.status, JSON.stringify(campaign.body)).toBe(200);
  const issued = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/campaigns/park-ten/codes`,
    ADMIN_TOKEN,
    { count: 1 },
  );
  expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  const code: string = issued.body.codes[0];
  const off = Math.round(p.price / 10);

  const { context, page } = await readyTill(browser, 'Park B');
  await syncTill(page);
  await scan(page, 'M7K3MQ9XT');
  await scan(page, p.barcode);
  await page.getByLabel('Promo code').fill(code);
  await page.getByRole('button', { name: 'Apply code' }).click();
  await expect(page.getByTestId('promo-discount')).toHaveText(`−${eur(off)}`);
  await park(page);
  await expect(page.getByLabel('Promo code')).toHaveValue('');

  await resume(page);
  await expect(customer(page)).toHaveText('Customer: Aoife Byrne · members');
  await expect(page.getByTestId('promo-code')).toHaveText(code);
  await expect(page.getByTestId('promo-discount')).toHaveText(`−${eur(off)}`);
  await expect(page.getByTestId('total')).toHaveText(eur(p.price - off));
  await expect(page.getByRole('dialog', { name: 'Check this parked sale' })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/drop-commit-resumed-promo.png` });

  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
  await syncTill(page);
  // At the ledger: her sale, with the code's discount.
  const hers = await ledger.database.db
    .selectFrom('sales')
    .select(['total'])
    .where('member_id', '=', 'M7K3MQ9XT')
    .execute();
  expect(hers.map((s) => Number(s.total))).toContain(p.price - off);
  await context.close();
});
