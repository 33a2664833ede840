// Returns on one standalone till: a cash refund by receipt number, an exchange paid up in cash, and store credit spent in part later.
import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { demo, eur, loginWithPin, openShift, openStandaloneTill, scan } from './till';

const SHOTS = process.env.POPTILL_SHOTS ?? 'test-results/screens';
mkdirSync(SHOTS, { recursive: true });

/** Products with a barcode whose price needs no cash rounding, so a refund equals the shelf price. */
const plain = demo.products.filter((p) => p.barcodes.length > 0 && p.price % 5 === 0);
const byCategory = (category: string) => {
  const p = plain.find((x) => x.category === category);
  if (!p) throw new Error(`the demo catalog has no ${category} product priced in 5 cent`);
  return p;
};
const tee = byCategory('Tees');
const socks = byCategory('Socks');
const hoodie = plain.find((p) => p.category === 'Hoodies & Jackets' && p.price > tee.price)!;

async function payExactCash(page: Page) {
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
}

async function openReturnsFor(page: Page, receipt: string) {
  await page.getByRole('button', { name: 'Returns', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Returns' })).toBeVisible();
  await page.getByLabel('Receipt number').fill(receipt);
  await page.getByRole('button', { name: 'Find sale' }).click();
}

test('a cash refund by receipt number, shown in History, and the same units cannot come back twice', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openStandaloneTill(page);
  await loginWithPin(page, '1234');
  await openShift(page);
  await scan(page, tee.barcodes[0]!);
  await scan(page, socks.barcodes[0]!);
  await expect(page.locator('.cart-line')).toHaveCount(2);
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();

  // A receipt that does not exist says so and shows no sale.
  await openReturnsFor(page, '999');
  await expect(page.getByTestId('find-error')).toContainText('T1-000999');

  // "1" is this till's T1-000001.
  await page.getByLabel('Receipt number').fill('1');
  await page.getByRole('button', { name: 'Find sale' }).click();
  await expect(page.getByRole('heading', { name: /Sale T1-000001/ })).toBeVisible();
  // Pressing Returns again starts over with a new sale to find.
  await page.getByRole('button', { name: 'Returns', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Sale T1-000001/ })).toHaveCount(0);
  await page.getByLabel('Receipt number').fill('1');
  await page.getByRole('button', { name: 'Find sale' }).click();
  const teeLine = page.getByTestId('return-line-1');
  await expect(teeLine).toContainText('Sold 1 · returned 0 · returnable 1');

  // Damaged but not faulty: refused in words; a cashier's PIN cannot override, a manager's can.
  await page.getByRole('button', { name: `One more ${tee.name}` }).click();
  await teeLine.getByLabel('Condition').selectOption('damaged');
  await expect(page.getByTestId('return-line-1-verdict')).toContainText(/damaged/i);
  await expect(page.getByRole('button', { name: 'Choose how the money goes back' })).toBeDisabled();
  await expect(page.getByText('An item cannot come back as chosen')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/returns-refused.png` });
  await teeLine.getByRole('button', { name: 'Manager override' }).click();
  await page.getByLabel('Reason for the override').fill('Regular customer, stain from the stall');
  await page.getByRole('button', { name: 'Next: manager PIN' }).click();
  await page.keyboard.type('1234');
  await page.keyboard.press('Enter');
  await expect(page.getByText('a manager must approve')).toBeVisible();
  await page.keyboard.type('9999');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('return-line-1-verdict')).toContainText(`Refund ${eur(tee.price)}`);

  // After the override the tee goes back by its tier's methods: cash, as it was paid.
  await page.getByRole('button', { name: 'Refund to card / cash' }).click();
  await expect(page.getByLabel('How the money goes back')).toContainText(
    `${eur(tee.price)} cash from the drawer`,
  );
  await page.screenshot({ path: `${SHOTS}/returns-screen.png` });
  await page.getByRole('button', { name: `Refund ${eur(tee.price)}` }).click();
  await expect(page.getByText('Return recorded')).toBeVisible();
  await expect(page.getByTestId('return-number')).toHaveText(/^T1-R-/);
  await expect(page.getByLabel('Money back')).toContainText(
    `Cash from the drawer ${eur(tee.price)}`,
  );
  await page.screenshot({ path: `${SHOTS}/return-done.png` });
  await page.getByRole('button', { name: 'Next customer' }).click();

  // The socks go back for cash, found again by the full receipt number.
  await page.getByLabel('Receipt number').fill('T1-000001');
  await page.getByRole('button', { name: 'Find sale' }).click();
  await expect(teeLine).toContainText('Sold 1 · returned 1 · returnable 0');
  await expect(page.getByTestId('sale-source')).toHaveText(
    'Sold on this till · returned before: T1-R-000001',
  );
  await expect(page.getByRole('button', { name: `One more ${tee.name}` })).toHaveCount(0);
  await page.getByRole('button', { name: `One more ${socks.name}` }).click();
  await page.getByTestId('return-line-2').getByLabel('Reason').selectOption('wrong-size');
  await expect(page.getByTestId('refund-total')).toHaveText(eur(socks.price));
  await page.getByRole('button', { name: 'Refund to card / cash' }).click();
  await expect(page.getByLabel('How the money goes back')).toContainText(
    `${eur(socks.price)} cash from the drawer`,
  );
  await page.getByRole('button', { name: `Refund ${eur(socks.price)}` }).click();
  await expect(page.getByText('Return recorded')).toBeVisible();
  await expect(page.getByLabel('Money back')).toContainText(
    `Cash from the drawer ${eur(socks.price)}`,
  );

  // History shows both returns; the sale has nothing left to return.
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByLabel('Find receipt number').fill('T1-000001');
  await page
    .getByRole('list')
    .getByRole('button', { name: /T1-000001/ })
    .click();
  await expect(page.getByTestId('sale-returns').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('sale-returns')).toContainText(`refunded ${eur(socks.price)}`);
  await page.screenshot({ path: `${SHOTS}/history-returned.png` });
  await page.getByRole('button', { name: 'Return or exchange' }).click();
  await expect(page.getByTestId('return-line-2')).toContainText('returnable 0');
  await expect(page.getByText('Every unit of this line has already come back.')).toHaveCount(2);
});

test('an exchange for a dearer item: the credit is applied on Pay and the difference is paid in cash', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openStandaloneTill(page);
  await loginWithPin(page, '1234');
  await openShift(page);
  await scan(page, tee.barcodes[0]!);
  await payExactCash(page);
  // The receipt's QR carries the sale id: the customer brings the paper back and it is scanned.
  const qr = await page
    .getByRole('article', { name: 'Receipt T1-000001' })
    .getByRole('img', { name: /^QR code of / })
    .first()
    .getAttribute('alt');
  const saleId = qr!.replace('QR code of ', '');
  await page.getByRole('button', { name: 'New sale' }).click();

  await page.getByRole('button', { name: 'Returns', exact: true }).click();
  await scan(page, saleId);
  await expect(page.getByRole('heading', { name: /Sale T1-000001/ })).toBeVisible();
  await page.getByRole('button', { name: `One more ${tee.name}` }).click();
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  await page.getByRole('button', { name: 'Start exchange' }).click();

  // The credit stays on the till while the new item is rung up, across Sell and Pay.
  const banner = page.getByTestId('exchange-banner');
  await expect(banner).toContainText(`Exchange: ${eur(tee.price)} credit from T1-000001`);
  await scan(page, hoodie.barcodes[0]!);
  await page.screenshot({ path: `${SHOTS}/sell-exchange.png` });
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByTestId('exchange-tender')).toContainText(eur(tee.price));
  await page.screenshot({ path: `${SHOTS}/pay-exchange.png` });
  await expect(page.getByTestId('remaining')).toHaveText(
    `Still to pay ${eur(hoodie.price - tee.price)}`,
  );
  await page.getByRole('button', { name: 'Back to cart' }).click();
  await expect(banner).toBeVisible();
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Receipt T1-000002' })).toContainText(
    'Exchange credit',
  );
  await page.getByRole('button', { name: 'New sale' }).click();
  await expect(banner).toHaveCount(0);

  await page.getByRole('button', { name: 'History' }).click();
  await page.getByLabel('Find receipt number').fill('1');
  await page
    .getByRole('list')
    .getByRole('button', { name: /T1-000001/ })
    .click();
  await expect(page.getByTestId('sale-returns')).toContainText(`exchanged ${eur(tee.price)}`);
});

test('store credit from a return pays part of a later sale and keeps the rest', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openStandaloneTill(page);
  await loginWithPin(page, '9999'); // a manager: the 30% discount needs no approval
  await openShift(page);
  await scan(page, tee.barcodes[0]!);
  await page.getByRole('button', { name: `Discount on ${tee.name}` }).click();
  await page.getByLabel('Discount (%)').fill('30');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();

  // Reduced by 30%: the policy allows store credit or exchange, not money back.
  await openReturnsFor(page, '1');
  // The line's tier says so before anything is chosen.
  await expect(page.getByTestId('return-line-1')).toContainText(
    'Discounted item: store credit or exchange only, 7 days',
  );
  await page.getByRole('button', { name: `One more ${tee.name}` }).click();
  await expect(page.getByRole('button', { name: 'Store credit', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refund to card / cash' })).toHaveCount(0);
  // The quote follows the chosen unit: wait for it before reading the amount.
  await expect(page.getByTestId('refund-total')).not.toHaveText(eur(0));
  const credit = (await page.getByTestId('refund-total').textContent())!;
  await page.getByRole('button', { name: 'Store credit', exact: true }).click();
  await page.screenshot({ path: `${SHOTS}/returns-discounted.png` });
  await page.getByRole('button', { name: `Issue ${credit} store credit` }).click();
  await expect(page.getByTestId('credit-note')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/return-done-credit.png` });
  const code = (await page.getByTestId('credit-note-code').textContent())!.trim();
  expect(code.length).toBeGreaterThan(4);
  await page.getByRole('button', { name: 'Next customer' }).click();

  // A later sale of socks (less than the credit) is paid with part of it.
  await page.getByRole('button', { name: 'Sell', exact: true }).click();
  await scan(page, socks.barcodes[0]!);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: 'Pay with store credit' }).click();
  // A typo in the code is refused in words and applies nothing.
  const typo = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
  await page.getByLabel('Credit note code').fill(typo);
  await page.getByRole('button', { name: 'Check balance' }).click();
  await expect(page.locator('.store-credit-entry [role="alert"]')).toContainText(/typo|altered/);
  await expect(page.getByTestId('remaining')).toHaveText(`Still to pay ${eur(socks.price)}`);

  await page.getByLabel('Credit note code').fill(code);
  await page.getByRole('button', { name: 'Check balance' }).click();
  await expect(page.getByTestId('credit-balance')).toContainText(`${credit} left`);
  await expect(page.getByLabel(/Amount to spend/)).toHaveValue((socks.price / 100).toFixed(2));
  await page.screenshot({ path: `${SHOTS}/pay-store-credit.png` });
  await page.getByRole('button', { name: 'Use store credit' }).click();
  await expect(page.getByTestId('change')).toHaveText(`Change due ${eur(0)}`);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();

  // What is left on the note is the credit less the socks.
  const creditMinor = Math.round(Number(credit.replace(/[^\d.]/g, '')) * 100);
  await scan(page, socks.barcodes[0]!);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: 'Pay with store credit' }).click();
  await page.getByLabel('Credit note code').fill(code);
  await page.getByRole('button', { name: 'Check balance' }).click();
  await expect(page.getByTestId('credit-balance')).toContainText(
    `${eur(creditMinor - socks.price)} left`,
  );
});

