// Micro-drops on two tills against the real ledger (SQLite): allotments offline, oversell caught, the price ladder and per-customer limits.
import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import {
  allot,
  cartUnits,
  exceptionsOf,
  expectRefused,
  ledgerDown,
  ledgerProgress,
  pay,
  product,
  putDrop,
  readyTill,
  refusal,
  SHOTS,
  setLedger,
  stripLeft,
  syncTill,
} from './drop-steps';
import { eur, scan } from './till';

let ledger: TestLedger;

// Two tills, each enrolled, pulling a snapshot, selling and syncing: slower than one-till tests.
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
  setLedger(ledger);
});
test.afterAll(async () => {
  await ledger?.close();
});

test('a 10-unit drop allotted 5/5: both tills offline sell 5, the 6th is refused, the ledger has 10 sold and nothing oversold', async ({
  browser,
}) => {
  const sku = 'TEE-HAP-BLK-M';
  const p = product(sku);
  const a = await readyTill(browser, 'Allot A');
  const b = await readyTill(browser, 'Allot B');
  await putDrop({ id: 'allot-5-5', name: 'Night Market Drop', sku, allotments: 'manual' });
  await allot('allot-5-5', sku, { 'Allot A': 5, 'Allot B': 5 });
  for (const t of [a, b]) {
    await syncTill(t.page);
    await expect(stripLeft(t.page, sku)).toHaveText(
      '5 left here · 10 left overall · restock: none',
    );
  }
  await a.page.screenshot({ path: `${SHOTS}/drops-sell-strip.png` });

  for (const t of [a, b]) await ledgerDown(t.context);
  for (const t of [a, b]) {
    for (let i = 0; i < 5; i++) await scan(t.page, p.barcode);
    await expect(t.page.locator('.cart-line')).toHaveCount(1);
    await pay(t.page);
    await expect(stripLeft(t.page, sku)).toHaveText('0 left here · 5 left overall · restock: none');
    await scan(t.page, p.barcode);
    await expect(refusal(t.page)).toContainText(
      'No units left on this till (allotment used up). Sync to ask for more.',
    );
    await t.page.screenshot({ path: `${SHOTS}/drops-refused-${t === a ? 'a' : 'b'}.png` });
    await expectRefused(t.page, 'allotment');
    await expect(t.page.locator('.cart-line')).toHaveCount(0);
  }

  for (const t of [a, b]) await t.context.unrouteAll();
  for (const t of [a, b]) await syncTill(t.page);
  expect((await ledgerProgress('allot-5-5', sku)).sold).toBe(10);
  const oversold = await exceptionsOf('oversold');
  expect(oversold.filter((e) => e.details.dropId === 'allot-5-5')).toEqual([]);

  // The drop board on a second screen of till A: live, sold out, at the price it sold for.
  await syncTill(a.page);
  const board = await a.context.newPage();
  await board.goto('/#board');
  const card = board.getByRole('region', { name: 'Night Market Drop' });
  await expect(card).toContainText('Live now: Night Market Drop');
  await expect(card.locator(`[data-sku="${sku}"] [data-testid="board-left"]`)).toHaveText(
    'Sold out',
  );
  await expect(card).toContainText(eur(p.price));
  await board.screenshot({ path: `${SHOTS}/drops-board.png` });
  for (const t of [a, b]) await t.context.close();
});

test('with allotments off, 6 sold on each offline till: the ledger records 2 oversold as an exception', async ({
  browser,
}) => {
  const sku = 'HOD-LOGO-BLK-M';
  const p = product(sku);
  const a = await readyTill(browser, 'Off A');
  const b = await readyTill(browser, 'Off B');
  await putDrop({ id: 'no-escrow', name: 'No Escrow Drop', sku, allotments: 'off' });
  for (const t of [a, b]) {
    await syncTill(t.page);
    await expect(stripLeft(t.page, sku)).toHaveText(
      '10 left here · 10 left overall · restock: none',
    );
    await ledgerDown(t.context);
  }
  for (const t of [a, b]) {
    for (let i = 0; i < 6; i++) await scan(t.page, p.barcode);
    await expect(t.page.locator('.cart-line')).toHaveCount(1);
    await pay(t.page);
    await expect(stripLeft(t.page, sku)).toHaveText('4 left here · 4 left overall · restock: none');
  }
  for (const t of [a, b]) await t.context.unrouteAll();
  for (const t of [a, b]) await syncTill(t.page);

  const oversold = (await exceptionsOf('oversold')).filter((e) => e.details.dropId === 'no-escrow');
  expect(oversold).toHaveLength(1);
  expect(oversold[0]!.details).toMatchObject({ sku, oversold: 2 });
  expect(oversold[0]!.details.deviceIds).toHaveLength(2);
  expect(oversold[0]!.resolved_at).toBeNull();
  for (const t of [a, b]) await t.context.close();
});

