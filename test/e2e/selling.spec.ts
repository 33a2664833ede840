// A cashier rings up a sale offline, pays cash, and the sale survives a reload with the right totals and stock.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  APP_ORIGIN,
  eur,
  loginWithPin,
  openShift,
  openStandaloneTill,
  pickProducts,
  scan,
  stockOnTile,
  stockTile,
} from './till';

mkdirSync('test-results/screens', { recursive: true });

test('scan three items, change a quantity, pay cash with change, and find the sale after a reload', async ({
  page,
  context,
}, testInfo) => {
  // No internet: only the local app server answers (Electron would load the app from disk).
  await context.route(new RegExp(`^(?!${APP_ORIGIN.replaceAll('.', '\\.')}/)`), (route) =>
    route.abort('internetdisconnected'),
  );
  await openStandaloneTill(page);
  await expect(page.getByText('Staff PIN')).toBeVisible(); // the app is loaded and set up
  await context.setOffline(true);
  await loginWithPin(page, '1234');
  await openShift(page);

  const [a, b, c] = pickProducts(3);
  if (!a || !b || !c) throw new Error('the demo catalog needs three categories with barcodes');
  const stockBefore = await stockOnTile(page, a.sku);

  for (const p of [a, b, c]) await scan(page, p.barcodes[0]!);
  await expect(page.locator('.cart-line')).toHaveCount(3);

  // The first item: quantity 3.
  await page.getByRole('button', { name: `Quantity of ${a.name}: 1. Change` }).click();
  await page.getByLabel('Quantity', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Set quantity' }).click();

  // Prices include tax, no discounts: the total is the plain sum of shelf prices.
  const total = a.price * 3 + b.price + c.price;
  await expect(page.getByTestId('total')).toHaveText(eur(total));
  await page.screenshot({ path: 'test-results/screens/sell.png' });
  await testInfo.attach('sell screen', {
    path: 'test-results/screens/sell.png',
    contentType: 'image/png',
  });

  await page.getByRole('button', { name: /^Pay / }).click();
  const given = Math.ceil((total + 1) / 1000) * 1000; // the next €10 note above the total
  await page.getByLabel('Cash handed over').fill(String(given / 100));
  await page.getByRole('button', { name: 'Add cash' }).click();
  // Irish cash rounding to 5 cent applies to the cash part.
  const cashDue = Math.round(total / 5) * 5;
  await expect(page.getByTestId('change')).toHaveText(`Change due ${eur(given - cashDue)}`);
  await page.getByRole('button', { name: 'Complete sale' }).click();

  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await expect(page.getByTestId('receipt-number')).toHaveText('T1-000001');
  await expect(page.getByTestId('receipt-total')).toHaveText(eur(total));
  await expect(page.getByTestId('receipt-change')).toHaveText(eur(given - cashDue));
  await page.screenshot({ path: 'test-results/screens/receipt.png' });
  await testInfo.attach('receipt', {
    path: 'test-results/screens/receipt.png',
    contentType: 'image/png',
  });

  await expect(page.getByTestId('sync-status')).toContainText('Offline');
  await context.setOffline(false); // the page itself comes from the local server
  await page.reload();
  await loginWithPin(page, '1234');
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByLabel('Find receipt number').fill('T1-000001');
  await page.getByRole('button', { name: /T1-000001/ }).click();
  await expect(page.getByTestId('receipt-total')).toHaveText(eur(total));
  // The preview is the paper's layout: the line, then its quantity and unit price under it.
  const receipt = page.getByRole('article', { name: 'Receipt T1-000001' });
  await expect(receipt).toContainText(a.name);
  await expect(receipt).toContainText(`3 x ${eur(a.price)}`);

  await page.getByRole('button', { name: 'Sell' }).click();
  await expect(await stockTile(page, a.sku)).toHaveText(`${stockBefore - 3} in stock`);
});

test('reloading in the middle of payment records no sale', async ({ page }) => {
  await openStandaloneTill(page);
  await loginWithPin(page, '1234');
  await openShift(page);
  const [a] = pickProducts(1);
  const stockBefore = await stockOnTile(page, a!.sku);
  await scan(page, a!.barcodes[0]!);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(page.getByTestId('change')).toBeVisible();

  await page.reload(); // before "Complete sale"

  await loginWithPin(page, '1234');
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByText('No sales yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Sell' }).click();
  await expect(await stockTile(page, a!.sku)).toHaveText(`${stockBefore} in stock`);
});
