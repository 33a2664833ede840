// The public drop page on a phone (390×844) against the real ledger (SQLite): a live drop, its count following a till's sale within 2 s, and a member's one-tap claim that a till redeems.
import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN, membersCampaign, startLedger, type TestLedger } from '../ledger/fixtures';
import {
  cartUnits,
  pay,
  product,
  putDrop,
  readyTill,
  SHOTS,
  setLedger,
  syncTill,
} from './drop-steps';
import { eur, scan } from './till';

let ledger: TestLedger;

test.describe.configure({ timeout: 180_000 });

test.beforeEach(async () => {
  ledger = await startLedger('sqlite');
  setLedger(ledger);
});
test.afterEach(async () => {
  await ledger?.close();
});

const SKU = 'TEE-PIG-WHT-M';
const MEMBER = 'M7K3MQ9XT';
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function soldAtLedger(dropId: string): Promise<number> {
  const row = await ledger.database.db
    .selectFrom('sale_lines')
    .select((eb) => eb.fn.sum<number | string>('qty').as('n'))
    .where('drop_id', '=', dropId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

test('a phone follows a live drop: a sale at a till shows within 2 s; a member claims an offer and a till redeems the code', async ({
  browser,
}) => {
  const p = product(SKU);
  const till = await readyTill(browser, 'Stall till');
  await putDrop({
    id: 'phone-drop',
    name: 'Pigment Tee Drop',
    sku: SKU,
    quantity: 12,
    allotments: 'auto',
    ladder: [
      { label: 'Early bird', price: 1995, untilUnits: 5 },
      { label: 'Full price', price: p.price },
    ],
    access: [{ tier: 'members', minutesBefore: 30 }],
  });
  const member = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/members/${MEMBER}`,
    ADMIN_TOKEN,
    { name: 'Saoirse Byrne', tiers: ['members'], phone: '+353 87 100 0001', active: true },
  );
  expect(member.status).toBe(200);
  const campaign = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/campaigns/members-15`,
    ADMIN_TOKEN,
    membersCampaign(),
  );
  expect(campaign.status).toBe(200);
  await syncTill(till.page);

  // The customer's phone opens the drop page from the stall's sign.
  const mobile = await browser.newContext(phone);
  const page = await mobile.newPage();
  await page.goto(`${ledger.url}/s/${ledger.storeId}/drops/phone-drop`);
  await expect(page.getByRole('heading', { level: 1, name: 'Pigment Tee Drop' })).toBeVisible();
  await expect(page.getByText('Live now')).toBeVisible();
  const left = page.locator(`.item[data-sku="${SKU}"] [data-left]`);
  await expect(left).toHaveText('12 of 12 left');
  await expect(page.locator(`.item[data-sku="${SKU}"] .price`)).toContainText(eur(1995));
  await expect(page.getByText('No restock')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Returns' })).toBeVisible();
  await expect(page.getByText(/^Live: updated/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/drop-page-phone.png`, fullPage: true });
  // A second phone whose network drops the live stream (a buffering proxy): it polls instead.
  const polling = await browser.newContext(phone);
  await polling.route('**/drops/events', (route) => route.abort('connectionrefused'));
  const pollingPage = await polling.newPage();
  await pollingPage.goto(`${ledger.url}/s/${ledger.storeId}`);
  const pollingLeft = pollingPage.locator(
    `.item[data-drop="phone-drop"][data-sku="${SKU}"] [data-left]`,
  );
  await expect(pollingLeft).toHaveText('12 of 12 left');

  // A sale at the till: once the ledger has it, the phone shows the new count within 2 s.
  await scan(till.page, p.barcode);
  await expect.poll(() => cartUnits(till.page)).toBe(1);
  await scan(till.page, p.barcode);
  await expect.poll(() => cartUnits(till.page)).toBe(2);
  await pay(till.page);
  const paidAt = Date.now();
  await expect.poll(() => soldAtLedger('phone-drop'), { timeout: 20_000 }).toBe(2);
  const atLedger = Date.now();
  await expect(left).toHaveText('10 of 12 left', { timeout: 2_000 });
  const shown = Date.now();
  console.log(
    `drop page: sale at the ledger ${atLedger - paidAt} ms after Paid; phone updated ${shown - atLedger} ms later`,
  );
  await page.screenshot({ path: `${SHOTS}/drop-page-phone-after-sale.png`, fullPage: true });
  // Polling every 2–3 s against a snapshot at most a second old.
  await expect(pollingLeft).toHaveText('10 of 12 left', { timeout: 5_000 });
  await polling.close();

  // The member's personal link (from their QR or a message): one tap claims the offer.
  const link = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/members/${MEMBER}/link`,
    ADMIN_TOKEN,
  );
  expect(link.status).toBe(200);
  await page.goto(ledger.url + link.body.path);
  await expect(page.getByRole('heading', { name: 'Your member offers' })).toBeVisible();
  await expect(page.getByText('Saoirse')).toHaveCount(0);
  await page.getByRole('button', { name: 'Claim Members 15% off' }).tap();
  const codeText = page.getByTestId('claimed-code');
  await expect(codeText).toHaveText(/^MEMB-/);
  await expect(page.getByRole('img', { name: 'QR code of your code' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/drop-page-member-claim.png`, fullPage: true });
  const code = (await codeText.textContent())!.trim();
  // Tapping again (or reloading) shows the same code: one claim per member and offer.
  await page.reload();
  await expect(codeText).toHaveText(code);

  // At the till: the member's card, the item, then the code from the phone's QR.
  await scan(till.page, MEMBER);
  await expect(till.page.getByTestId('customer')).toContainText('Saoirse Byrne');
  await scan(till.page, p.barcode);
  await scan(till.page, code);
  // The third unit of the drop is still an early-bird unit (1995); the member offer takes 15% off it.
  const off = Math.round((1995 * 1500) / 10_000);
  await expect(till.page.getByTestId('promo-discount')).toHaveText(`−${eur(off)}`);
  await till.page.screenshot({ path: `${SHOTS}/drop-page-till-redeems.png` });
  await pay(till.page);
  await syncTill(till.page);
  const redeemed = await ledger.database.db
    .selectFrom('redemptions')
    .select(['code', 'member_id', 'discount'])
    .where('campaign_id', '=', 'members-15')
    .execute();
  expect(redeemed).toEqual([{ code, member_id: MEMBER, discount: off }]);

  // Used once: the member's page now says so, and the drop page shows the third unit gone.
  await page.goto(ledger.url + link.body.path);
  await expect(codeText).toHaveText(code);
  await page.goto(`${ledger.url}/s/${ledger.storeId}/drops/phone-drop`);
  await expect(left).toHaveText('9 of 12 left');
  await mobile.close();
  await till.context.close();
});

test('the stall sign is a printable label with a QR of the store page', async ({ browser }) => {
  // 100 × 150 mm at 96 px per inch, as the label prints.
  const context = await browser.newContext({ viewport: { width: 378, height: 567 } });
  const page = await context.newPage();
  await page.goto(`${ledger.url}/s/${ledger.storeId}/sign`);
  await expect(page.getByRole('heading', { name: 'Live drops' })).toBeVisible();
  const url = `${ledger.url}/s/${ledger.storeId}`;
  await expect(page.getByRole('img', { name: `QR code of ${url}` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/drop-page-sign.png` });
  // The QR leads to the store page, which a phone opens without logging in.
  const store = await page.request.get(url);
  expect(store.status()).toBe(200);
  await context.close();
});