test('ladder: the first 3 units sell at the early price and the 4th at full price, across two tills after sync', async ({
  browser,
}) => {
  const sku = 'TEE-PIG-WHT-M';
  const p = product(sku);
  const early = 1995;
  const a = await readyTill(browser, 'Ladder A');
  const b = await readyTill(browser, 'Ladder B');
  await putDrop({
    id: 'ladder',
    name: 'Early Bird Drop',
    sku,
    allotments: 'manual',
    ladder: [
      { label: 'Early bird', price: early, untilUnits: 3, fastFulfilment: true },
      { label: 'Full price', price: p.price },
    ],
  });
  await allot('ladder', sku, { 'Ladder A': 5, 'Ladder B': 5 });
  await syncTill(a.page);
  await expect(
    a.page.locator(`.drop-item[data-sku="${sku}"] [data-testid="drop-price"]`),
  ).toContainText(`${eur(early)} Early bird · fast fulfilment · price changes after 3 more`);
  await scan(a.page, p.barcode);
  await scan(a.page, p.barcode);
  await expect(a.page.locator('.cart-line')).toHaveCount(1);
  await pay(a.page);
  await syncTill(a.page);

  await syncTill(b.page);
  await expect(stripLeft(b.page, sku)).toHaveText('5 left here · 8 left overall · restock: none');
  await scan(b.page, p.barcode);
  await scan(b.page, p.barcode);
  // One line per ladder step: the third unit of the drop is still early, the fourth is not.
  const lines = b.page.locator('.cart-line');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText(eur(early));
  await expect(lines.nth(1)).toContainText(eur(p.price));
  await b.page.screenshot({ path: `${SHOTS}/drops-ladder-cart.png` });
  await pay(b.page);
  await syncTill(b.page);

  const sold = await ledger.database.db
    .selectFrom('sale_lines')
    .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
    .select(['sale_lines.unit_price', 'sale_lines.qty', 'sale_lines.price_step'])
    .where('sale_lines.drop_id', '=', 'ladder')
    .orderBy('sales.device_time')
    .orderBy('sale_lines.line_no')
    .execute();
  const units = sold.flatMap((l) =>
    Array.from({ length: Number(l.qty) }, () => Number(l.unit_price)),
  );
  expect(units).toEqual([early, early, early, p.price]);
  for (const t of [a, b]) await t.context.close();
});