test('an exchange for a cheaper item: nothing to pay, and the rest goes back as a credit note', async ({
  page,
}) => {
  await openStandaloneTill(page);
  await loginWithPin(page, '1234');
  await openShift(page);
  await scan(page, hoodie.barcodes[0]!);
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();

  // An exchange cancelled on Sell records nothing: the hoodie can still come back.
  await openReturnsFor(page, '1');
  await page.getByRole('button', { name: `One more ${hoodie.name}` }).click();
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  await page.getByRole('button', { name: 'Start exchange' }).click();
  await page.getByRole('button', { name: 'Cancel exchange' }).click();
  await expect(page.getByTestId('exchange-banner')).toHaveCount(0);

  await openReturnsFor(page, '1');
  await expect(page.getByTestId('return-line-1')).toContainText('returnable 1');
  await page.getByRole('button', { name: `One more ${hoodie.name}` }).click();
  await page.getByRole('button', { name: 'Exchange', exact: true }).click();
  await page.getByRole('button', { name: 'Start exchange' }).click();
  await scan(page, tee.barcodes[0]!);
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByTestId('exchange-tender')).toContainText(eur(tee.price));
  await expect(page.getByTestId('exchange-rest')).toContainText(
    `the other ${eur(hoodie.price - tee.price)} goes back to the customer as store credit`,
  );
  await expect(page.getByTestId('change')).toHaveText(`Change due ${eur(0)}`);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await expect(page.getByTestId('credit-note')).toContainText(eur(hoodie.price - tee.price));
  await expect(page.getByTestId('credit-note-code')).toHaveText(/^CR-/);
  await page.screenshot({ path: `${SHOTS}/exchange-receipt.png` });
});

