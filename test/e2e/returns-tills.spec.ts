// Returns across two tills against the real ledger (SQLite): the same sale refunded on both tills offline is flagged and resolved, store credit from one till pays on the other, an exchange of another till's sale, and the Z report's refunds and drawer.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { roundToIncrement } from '../../shared/money';
import { startLedger, type TestLedger } from '../ledger/fixtures';
import { exceptionsOf, ledgerDown, readyTill, SHOTS, setLedger, syncTill } from './drop-steps';
import { demo, eur, scan } from './till';

let ledger: TestLedger;

test.describe.configure({ timeout: 240_000 });

test.beforeEach(async () => {
  ledger = await startLedger('sqlite');
  setLedger(ledger);
});
test.afterEach(async () => {
  await ledger?.close();
});

/** Demo products priced in whole 5 cent, so refunds are the shelf price whatever the cash rounding. */
const plain = demo.products.filter((p) => p.barcodes.length > 0 && p.price % 5 === 0);
const first = (category: string) => {
  const p = plain.find((x) => x.category === category);
  if (!p) throw new Error(`the demo catalog has no ${category} product priced in 5 cent`);
  return p;
};
const tee = first('Tees');
const socks = first('Socks');
const hoodie = plain.find((p) => p.category === 'Hoodies & Jackets' && p.price > tee.price)!;
const FLOAT = 10_000;

/** Pay the cart in exact cash; returns the receipt number the till gave the sale. */
async function sellForCash(page: Page): Promise<string> {
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  const label = await page.getByRole('article', { name: /^Receipt / }).getAttribute('aria-label');
  await page.getByRole('button', { name: 'New sale' }).click();
  return label!.replace('Receipt ', '');
}

async function findForReturn(page: Page, receipt: string) {
  await page.getByRole('button', { name: 'Returns', exact: true }).click();
  await page.getByLabel('Receipt number').fill(receipt);
  await page.getByRole('button', { name: 'Find sale' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`Sale ${receipt}`) })).toBeVisible();
}

/** Return one unit of a product for money back, the way it was paid (cash here). */
async function refundOneInCash(
  page: Page,
  receipt: string,
  product: { name: string; price: number },
) {
  await findForReturn(page, receipt);
  await page.getByRole('button', { name: `One more ${product.name}` }).click();
  await page.getByRole('button', { name: 'Refund to card / cash' }).click();
  await expect(page.getByLabel('How the money goes back')).toContainText(
    `${eur(product.price)} cash from the drawer`,
  );
  await page.getByRole('button', { name: `Refund ${eur(product.price)}` }).click();
  await expect(page.getByText('Return recorded')).toBeVisible();
  await page.getByRole('button', { name: 'Next customer' }).click();
}

/** Other tills' sales this till has pulled into its store index (IndexedDB, read as the app stored it). */
function storeIndexSize(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('poptill');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('storeSales').objectStore('storeSales').count();
          count.onerror = () => reject(count.error);
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
        };
      }),
  );
}

function reportValue(report: Locator, label: string): Locator {
  return report
    .locator('.report-row')
    .filter({ has: report.page().getByText(label, { exact: true }) })
    .locator('dd');
}

/** Close the shift counting exactly what the drawer should hold, in 5 cent coins; returns the Z report. */
async function closeShiftCountingExactly(page: Page, expected: number): Promise<Locator> {
  await page.getByRole('button', { name: 'Shift', exact: true }).click();
  await page.getByRole('button', { name: 'Close shift…' }).click();
  await page.getByLabel(`Count of ${eur(5)}`).fill(String(expected / 5));
  await page.getByRole('button', { name: 'Close shift and make Z report' }).click();
  return page.getByRole('region', { name: /Z report/ });
}

