// Manager and admin operations: stores and their promises, tax classes, products, staff, stock receipts and adjustments, exceptions.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import {
  type Product,
  type StaffRole,
  type StorePromises,
  type StoreSettings,
  storeSettingsSchema,
  type TaxClass,
} from '../../shared/catalog';
import { nextVersion } from '../db/database';
import type { LedgerDb } from '../db/schema';
import { notFound } from '../http/api';
import { type Movement, recordMovements, requireStore } from './write';

/**
 * Create or replace a store's settings. Settings sent without the returns or shipping promise
 * (an older admin script) keep the promises the store has, so a manager's texts survive them.
 */
export async function upsertStore(
  db: Kysely<LedgerDb>,
  settings: StoreSettings,
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    const before = await readSettings(trx, settings.storeId);
    const kept: StoreSettings = {
      ...settings,
      returnsPromise: settings.returnsPromise ?? before?.returnsPromise,
      shippingPromise: settings.shippingPromise ?? before?.shippingPromise,
    };
    const row = {
      id: settings.storeId,
      name: settings.name,
      // JSON leaves out a promise that is still undefined: an old store stays as it was.
      settings: JSON.stringify(kept),
      time_zone: settings.timeZone,
      version,
    };
    await trx
      .insertInto('stores')
      .values({ ...row, created_at: now.toISOString() })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  });
}

/** A store's settings as the ledger holds them, or undefined for an unknown store. */
export async function readSettings(
  db: Kysely<LedgerDb>,
  storeId: string,
): Promise<StoreSettings | undefined> {
  const row = await db
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row ? storeSettingsSchema.parse(JSON.parse(row.settings)) : undefined;
}

/** A store's returns and shipping promises as the ledger holds them ('' where none is set). */
export async function storePromises(db: Kysely<LedgerDb>, storeId: string): Promise<StorePromises> {
  const settings = await readSettings(db, storeId);
  if (!settings) throw notFound(`Store ${storeId}`);
  return {
    returnsPromise: settings.returnsPromise ?? '',
    shippingPromise: settings.shippingPromise ?? '',
  };
}

/**
 * Set both promises of a store (a manager in Settings). The store's version moves in the same
 * transaction, so every till's next pull brings the new texts and prints them.
 */
export async function setStorePromises(
  db: Kysely<LedgerDb>,
  storeId: string,
  promises: StorePromises,
): Promise<StorePromises> {
  return db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    const settings = await readSettings(trx, storeId);
    if (!settings) throw notFound(`Store ${storeId}`);
    const next: StoreSettings = { ...settings, ...promises };
    await trx
      .updateTable('stores')
      .set({ settings: JSON.stringify(next), version })
      .where('id', '=', storeId)
      .execute();
    return { returnsPromise: promises.returnsPromise, shippingPromise: promises.shippingPromise };
  });
}

export async function upsertTaxClasses(
  db: Kysely<LedgerDb>,
  classes: readonly TaxClass[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    for (const t of classes) {
      const row = { id: t.id, name: t.name, rate_ppm: t.ratePpm, version };
      await trx
        .insertInto('tax_classes')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
    }
  });
}

/** Insert or update products in one transaction (50k in one call is fine). Unknown tax classes are refused first. */
export async function upsertProducts(
  db: Kysely<LedgerDb>,
  products: readonly Product[],
  now = new Date(),
): Promise<{ upserted: number; unknownTaxClasses: string[] }> {
  const taxIds = new Set(
    (await db.selectFrom('tax_classes').select('id').execute()).map((t) => t.id),
  );
  const unknown = [...new Set(products.map((p) => p.taxClassId).filter((id) => !taxIds.has(id)))];
  if (unknown.length > 0) return { upserted: 0, unknownTaxClasses: unknown };
  await db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    const at = now.toISOString();
    const rows = products.map((p) => ({
      sku: p.sku,
      name: p.name,
      price: p.price,
      tax_class_id: p.taxClassId,
      category: p.category,
      barcodes: JSON.stringify(p.barcodes),
      active: (p.active ? 1 : 0) as 0 | 1,
      drop_name: p.drop ?? null,
      image: p.image ?? null,
      version,
      updated_at: at,
    }));
    for (let i = 0; i < rows.length; i += 2_000) {
      await trx
        .insertInto('products')
        .values(rows.slice(i, i + 2_000))
        .onConflict((oc) =>
          oc.column('sku').doUpdateSet({
            name: sql`excluded.name`,
            price: sql`excluded.price`,
            tax_class_id: sql`excluded.tax_class_id`,
            category: sql`excluded.category`,
            barcodes: sql`excluded.barcodes`,
            active: sql`excluded.active`,
            drop_name: sql`excluded.drop_name`,
            image: sql`excluded.image`,
            version: sql`excluded.version`,
            updated_at: sql`excluded.updated_at`,
          }),
        )
        .execute();
    }
  });
  return { upserted: products.length, unknownTaxClasses: [] };
}

export async function upsertStaff(
  db: Kysely<LedgerDb>,
  storeId: string,
  staff: { id: string; name: string; role: StaffRole; pinHash: string; active: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    const row = {
      id: staff.id,
      store_id: storeId,
      name: staff.name,
      role: staff.role,
      pin_hash: staff.pinHash,
      active: (staff.active ? 1 : 0) as 0 | 1,
      version,
    };
    await trx
      .insertInto('staff')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  });
}

/** Goods in (receive) or a correction (adjustment): new movements, never edits. */
export async function moveStock(
  db: Kysely<LedgerDb>,
  storeId: string,
  kind: 'receive' | 'adjustment',
  lines: readonly { sku: string; qty: number }[],
  note: string | undefined,
  ref: string,
  now = new Date(),
): Promise<{ sku: string; qty: number }[]> {
  await requireStore(db, storeId);
  return db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    const movements: Movement[] = lines.map((l) => ({
      sku: l.sku,
      delta: l.qty,
      kind,
      ref,
      note: note ?? null,
    }));
    await recordMovements(trx, storeId, movements, version, now.toISOString());
    const skus = [...new Set(lines.map((l) => l.sku))];
    const levels: { sku: string; qty: number }[] = [];
    // SQLite binds at most 32,766 values per statement: ask in slices.
    for (let i = 0; i < skus.length; i += 5_000) {
      levels.push(
        ...(await trx
          .selectFrom('stock_levels')
          .select(['sku', 'qty'])
          .where('store_id', '=', storeId)
          .where('sku', 'in', skus.slice(i, i + 5_000))
          .execute()),
      );
    }
    return levels.map((l) => ({ sku: l.sku, qty: Number(l.qty) }));
  });
}