test("a card refund asks for the terminal's refund reference and records it", async ({ page }) => {
  await openStandaloneTill(page);
  await loginWithPin(page, '1234');
  await openShift(page);
  await scan(page, socks.barcodes[0]!);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByLabel('Terminal reference').fill('AUTH-1');
  await page.getByRole('button', { name: 'Card paid' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();

  await openReturnsFor(page, 'T1-000001');
  await page.getByRole('button', { name: `One more ${socks.name}` }).click();
  await page.getByRole('button', { name: 'Refund to card / cash' }).click();
  await expect(page.getByLabel('How the money goes back')).toContainText(
    `${eur(socks.price)} to card (paid with terminal reference AUTH-1)`,
  );
  // Without the terminal's refund reference nothing is recorded.
  await page.getByRole('button', { name: `Refund ${eur(socks.price)}` }).click();
  await expect(page.getByText("Enter the card terminal's refund reference")).toBeVisible();
  await expect(page.getByText('Return recorded')).toHaveCount(0);
  await page.getByLabel(`Refund reference for ${eur(socks.price)} to card`).fill('REF-77');
  await page.getByLabel('Note on the return (optional)').fill('Seam came loose');
  await page.getByRole('button', { name: `Refund ${eur(socks.price)}` }).click();
  await expect(page.getByLabel('Money back')).toContainText(
    `To card, refund reference REF-77 ${eur(socks.price)}`,
  );
  // The return receipt on screen is the paper's: the refund reference and the note are on it.
  const paper = page.getByRole('article', { name: /^Return receipt T1-R-/ });
  await expect(paper).toContainText('REF-77');
  await expect(paper).toContainText('Note: Seam came loose');
});
