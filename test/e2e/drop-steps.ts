// Steps for the drop tests on two tills: drops, allotments and members through the admin API, and what a cashier does and sees.
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';
import { ADMIN_TOKEN, type TestLedger } from '../ledger/fixtures';
import { demo, loginWithPin, openShift } from './till';

let current: TestLedger | null = null;
/** The ledger the steps talk to (set by the spec once it has started one). */
export function setLedger(l: TestLedger) {
  current = l;
}
function ledger(): TestLedger {
  if (!current) throw new Error('no ledger: call setLedger first');
  return current;
}

export const SHOTS = 'test-results/screens';

export function product(sku: string) {
  const p = demo.products.find((x) => x.sku === sku);
  if (!p) throw new Error(`no ${sku} in the demo catalog`);
  return { ...p, barcode: p.barcodes[0]! };
}

export interface DropSpec {
  id: string;
  name: string;
  sku: string;
  quantity?: number;
  allotments: 'auto' | 'manual' | 'off';
  perCustomerLimit?: number | null;
  ladder?: { label: string; price: number; untilUnits?: number; fastFulfilment?: boolean }[];
  access?: { tier: string; minutesBefore: number }[];
}

/** A drop live now (opened 10 minutes ago, closes in two hours), created through the admin API. */
export async function putDrop(spec: DropSpec) {
  const now = Date.now();
  const drop = {
    id: spec.id,
    name: spec.name,
    startsAt: new Date(now - 10 * 60_000).toISOString(),
    endsAt: new Date(now + 2 * 3_600_000).toISOString(),
    access: spec.access ?? [],
    perCustomerLimit: spec.perCustomerLimit ?? null,
    restockAt: null,
    allotments: spec.allotments,
    status: 'scheduled',
    items: [
      {
        sku: spec.sku,
        quantity: spec.quantity ?? 10,
        ladder: (spec.ladder ?? []).map((s) => ({ fastFulfilment: false, ...s })),
      },
    ],
  };
  const res = await ledger().call(
    'PUT',
    `/api/v1/stores/${ledger().storeId}/drops/${spec.id}`,
    ADMIN_TOKEN,
    drop,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function deviceId(name: string): Promise<string> {
  const row = await ledger()
    .database.db.selectFrom('devices')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function allot(dropId: string, sku: string, perTill: Record<string, number>) {
  const allotments = await Promise.all(
    Object.entries(perTill).map(async ([name, qty]) => ({
      deviceId: await deviceId(name),
      sku,
      qty,
    })),
  );
  const res = await ledger().call(
    'PUT',
    `/api/v1/stores/${ledger().storeId}/drops/${dropId}/allotments`,
    ADMIN_TOKEN,
    { allotments },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function ledgerProgress(dropId: string, sku: string) {
  const res = await ledger().call('GET', `/api/v1/stores/${ledger().storeId}/drops`, ADMIN_TOKEN);
  expect(res.status).toBe(200);
  const drop = res.body.drops.find((d: { id: string }) => d.id === dropId);
  return drop.progress.find((p: { sku: string }) => p.sku === sku) as {
    sold: number;
    quantity: number;
  };
}

export async function exceptionsOf(kind: string) {
  const rows = await ledger()
    .database.db.selectFrom('exceptions')
    .selectAll()
    .where('kind', '=', kind)
    .execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details ?? '{}') }));
}

async function pairingCode(): Promise<string> {
  const res = await ledger().call(
    'POST',
    `/api/v1/stores/${ledger().storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  return res.body.code;
}

/** A till enrolled with the ledger, a cashier logged in, a shift open. */
export async function readyTill(browser: Browser, name: string, pin = '1234') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Ledger address').fill(ledger().url);
  await page.getByLabel('Pairing code').fill(await pairingCode());
  await page.getByLabel('Name of this till').fill(name);
  await page.getByRole('button', { name: 'Connect till' }).click();
  await expect(page.getByText('Staff PIN')).toBeVisible({ timeout: 30_000 });
  await loginWithPin(page, pin);
  await openShift(page);
  return { context, page };
}

/** Cut the till off from the ledger (the app still loads from the local server); returns the undo. */
export async function ledgerDown(context: BrowserContext): Promise<() => Promise<void>> {
  const pattern = `${ledger().url}/**`;
  const down = (route: import('@playwright/test').Route) => route.abort('internetdisconnected');
  await context.route(pattern, down);
  return () => context.unroute(pattern, down);
}

/** Sync now and wait until nothing is left to push. */
export async function syncTill(page: Page) {
  await page.getByTestId('sync-status').click();
  await expect(page.getByTestId('sync-status')).toContainText('0 unsynced sales', {
    timeout: 20_000,
  });
}

/** The drop strip's line for a SKU ("3 left here · 41 left overall · restock: none"). */
export const stripLeft = (page: Page, sku: string) =>
  page.locator(`.drop-item[data-sku="${sku}"] [data-testid="drop-left"]`);

export async function pay(page: Page) {
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
}

export const refusal = (page: Page) =>
  page.getByRole('dialog', { name: 'Cannot sell this drop item' });

export async function expectRefused(page: Page, message: string | RegExp) {
  await expect(refusal(page)).toContainText(message);
  await refusal(page).getByRole('button', { name: 'OK' }).click();
  await expect(refusal(page)).toBeHidden();
}

/** Units of the SKU in the cart, summed over its lines. */
export async function cartUnits(page: Page): Promise<number> {
  const qtys = await page.locator('.cart-line .qty').allTextContents();
  return qtys.reduce((n, q) => n + Number(q.replace(/\D/g, '') || 0), 0);
}
