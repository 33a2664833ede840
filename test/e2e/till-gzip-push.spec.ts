// The till in Chromium sends its backlog gzip-compressed (CompressionStream in the sync worker, across origins) once the ledger said it takes gzip, and every sale arrives once.
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ADMIN_TOKEN, startLedger, type TestLedger } from '../ledger/fixtures';
import { type PushRecorder, startPushRecorder } from '../sync/push-recorder';
import { connectTill, loginWithPin, openShift, pickProducts, sellOneForCash } from './till';

let ledger: TestLedger;
let recorder: PushRecorder;

test.beforeAll(async () => {
  ledger = await startLedger('sqlite');
  recorder = await startPushRecorder({ target: ledger.url });
});
test.afterAll(async () => {
  await recorder?.close();
  await ledger?.close();
});

async function enrol(page: Page) {
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  // Every call of this till goes through the recorder, which notes each push as it arrives.
  await connectTill(page, recorder.url, code.body.code, 'Till');
}

async function ledgerDown(context: BrowserContext): Promise<() => Promise<void>> {
  const pattern = `${recorder.url}/**`;
  const down = (route: import('@playwright/test').Route) => route.abort('internetdisconnected');
  await context.route(pattern, down);
  return () => context.unroute(pattern, down);
}

test('sales sold offline go to the ledger gzip-compressed after it said it takes gzip, each once', async ({
  page,
  context,
}) => {
  await enrol(page);
  await loginWithPin(page, '1234');
  await openShift(page);
  // The shift's fact is the first push: plain, and its answer says what the ledger takes.
  await page.getByTestId('sync-status').click(); // sync now
  await expect
    .poll(() => recorder.pushes.filter((p) => p.status === 200).length, { timeout: 20_000 })
    .toBeGreaterThan(0);
  expect(recorder.pushes[0]).toMatchObject({ encoding: 'identity', status: 200 });

  const back = await ledgerDown(context);
  const products = pickProducts(4);
  for (const p of products) await sellOneForCash(page, p.barcodes[0]!);
  await expect(page.getByTestId('sync-status')).toContainText('4 unsynced sales');
  await back();
  await page.getByTestId('sync-status').click(); // sync now
  await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
    timeout: 20_000,
  });

  const last = recorder.pushes.at(-1)!;
  expect(last).toMatchObject({ encoding: 'gzip', events: 4, status: 200 });
  expect(last.wireBytes).toBeLessThan(last.jsonBytes / 2);
  const sales = await ledger.database.db
    .selectFrom('sales')
    .select('receipt_number')
    .orderBy('receipt_number')
    .execute();
  expect(sales.map((s) => s.receipt_number)).toEqual([
    'T1-000001',
    'T1-000002',
    'T1-000003',
    'T1-000004',
  ]);
});
