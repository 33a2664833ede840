// A manager's Reports against a real ledger: today's totals for two tills, a drop's sell-through chart, an exception resolved.
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import type { Drop } from '../../shared/drops';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  enrolTill,
  makeSale,
  push,
  startLedger,
  type TestLedger,
} from '../ledger/fixtures';
import { connectTill, eur, loginWithPin, openShift, pickProducts, sellOneForCash } from './till';

let ledger: TestLedger;

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
});
test.afterAll(async () => {
  await ledger?.close();
});

async function enrol(page: Page, name: string) {
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  await connectTill(page, ledger.url, code.body.code, name);
}

async function syncNow(page: Page) {
  await page.getByTestId('sync-status').click();
  await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
    timeout: 20_000,
  });
}

async function asManager(page: Page) {
  await page.getByRole('button', { name: 'Lock' }).click();
  await loginWithPin(page, '9999');
  await page.getByRole('button', { name: 'Reports', exact: true }).click();
}

/** The figure the end-of-day table shows for a till (or "All tills") on one row. */
const cell = (page: Page, till: string, row: string) =>
  page.locator(`td[data-till="${till}"][data-row="${row}"]`);

/** A drop that ran yesterday evening, with members let in 30 minutes early. */
function yesterdaysDrop(): Drop {
  const start = new Date();
  start.setUTCDate(start.getUTCDate() - 1);
  start.setUTCHours(18, 0, 0, 0);
  return {
    id: 'night-market-1',
    name: 'Night Market #1',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
    access: [{ tier: 'members', minutesBefore: 30 }],
    perCustomerLimit: null,
    restockAt: null,
    allotments: 'off',
    status: 'scheduled',
    items: [{ sku: 'TEE-LOGO-BLK-S', quantity: 20, ladder: [] }],
  };
}

/** Sales of the drop from a till the test drives through the API, `minute` after the start. */
function dropSales(drop: Drop, till: { deviceId: string; prefix: string }) {
  const plan = [
    { minute: -20, qty: 2, tier: 'members' },
    { minute: -5, qty: 1, tier: 'members' },
    { minute: 0, qty: 3, tier: 'everyone' },
    { minute: 4, qty: 1, tier: 'everyone' },
    { minute: 9, qty: 2, tier: 'everyone' },
  ];
  return plan.map((p, i) => {
    const event = makeSale(
      till.deviceId,
      till.prefix,
      i + 1,
      [{ sku: drop.items[0]!.sku, qty: p.qty }],
      { at: new Date(Date.parse(drop.startsAt) + p.minute * 60_000), tender: 'card' },
    );
    const sale = event.payload as Sale;
    sale.lines = sale.lines.map((l) => ({
      ...l,
      drop: { dropId: drop.id, step: -1, tier: p.tier, fastFulfilment: false },
    }));
    return event;
  });
}

async function readyTill(context: BrowserContext, name: string) {
  const page = await context.newPage();
  await enrol(page, name);
  await loginWithPin(page, '1234');
  await openShift(page);
  return page;
}

