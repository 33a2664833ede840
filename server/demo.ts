// Loads the demo store (catalog, staff, opening stock, its receipt promises) into the ledger, once.
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { catalogSchema } from '../shared/catalog';
import type { Drop } from '../shared/drops';
import type { MemberUpsert } from '../shared/members';
import type { LedgerDatabase } from './db/database';
import type { LedgerDb } from './db/schema';
import { loadDemoPromos } from './demo-promos';
import { DEMO_STORE_PROMISES, demoStoreSettings } from './demo-store';
import {
  moveStock,
  setStorePromises,
  upsertProducts,
  upsertStaff,
  upsertStore,
  upsertTaxClasses,
} from './ledger/admin';
import { upsertDrop } from './ledger/drops';
import { setManagerPassword } from './ledger/manager-passwords';
import { upsertMember } from './ledger/members';

export { DEMO_STORE_PROMISES, demoStoreSettings };

export const DEMO_CATALOG = new URL('../assets/demo-catalog.json', import.meta.url);

/** The demo manager (Niamh, PIN 9999) signs in to the ledger away from a till with this password (README). */
export const DEMO_MANAGER_PASSWORD = 'niamh-ledger-demo';

/** Niamh's ledger password, once: a password an admin changed stays. */
async function addDemoManagerPassword(db: Kysely<LedgerDb>, storeId: string): Promise<void> {
  const set = await db
    .selectFrom('manager_passwords')
    .select('staff_id')
    .where('staff_id', '=', 'staff-niamh')
    .executeTakeFirst();
  const niamh = await db
    .selectFrom('staff')
    .select('id')
    .where('id', '=', 'staff-niamh')
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  if (!set && niamh)
    await setManagerPassword(db, storeId, 'staff-niamh', DEMO_MANAGER_PASSWORD, new Date());
}

/** Returns the demo store id; loads it only when the ledger does not have it yet. */
export async function loadDemo(
  db: Kysely<LedgerDb>,
  file: URL | string = DEMO_CATALOG,
): Promise<{ storeId: string; loaded: boolean }> {
  const catalog = catalogSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const storeId = catalog.store.storeId;
  const existing = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (existing) {
    await addDemoPromises(db, storeId);
    await addDemoManagerPassword(db, storeId);
    return { storeId, loaded: false };
  }
  await upsertTaxClasses(db, catalog.taxClasses);
  await upsertProducts(db, catalog.products);
  for (const s of catalog.staff) await upsertStaff(db, storeId, { ...s, active: true });
  await upsertStore(db, demoStoreSettings(catalog.store));
  await addDemoManagerPassword(db, storeId);
  const lines = Object.entries(catalog.stock ?? {}).map(([sku, qty]) => ({ sku, qty }));
  if (lines.length > 0)
    await moveStock(db, storeId, 'receive', lines, 'demo opening stock', 'demo');
  await loadDemoPromos(db, storeId);
  return { storeId, loaded: true };
}

/** A demo ledger made before stores had promises gets the demo texts once; texts a manager set (even to none) stay. */
async function addDemoPromises(db: Kysely<LedgerDb>, storeId: string): Promise<void> {
  const row = await db
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  const settings = JSON.parse(row.settings) as Record<string, unknown>;
  if (!('returnsPromise' in settings) && !('shippingPromise' in settings))
    await setStorePromises(db, storeId, DEMO_STORE_PROMISES);
}

const HOUR_MS = 3_600_000;

/** A 3-step ladder from a shelf price: the first 2 units 20 % off (fast fulfilment), the first hour 10 % off, then full price. */
function demoLadder(price: number) {
  const off = (pct: number) => Math.round((price * (100 - pct)) / 100 / 50) * 50;
  return [
    { label: 'Early bird', price: off(20), untilUnits: 2, fastFulfilment: true },
    { label: 'First hour', price: off(10), untilMinutes: 60, fastFulfilment: false },
    { label: 'Full price', price, fastFulfilment: false },
  ];
}

/**
 * Demo drops and members (issue 6): "Winter Drop 01" live since half an hour ago for 30 days,
 * "Riso Drop 02" from the next full hour tomorrow for 3 hours; members 30 minutes early, a
 * limit of 2 per customer, auto allotments (tills enrolled later get their share at their
 * first pull). Three members with tiers and hashed demo contacts. Call once, after loadDemo.
 */
export async function loadDemoDrops(
  database: LedgerDatabase,
  storeId: string,
  now: Date = new Date(),
): Promise<void> {
  const catalog = catalogSchema.parse(JSON.parse(readFileSync(DEMO_CATALOG, 'utf8')));
  const price = (sku: string) => catalog.products.find((p) => p.sku === sku)?.price ?? 0;
  const item = (sku: string, quantity: number) => ({
    sku,
    quantity,
    ladder: demoLadder(price(sku)),
  });
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const tomorrow = Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS + 24 * HOUR_MS;
  const common = {
    access: [{ tier: 'members', minutesBefore: 30 }],
    perCustomerLimit: 2,
    restockAt: null,
    allotments: 'auto' as const,
    status: 'scheduled' as const,
  };
  const drops: Drop[] = [
    {
      ...common,
      id: 'winter-drop-01',
      name: 'Winter Drop 01',
      startsAt: new Date(minute - 30 * 60_000).toISOString(),
      endsAt: new Date(minute + 30 * 24 * HOUR_MS).toISOString(),
      items: [item('HAT-BNE-NUM-GRN', 4), item('HAT-CAP-REF', 5), item('HOD-PUF-BLK-M', 6)],
    },
    {
      ...common,
      id: 'riso-drop-02',
      name: 'Riso Drop 02',
      startsAt: new Date(tomorrow).toISOString(),
      endsAt: new Date(tomorrow + 3 * HOUR_MS).toISOString(),
      items: [item('BAG-TOTE-HP', 4), item('PRT-RSO-NIGHT-A2', 10), item('PRT-ZIN-0', 15)],
    },
  ];
  for (const d of drops) await upsertDrop(database.db, database.engine, storeId, d, 'demo', now);
  const members: [string, MemberUpsert][] = [
    [
      'M7K3MQ9XT',
      {
        name: 'Saoirse Byrne',
        tiers: ['members', 'subscribers'],
        email: 'saoirse@example.ie',
        phone: '+353 87 100 0001',
        active: true,
      },
    ],
    [
      'M4DRG8KYZ',
      { name: 'Darragh Kelly', tiers: ['members'], phone: '+353 86 200 0002', active: true },
    ],
    [
      'M9MBH2DXY',
      { name: 'Méabh Doyle', tiers: ['subscribers'], email: 'meabh@example.ie', active: true },
    ],
  ];
  for (const [id, m] of members) await upsertMember(database.db, storeId, id, m, now);
}