test('one sale refunded on two offline tills: the ledger flags it returned twice and a manager resolves it; the Z report shows the refund', async ({
  browser,
}) => {
  const a = await readyTill(browser, 'Returns A');
  const b = await readyTill(browser, 'Returns B', '9999');
  await scan(a.page, tee.barcodes[0]!);
  const receipt = await sellForCash(a.page);
  await syncTill(a.page);
  // Till B pulls the store's recent sales, so it finds Till A's sale with no internet.
  await syncTill(b.page);
  await expect.poll(() => storeIndexSize(b.page), { timeout: 20_000 }).toBe(1);

  const upA = await ledgerDown(a.context);
  const upB = await ledgerDown(b.context);
  await refundOneInCash(a.page, receipt, tee);
  await findForReturn(b.page, receipt);
  await expect(b.page.getByTestId('return-line-1')).toContainText('Sold 1 · returned 0');
  await b.page.screenshot({ path: `${SHOTS}/returns-offline-other-till.png` });
  await refundOneInCash(b.page, receipt, tee);

  // Back online, each till's own return is fine alone; together they took back two of one tee.
  await upA();
  await upB();
  await syncTill(a.page);
  await syncTill(b.page);
  await expect
    .poll(async () => (await exceptionsOf('over-returned')).length, { timeout: 10_000 })
    .toBe(1);

  // Till A now knows of Till B's return: nothing of the sale is left to return.
  await syncTill(a.page);
  await findForReturn(a.page, receipt);
  await expect(a.page.getByTestId('return-line-1')).toContainText('returnable 0');

  // The manager on Till B sees it in the inbox and resolves it with a reason.
  await b.page.getByRole('button', { name: 'Reports', exact: true }).click();
  await b.page.getByRole('tab', { name: 'Exceptions' }).click();
  const inbox = b.page.getByRole('list', { name: 'Open exceptions' });
  const twice = inbox.getByRole('listitem', { name: 'Returned more than was sold' });
  await expect(twice).toHaveCount(1);
  await expect(twice).toContainText(receipt);
  await b.page.screenshot({ path: `${SHOTS}/exceptions-over-returned.png` });
  await twice.getByRole('button', { name: 'Resolve…' }).click();
  await twice
    .getByLabel('Reason')
    .fill('Customer brought the tee back once; refund taken back at till B');
  await twice.getByRole('button', { name: 'Mark resolved' }).click();
  await expect(twice).toHaveCount(0);
  const resolved = await exceptionsOf('over-returned');
  expect(resolved[0]?.resolution).toBe(
    'Customer brought the tee back once; refund taken back at till B',
  );

  // Till B sold nothing and paid the tee back from its drawer: the Z report says so.
  const z = await closeShiftCountingExactly(b.page, FLOAT - tee.price);
  await expect(reportValue(z, 'Returns')).toHaveText('1');
  await expect(reportValue(z, 'Refunds in cash')).toHaveText(eur(tee.price));
  await expect(reportValue(z, 'Expected in drawer')).toHaveText(eur(FLOAT - tee.price));
  await b.page.screenshot({ path: `${SHOTS}/z-report-refunds.png`, fullPage: true });
  for (const t of [a, b]) await t.context.close();
});

