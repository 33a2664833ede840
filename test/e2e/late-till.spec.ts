// A till paired after the demo drops were pulled by another gets its fair share and sells it, against the real ledger (SQLite); the Drops screen says how the units were split.
import { expect, test } from '@playwright/test';
import { loadDemoDrops } from '../../server/demo';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import {
  cartUnits,
  exceptionsOf,
  expectRefused,
  ledgerProgress,
  pay,
  product,
  readyTill,
  SHOTS,
  setLedger,
  stripLeft,
  syncTill,
} from './drop-steps';
import { scan } from './till';

let ledger: TestLedger;

test.describe.configure({ timeout: 180_000 });

const BEANIE = 'HAT-BNE-NUM-GRN';
const CAP = 'HAT-CAP-REF';
const HOODIE = 'HOD-PUF-BLK-M';
const SHOPPER = { id: 'MQ7R0009', name: 'Nuala Walsh' };

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
  setLedger(ledger);
  // As `npm start` has it: the demo drops exist before any till is paired.
  await loadDemoDrops(ledger.database, ledger.storeId);
  const res = await ledger.call(
    'PUT',
    `/api/v1/stores/${ledger.storeId}/members/${SHOPPER.id}`,
    ADMIN_TOKEN,
    { name: SHOPPER.name, tiers: ['members'], phone: '+353 85 555 0909', active: true },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
});
test.afterAll(async () => {
  await ledger?.close();
});

const left = (here: number, overall: number) =>
  `${here} left here · ${overall} left overall · restock: none`;

test('with the demo drops, a till paired after the first has pulled sells its share of each live drop item', async ({
  browser,
}) => {
  const a = await readyTill(browser, 'Late A');
  await syncTill(a.page);
  // The first till took every unit of the live drop: it was the only till.
  await expect(stripLeft(a.page, BEANIE)).toHaveText(left(4, 4));
  await expect(stripLeft(a.page, CAP)).toHaveText(left(5, 5));
  await expect(stripLeft(a.page, HOODIE)).toHaveText(left(6, 6));

  // Till A sells one hoodie to a member (the demo drops have a limit of 2 per customer).
  await scan(a.page, SHOPPER.id);
  await expect(a.page.getByTestId('customer')).toContainText(SHOPPER.name);
  await scan(a.page, product(HOODIE).barcode);
  await pay(a.page);
  await syncTill(a.page);
  await expect(stripLeft(a.page, HOODIE)).toHaveText(left(5, 5));

  // Till B is paired now (a manager's PIN, to read the Drops screen after).
  const b = await readyTill(browser, 'Late B', '9999');
  await syncTill(b.page);
  await expect(stripLeft(b.page, BEANIE)).toHaveText(left(2, 4));
  await expect(stripLeft(b.page, CAP)).toHaveText(left(2, 5));
  await expect(stripLeft(b.page, HOODIE)).toHaveText(left(2, 5));
  await b.page.screenshot({ path: `${SHOTS}/late-till-share.png` });

  // Till B sells its whole share of each item, two units to each demo member.
  const sales: [string, string, string][] = [
    ['M7K3MQ9XT', 'Saoirse Byrne', BEANIE],
    ['M4DRG8KYZ', 'Darragh Kelly', CAP],
    ['M9MBH2DXY', 'Méabh Doyle', HOODIE],
  ];
  for (const [member, name, sku] of sales) {
    await scan(b.page, member);
    await expect(b.page.getByTestId('customer')).toContainText(name);
    await scan(b.page, product(sku).barcode);
    await scan(b.page, product(sku).barcode);
    expect(await cartUnits(b.page)).toBe(2);
    await pay(b.page);
    await expect(stripLeft(b.page, sku)).toContainText('0 left here');
  }
  // Its share is used up: the next unit is refused for the allotment, not for the member.
  await scan(b.page, SHOPPER.id);
  await expect(b.page.getByTestId('customer')).toContainText(SHOPPER.name);
  await scan(b.page, product(BEANIE).barcode);
  await expectRefused(b.page, 'allotment used up');
  expect(await cartUnits(b.page)).toBe(0);

  await syncTill(b.page);
  expect((await ledgerProgress('winter-drop-01', BEANIE)).sold).toBe(2);
  expect((await ledgerProgress('winter-drop-01', CAP)).sold).toBe(2);
  expect((await ledgerProgress('winter-drop-01', HOODIE)).sold).toBe(3);
  const oversold = await exceptionsOf('oversold');
  expect(oversold.filter((e) => e.details.dropId === 'winter-drop-01')).toEqual([]);

  // Till A kept its share of what was unsold when Till B joined, and sees B's sales.
  await syncTill(a.page);
  await expect(stripLeft(a.page, BEANIE)).toHaveText(left(2, 2));
  await expect(stripLeft(a.page, CAP)).toHaveText(left(3, 3));
  await expect(stripLeft(a.page, HOODIE)).toHaveText(left(3, 3));

  // The Drops screen explains the split, per till.
  await b.page.getByRole('button', { name: 'Drops', exact: true }).click();
  const winter = b.page.getByRole('region', { name: 'How Winter Drop 01 is split' });
  await expect(winter.getByTestId('split-why')).toContainText(
    'Unsold units split evenly over 2 tills when Late B joined at',
  );
  const rows = winter.getByTestId('till-share');
  const hoodieName = product(HOODIE).name;
  await expect(rows.filter({ hasText: 'Late A' }).filter({ hasText: hoodieName })).toContainText(
    // Allotted 4 (6 less 2 taken back), sold 1, left 3.
    /Late A.*4\s*1\s*3/,
  );
  await expect(rows.filter({ hasText: 'Late B' }).filter({ hasText: hoodieName })).toContainText(
    /Late B.*2\s*2\s*0/,
  );
  await b.page.screenshot({ path: `${SHOTS}/late-till-drops-screen.png`, fullPage: true });
  for (const t of [a, b]) await t.context.close();
});