test('a manager sees both tills in today’s totals, a drop’s sell-through, and clears an exception', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const contexts = [await browser.newContext(), await browser.newContext()];
  const a = await readyTill(contexts[0]!, 'Till A');
  const b = await readyTill(contexts[1]!, 'Till B');
  const [p, q] = pickProducts(2);
  // Prices in whole 5 cents: cash needs no rounding, so takings are the prices.
  expect(p!.price % 5).toBe(0);
  expect(q!.price % 5).toBe(0);
  await sellOneForCash(a, p!.barcodes[0]!);
  await sellOneForCash(a, q!.barcodes[0]!);
  await sellOneForCash(b, p!.barcodes[0]!);
  await syncNow(a);
  await syncNow(b);

  // A complaint about Till B's sale, logged on the History screen, travels like a sale.
  await b.getByRole('button', { name: 'History', exact: true }).click();
  await b.getByRole('button', { name: /-000001/ }).click();
  await b.getByRole('button', { name: 'Log complaint' }).click();
  await b.getByLabel('Sizing / fit').check();
  await b.getByLabel('Note').fill('Runs a size small');
  await b.screenshot({ path: 'test-results/screens/log-complaint.png' });
  await b.getByRole('button', { name: 'Save complaint' }).click();
  await expect(b.getByRole('list', { name: 'Logged complaints' })).toContainText('Sizing / fit');
  await b.getByTestId('sync-status').click();
  await expect
    .poll(
      async () =>
        ledger.database.db.selectFrom('complaints').select(['category', 'note']).execute(),
      { timeout: 20_000 },
    )
    .toEqual([{ category: 'sizing', note: 'Runs a size small' }]);

  // Yesterday's drop, sold by a third till; and a record the ledger refuses from it.
  const drop = yesterdaysDrop();
  const put = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/drops/${drop.id}`,
    ADMIN_TOKEN,
    drop,
  );
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const dropTill = await enrolTill(ledger, 'Drop van');
  const sales = dropSales(drop, dropTill);
  const broken: EventEnvelope = makeSale(dropTill.deviceId, dropTill.prefix, sales.length + 1, [
    { sku: 'TEE-LOGO-BLK-M', qty: 1 },
  ]);
  (broken.payload as Sale).total = -1;
  const pushed = await push(ledger, dropTill.token, [...sales, broken]);
  expect(pushed.results.map((r) => r.status)).toEqual([...sales.map(() => 'accepted'), 'rejected']);

  // The manager's end of day: each till's own sales, and both together.
  await asManager(a);
  await expect(a.getByText('signed in as Niamh', { exact: false })).toBeVisible();
  await expect(cell(a, 'Till A', 'Sales')).toHaveText('2');
  await expect(cell(a, 'Till B', 'Sales')).toHaveText('1');
  await expect(cell(a, 'All tills', 'Sales')).toHaveText('3');
  await expect(cell(a, 'Till A', 'Takings')).toHaveText(eur(p!.price + q!.price));
  await expect(cell(a, 'Till B', 'Takings')).toHaveText(eur(p!.price));
  await expect(cell(a, 'All tills', 'Takings')).toHaveText(eur(2 * p!.price + q!.price));
  await expect(cell(a, 'All tills', 'Cash')).toHaveText(eur(2 * p!.price + q!.price));
  await expect(a.getByText('This till only')).toHaveCount(0);
  await expect(a.getByRole('table', { name: 'Cash per shift' })).toContainText(eur(10_000));
  await a.screenshot({ path: 'test-results/screens/end-of-day.png' });

  const csv = a.waitForEvent('download');
  await a.getByRole('button', { name: 'Export CSV' }).click();
  expect((await csv).suggestedFilename()).toMatch(/^end-of-day-\d{4}-\d{2}-\d{2}\.csv$/);

  // The drop's sell-through: 9 of 20 units, members first.
  await a.getByRole('tab', { name: 'Drop KPIs' }).click();
  await a.getByLabel('Drop', { exact: true }).selectOption('drop:night-market-1');
  const sellThrough = a.getByRole('region', { name: 'Sell-through' });
  await expect(sellThrough).toContainText('9 of 20');
  await expect(sellThrough.locator('canvas')).toBeVisible();
  await expect(sellThrough.locator('.u-legend')).toContainText('members');
  await expect(sellThrough.locator('.u-legend')).toContainText('everyone');
  await sellThrough.scrollIntoViewIfNeeded();
  await a.screenshot({ path: 'test-results/screens/sell-through.png' });
  await sellThrough.getByRole('button', { name: 'Table' }).click();
  const rows = sellThrough.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(5);
  // The last minute: 2 sold to everyone, 9 in all, 45% of the 20 units.
  await expect(rows.last().locator('td')).toHaveText(['9', '0', '2', '9', '45.0']);
  await sellThrough.screenshot({ path: 'test-results/screens/sell-through-table.png' });
  await expect(rows.first()).toContainText('-20');
  await a.getByRole('region', { name: 'Cost per promoter buyer' }).scrollIntoViewIfNeeded();
  await a.screenshot({ path: 'test-results/screens/drop-kpis-lower.png' });

  // The refused record waits in the inbox until resolved with a reason.
  await a.getByRole('tab', { name: 'Exceptions' }).click();
  const inbox = a.getByRole('list', { name: 'Open exceptions' });
  const refused = inbox.getByRole('listitem', { name: 'Record the ledger refused' });
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText('total');
  await refused.getByRole('button', { name: 'Resolve…' }).click();
  await a.screenshot({ path: 'test-results/screens/exceptions-open.png' });
  await refused.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(refused.getByRole('alert')).toContainText('how it was resolved');
  await refused.getByLabel('Reason').fill('Damaged record; sale rung up again by hand');
  await refused.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(refused).toHaveCount(0);
  const resolved = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/exceptions?status=resolved`,
    ADMIN_TOKEN,
  );
  expect(resolved.body.exceptions).toMatchObject([
    { kind: 'rejected-event', resolution: 'Damaged record; sale rung up again by hand' },
  ]);
  await a.screenshot({ path: 'test-results/screens/exceptions-resolved.png' });
  for (const c of contexts) await c.close();
});

test('offline, the end of day shows this till’s own sales and says the ledger is not reachable', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await readyTill(context, 'Till Offline');
  const [p] = pickProducts(1);
  await context.route(`${ledger.url}/**`, (route) => route.abort('internetdisconnected'));
  await sellOneForCash(page, p!.barcodes[0]!);
  await sellOneForCash(page, p!.barcodes[0]!);
  await asManager(page);
  await expect(page.getByRole('status').filter({ hasText: 'This till only' })).toContainText(
    'the ledger is not reachable',
  );
  await expect(cell(page, 'Till Offline', 'Sales')).toHaveText('2');
  await expect(cell(page, 'Till Offline', 'Takings')).toHaveText(eur(2 * p!.price));
  await expect(page.getByRole('list', { name: 'Unsynced tills' })).toContainText(
    '2 sales not sent',
  );
  await page.screenshot({ path: 'test-results/screens/end-of-day-offline.png' });
  await context.close();
});