test('store credit issued on one till pays part of a sale on the other, and the other till exchanges the first till’s sale with the difference paid', async ({
  browser,
}) => {
  // Till A's cashier is a manager: the 30% discount needs no approval.
  const a = await readyTill(browser, 'Credit A', '9999');
  const b = await readyTill(browser, 'Credit B');

  // Till A sells a tee at 30% off (reduced: store credit or exchange only) and, apart, socks.
  await scan(a.page, tee.barcodes[0]!);
  await a.page.getByRole('button', { name: `Discount on ${tee.name}` }).click();
  await a.page.getByLabel('Discount (%)').fill('30');
  await a.page.getByRole('button', { name: 'Apply', exact: true }).click();
  const teeReceipt = await sellForCash(a.page);
  await scan(a.page, socks.barcodes[0]!);
  const socksReceipt = await sellForCash(a.page);

  // The tee comes back at Till A as store credit.
  await findForReturn(a.page, teeReceipt);
  await a.page.getByRole('button', { name: `One more ${tee.name}` }).click();
  await expect(a.page.getByRole('button', { name: 'Refund to card / cash' })).toHaveCount(0);
  // The quote follows the chosen unit: wait for it before reading the amount.
  await expect(a.page.getByTestId('refund-total')).not.toHaveText(eur(0));
  const creditText = (await a.page.getByTestId('refund-total').textContent())!;
  const credit = Math.round(Number(creditText.replace(/[^\d.]/g, '')) * 100);
  expect(credit).toBeGreaterThan(0);
  expect(credit).toBeLessThan(tee.price);
  await a.page.getByRole('button', { name: 'Store credit', exact: true }).click();
  await a.page.getByRole('button', { name: `Issue ${creditText} store credit` }).click();
  const code = (await a.page.getByTestId('credit-note-code').textContent())!.trim();
  await a.page.getByRole('button', { name: 'Next customer' }).click();
  await syncTill(a.page);
  await syncTill(b.page);

  // Till B: a hoodie paid with all of the credit note, the rest in cash.
  await b.page.getByRole('button', { name: 'Sell', exact: true }).click();
  await scan(b.page, hoodie.barcodes[0]!);
  await b.page.getByRole('button', { name: /^Pay / }).click();
  await b.page.getByRole('button', { name: 'Store credit' }).click();
  await b.page.getByLabel('Credit note code').fill(code);
  await b.page.getByRole('button', { name: 'Check balance' }).click();
  await expect(b.page.getByTestId('credit-balance')).toContainText(`${eur(credit)} left`);
  await b.page.getByRole('button', { name: 'Use store credit' }).click();
  const cashForHoodie = roundToIncrement(hoodie.price - credit, 5);
  await expect(b.page.getByTestId('remaining')).toContainText(eur(hoodie.price - credit));
  await b.page.getByRole('button', { name: /^Exact / }).click();
  await b.page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(b.page.getByText('Paid', { exact: true })).toBeVisible();
  await b.page.getByRole('button', { name: 'New sale' }).click();

  // Till B exchanges Till A's socks for another hoodie; the customer pays the difference in cash.
  await findForReturn(b.page, socksReceipt);
  await b.page.getByRole('button', { name: `One more ${socks.name}` }).click();
  await b.page.getByRole('button', { name: 'Exchange', exact: true }).click();
  await b.page.getByRole('button', { name: 'Start exchange' }).click();
  await expect(b.page.getByTestId('exchange-banner')).toContainText(
    `Exchange: ${eur(socks.price)} credit from ${socksReceipt}`,
  );
  await scan(b.page, hoodie.barcodes[0]!);
  await b.page.getByRole('button', { name: /^Pay / }).click();
  await expect(b.page.getByTestId('exchange-tender')).toContainText(eur(socks.price));
  await expect(b.page.getByTestId('remaining')).toHaveText(
    `Still to pay ${eur(hoodie.price - socks.price)}`,
  );
  await b.page.getByRole('button', { name: /^Exact / }).click();
  await b.page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(b.page.getByText('Paid', { exact: true })).toBeVisible();
  await b.page.getByRole('button', { name: 'New sale' }).click();
  await syncTill(b.page);

  // The ledger holds the note spent in full, once, and the exchange against its return.
  const spends = await ledger.database.db
    .selectFrom('credit_spends')
    .select(['code', 'amount'])
    .where('store_id', '=', ledger.storeId)
    .execute();
  expect(spends.map((s) => ({ code: s.code, amount: Number(s.amount) }))).toEqual([
    { code, amount: credit },
  ]);
  expect(await exceptionsOf('credit-overspent')).toEqual([]);
  const returns = await ledger.database.db
    .selectFrom('returns')
    .select(['id', 'sale_id'])
    .where('store_id', '=', ledger.storeId)
    .execute();
  expect(returns).toHaveLength(2);

  // The credit note is used up: Till A (after a sync) refuses it.
  await syncTill(a.page);
  await a.page.getByRole('button', { name: 'Sell', exact: true }).click();
  await scan(a.page, socks.barcodes[0]!);
  await a.page.getByRole('button', { name: /^Pay / }).click();
  await a.page.getByRole('button', { name: 'Store credit' }).click();
  await a.page.getByLabel('Credit note code').fill(code);
  await a.page.getByRole('button', { name: 'Check balance' }).click();
  await expect(a.page.locator('.store-credit-entry [role="alert"]')).toContainText(/spent/i);

  // Till B's Z report: store credit and exchange credit taken, neither in the drawer.
  const expected = FLOAT + cashForHoodie + (hoodie.price - socks.price);
  const z = await closeShiftCountingExactly(b.page, expected);
  await expect(reportValue(z, 'Sales')).toHaveText('2');
  await expect(reportValue(z, 'Store credit taken')).toHaveText(eur(credit));
  await expect(reportValue(z, 'Exchange credit taken')).toHaveText(eur(socks.price));
  await expect(reportValue(z, 'Expected in drawer')).toHaveText(eur(expected));
  await b.page.screenshot({ path: `${SHOTS}/z-report-credit-exchange.png`, fullPage: true });
  for (const t of [a, b]) await t.context.close();
});