test('per-customer limit 1: refused on till B once till A synced; bought on both offline tills it is flagged at the ledger', async ({
  browser,
}) => {
  const sku = 'HAT-BNE-GRN';
  const p = product(sku);
  const phone = '+353 87 555 0101';
  for (const [id, name, contact] of [
    ['M7K3MQ9XT', 'Aoife Byrne', phone],
    ['MR0SE4BB', 'Rosie Kelly', '+353 86 555 0202'],
  ] as const) {
    const res = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/members/${id}`,
      ADMIN_TOKEN,
      { name, tiers: ['members'], phone: contact, active: true },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const a = await readyTill(browser, 'Limit A');
  const b = await readyTill(browser, 'Limit B');
  await putDrop({
    id: 'limit-one',
    name: 'One Each Drop',
    sku,
    allotments: 'off',
    perCustomerLimit: 1,
  });
  for (const t of [a, b]) {
    await syncTill(t.page);
    await expect(stripLeft(t.page, sku)).toHaveText(
      '10 left here · 10 left overall · restock: none',
    );
  }

  // Anonymous: the cashier is told to identify the member first.
  await scan(a.page, p.barcode);
  await expectRefused(a.page, 'identify the member first');

  // Till A, offline: Aoife gives her phone number, buys one, and may not buy a second.
  const upA = await ledgerDown(a.context);
  await a.page.getByTestId('customer').click();
  await a.page.getByLabel('Member id, phone or e-mail').fill('+353875550101');
  await a.page.getByRole('button', { name: 'Find member' }).click();
  await expect(a.page.getByTestId('customer')).toHaveText('Customer: Aoife Byrne · members');
  await scan(a.page, p.barcode);
  await scan(a.page, p.barcode);
  await expectRefused(
    a.page,
    'Limit reached: Aoife Byrne has already bought 1 of 1 allowed in One Each Drop.',
  );
  await pay(a.page);
  await upA();
  await syncTill(a.page);

  // Till B pulls A's sale: her QR identifies her, and the limit holds across tills.
  await syncTill(b.page);
  await expect(stripLeft(b.page, sku)).toHaveText('9 left here · 9 left overall · restock: none');
  await scan(b.page, 'M7K3MQ9XT');
  await expect(b.page.getByTestId('customer')).toHaveText('Customer: Aoife Byrne · members');
  await scan(b.page, p.barcode);
  await expect(refusal(b.page)).toContainText(
    'Limit reached: Aoife Byrne has already bought 1 of 1 allowed in One Each Drop.',
  );
  await b.page.screenshot({ path: `${SHOTS}/drops-limit-refused.png` });
  await expectRefused(b.page, 'Limit reached');
  expect(await cartUnits(b.page)).toBe(0);
  await b.page.getByTestId('customer').click();
  await b.page.getByRole('button', { name: 'Clear customer' }).click();

  // Both offline: Rosie buys one on each till; neither till can know, the ledger flags it.
  for (const t of [a, b]) await ledgerDown(t.context);
  for (const t of [a, b]) {
    await scan(t.page, 'MR0SE4BB');
    await expect(t.page.getByTestId('customer')).toHaveText('Customer: Rosie Kelly · members');
    await scan(t.page, p.barcode);
    await expect(t.page.locator('.cart-line')).toHaveCount(1);
    await pay(t.page);
  }
  for (const t of [a, b]) await t.context.unrouteAll();
  for (const t of [a, b]) await syncTill(t.page);
  const overLimit = (await exceptionsOf('over-limit')).filter(
    (e) => e.details.dropId === 'limit-one',
  );
  expect(overLimit).toHaveLength(1);
  expect(overLimit[0]!.details).toMatchObject({ memberId: 'MR0SE4BB', bought: 2, limit: 1 });
  expect(overLimit[0]!.details.saleIds.length).toBeGreaterThan(0);
  for (const t of [a, b]) await t.context.close();
});

test('online, a till asks the ledger for more units from the pool and hands unsold ones back', async ({
  browser,
}) => {
  const sku = 'TEE-LOGO-WHT-S';
  const { context, page } = await readyTill(browser, 'Asker');
  await putDrop({ id: 'ask-more', name: 'Pool Drop', sku, allotments: 'manual' });
  await allot('ask-more', sku, { Asker: 2 });
  await syncTill(page);
  await expect(stripLeft(page, sku)).toHaveText('2 left here · 10 left overall · restock: none');
  const card = page.getByRole('article', { name: 'Pool Drop' });
  await card.getByRole('button', { name: 'Ask for more' }).click();
  const ask = page.getByRole('dialog', { name: 'Ask the ledger for more' });
  await ask.getByLabel('Units').fill('3');
  await ask.getByRole('button', { name: 'Ask for more' }).click();
  await expect(page.locator('.toast')).toContainText('gave this till 3 more');
  await expect(stripLeft(page, sku)).toHaveText('5 left here · 10 left overall · restock: none');

  await card.getByRole('button', { name: 'Return unsold' }).click();
  const back = page.getByRole('dialog', { name: 'Return unsold units' });
  await back.getByLabel('Units').fill('4');
  await back.getByRole('button', { name: 'Return' }).click();
  await expect(stripLeft(page, sku)).toHaveText('1 left here · 10 left overall · restock: none');
  const moves = await ledger.database.db
    .selectFrom('allotment_movements')
    .select(['reason'])
    .where('drop_id', '=', 'ask-more')
    .execute();
  expect(moves.map((m) => m.reason).sort()).toEqual(['allot', 'request', 'return']);
  await context.close();
});

test('a manager creates a drop on the till; the ledger has it and the drops screen lists it', async ({
  browser,
}) => {
  const { context, page } = await readyTill(browser, 'Manager till', '9999');
  await page.getByRole('button', { name: 'Drops', exact: true }).click();
  await page.getByRole('button', { name: 'New drop' }).click();
  const form = page.getByRole('form', { name: 'New drop' });
  await form.getByLabel('Name', { exact: true }).fill('Riso Friday');
  await form.getByLabel('Drop id (optional)').fill('riso-friday');
  await form.getByLabel('SKU', { exact: true }).fill('PRT-ZIN-2');
  await form.getByLabel('Units', { exact: true }).fill('12');
  await form.getByRole('button', { name: 'Add price step' }).click();
  await form.getByLabel('Step 1').fill('Early bird');
  await form.getByLabel('Price', { exact: true }).fill('4.50');
  await form.getByLabel('First units').fill('5');
  await form.getByRole('button', { name: 'Save drop' }).click();
  await expect(page.getByRole('region', { name: 'Riso Friday', exact: true })).toBeVisible({
    timeout: 20_000,
  });
  const res = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/drops`, ADMIN_TOKEN);
  const saved = res.body.drops.find((d: { id: string }) => d.id === 'riso-friday');
  expect(saved).toMatchObject({
    name: 'Riso Friday',
    perCustomerLimit: 1,
    access: [{ tier: 'members', minutesBefore: 30 }],
    items: [
      {
        sku: 'PRT-ZIN-2',
        quantity: 12,
        ladder: [{ label: 'Early bird', price: 450, untilUnits: 5 }],
      },
    ],
  });
  await page.getByTestId('sync-status').click();
  await expect(page.getByRole('region', { name: 'Riso Friday', exact: true })).toContainText(
    'PRT-ZIN-2',
  );
  await page.screenshot({ path: `${SHOTS}/drops-screen.png` });
  await context.close();
});
