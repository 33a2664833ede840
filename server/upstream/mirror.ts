// What a stall hub keeps of its central ledger's pull: the store, catalog, staff, stock, members, drops (sized to the stall's allotment), campaigns and keys, so its tills' pulls serve them.
import { sql, type Transaction } from 'kysely';
import type { Drop } from '../../shared/drops';
import type { PullResponse } from '../../shared/sync';
import { nextVersion } from '../db/database';
import type { LedgerDb } from '../db/schema';
import { rebalance } from '../ledger/auto-allotments';
import { loadDrops } from '../ledger/drop-rows';

type Trx = Transaction<LedgerDb>;

async function mirrorCatalog(
  trx: Trx,
  storeId: string,
  pull: PullResponse,
  version: number,
  at: string,
) {
  if (pull.store) {
    const row = {
      id: storeId,
      name: pull.store.name,
      settings: JSON.stringify(pull.store),
      time_zone: pull.store.timeZone,
      version,
    };
    await trx
      .insertInto('stores')
      .values({ ...row, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
  for (const t of pull.taxClasses) {
    const row = { id: t.id, name: t.name, rate_ppm: t.ratePpm, version };
    await trx
      .insertInto('tax_classes')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
  for (let i = 0; i < pull.products.length; i += 1_000) {
    const rows = pull.products.slice(i, i + 1_000).map((p) => ({
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
    await trx
      .insertInto('products')
      .values(rows)
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
  for (const s of pull.staff) {
    const row = {
      id: s.id,
      store_id: storeId,
      name: s.name,
      role: s.role,
      pin_hash: s.pinHash,
      active: (s.active ? 1 : 0) as 0 | 1,
      version,
    };
    await trx
      .insertInto('staff')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
  // Central's level already counts every fact this hub forwarded; the hub's own movements of
  // facts not forwarded yet add to it until the next pull brings central's again.
  for (const s of pull.stock) {
    const row = { store_id: storeId, sku: s.sku, qty: s.qty, version };
    await trx
      .insertInto('stock_levels')
      .values(row)
      .onConflict((oc) => oc.columns(['store_id', 'sku']).doUpdateSet({ qty: s.qty, version }))
      .execute();
  }
}

async function mirrorMembersAndPromos(
  trx: Trx,
  storeId: string,
  pull: PullResponse,
  version: number,
  at: string,
) {
  for (const m of pull.members) {
    const row = {
      store_id: storeId,
      name: m.name,
      tiers: JSON.stringify(m.tiers),
      phone_hash: m.phoneHash,
      email_hash: m.emailHash,
      active: (m.active ? 1 : 0) as 0 | 1,
      version,
    };
    await trx
      .insertInto('members')
      .values({ id: m.id, ...row, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
  if (pull.memberKey) {
    await trx
      .insertInto('store_secrets')
      .values({ store_id: storeId, member_key: pull.memberKey, created_at: at })
      .onConflict((oc) => oc.column('store_id').doUpdateSet({ member_key: pull.memberKey ?? '' }))
      .execute();
  }
  for (const c of pull.campaigns) {
    const row = {
      store_id: storeId,
      name: c.name,
      prefix: c.prefix,
      offer: JSON.stringify(c.offer),
      scope: JSON.stringify(c.scope),
      starts_at: c.startsAt,
      ends_at: c.endsAt,
      audience: JSON.stringify(c.audience),
      max_uses_per_code: c.maxUsesPerCode,
      max_uses_per_customer: c.maxUsesPerCustomer,
      budget: c.budget,
      channel: c.channel,
      promoter: c.promoter,
      promoter_cost: c.promoterCost,
      tills_may_issue: (c.tillsMayIssue ? 1 : 0) as 0 | 1,
      signed_only: (c.signedOnly ? 1 : 0) as 0 | 1,
      status: c.status,
      version,
    };
    await trx
      .insertInto('campaigns')
      .values({ id: c.id, ...row, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
  for (const k of pull.promoKeys) {
    const row =
      k.kind === 'hmac'
        ? {
            store_id: storeId,
            kind: 'hmac' as const,
            secret: k.secret,
            device_id: null,
            public_key: null,
            retired: (k.retired ? 1 : 0) as 0 | 1,
            revoked: (k.revoked ? 1 : 0) as 0 | 1,
            version,
          }
        : {
            store_id: storeId,
            kind: 'ed25519' as const,
            secret: null,
            device_id: k.deviceId,
            public_key: k.publicKey,
            retired: (k.revoked ? 1 : 0) as 0 | 1,
            revoked: (k.revoked ? 1 : 0) as 0 | 1,
            version,
          };
    await trx
      .insertInto('promo_keys')
      .values({ id: k.id, ...row, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
}

/** Units of each drop item in this hub's sales that central has accepted (so took off the hub's allotment). */
async function soldAtCentral(trx: Trx, dropIds: readonly string[]): Promise<Map<string, number>> {
  const sold = new Map<string, number>();
  if (dropIds.length === 0) return sold;
  const rows = await trx
    .selectFrom('sale_lines')
    .innerJoin('upstream_verdicts', 'upstream_verdicts.event_id', 'sale_lines.sale_id')
    .select((eb) => [
      'sale_lines.drop_id',
      'sale_lines.sku',
      eb.fn.sum<number | string>('sale_lines.qty').as('sold'),
    ])
    .where('sale_lines.drop_id', 'in', [...dropIds])
    .where('upstream_verdicts.status', 'in', ['accepted', 'duplicate'])
    .groupBy(['sale_lines.drop_id', 'sale_lines.sku'])
    .execute();
  for (const r of rows) if (r.drop_id) sold.set(`${r.drop_id} ${r.sku}`, Number(r.sold));
  return sold;
}

/**
 * Drops at the hub hold what central allotted to the stall: each item's quantity here is the
 * hub's allotment there (or the drop's own quantity when it has no allotments), and the hub's
 * own split hands it to its tills. A drop central changed, or an allotment central moved, is
 * split again among the tills.
 */
async function mirrorDrops(
  trx: Trx,
  storeId: string,
  pull: PullResponse,
  version: number,
  at: string,
) {
  // Central's allotment is what the stall still holds there: central takes each sale of the
  // hub's tills off it once the hub has forwarded that sale. The hub counts those sales itself
  // (and every sale not forwarded yet), so its item quantity is central's allotment plus the
  // units central has already taken for sales the hub holds; otherwise they would count twice.
  const forwardedSold = await soldAtCentral(trx, [
    ...new Set(pull.allotments.map((a) => a.dropId)),
  ]);
  const allotted = new Map(
    pull.allotments.map((a) => {
      const k = `${a.dropId} ${a.sku}`;
      return [k, a.qty + (forwardedSold.get(k) ?? 0)];
    }),
  );
  const touched = new Set([
    ...pull.drops.map((d) => d.id),
    ...pull.allotments.map((a) => a.dropId),
  ]);
  for (const d of pull.drops) {
    const before = await trx
      .selectFrom('drop_items')
      .select(['sku', 'quantity'])
      .where('drop_id', '=', d.id)
      .execute();
    const row = {
      store_id: storeId,
      name: d.name,
      starts_at: d.startsAt,
      ends_at: d.endsAt,
      access: JSON.stringify(d.access),
      per_customer_limit: d.perCustomerLimit,
      restock_at: d.restockAt,
      allotment_mode: d.allotments,
      status: d.status,
      version,
    };
    await trx
      .insertInto('drops')
      .values({ id: d.id, ...row, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    await trx.deleteFrom('drop_items').where('drop_id', '=', d.id).execute();
    await trx
      .insertInto('drop_items')
      .values(
        d.items.map((i) => ({
          drop_id: d.id,
          sku: i.sku,
          quantity:
            d.allotments === 'off'
              ? i.quantity
              : (allotted.get(`${d.id} ${i.sku}`) ??
                Number(before.find((b) => b.sku === i.sku)?.quantity ?? 0)),
          ladder: JSON.stringify(i.ladder),
        })),
      )
      .execute();
  }
  for (const a of pull.allotments) {
    if (pull.drops.some((d) => d.id === a.dropId)) continue;
    await trx
      .updateTable('drop_items')
      .set({ quantity: allotted.get(`${a.dropId} ${a.sku}`) ?? a.qty })
      .where('drop_id', '=', a.dropId)
      .where('sku', '=', a.sku)
      .execute();
  }
  if (touched.size === 0) return;
  const rows = await trx
    .selectFrom('drops')
    .selectAll()
    .where('id', 'in', [...touched])
    .where('store_id', '=', storeId)
    .execute();
  for (const drop of await loadDrops(trx, rows)) {
    await rebalance(trx, storeId, drop as Drop, 'hub', version, at);
  }
}

/** Apply one pull from central in one transaction, and keep its cursor for the next. */
export async function applyCentralPull(
  db: import('kysely').Kysely<LedgerDb>,
  storeId: string,
  pull: PullResponse,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx);
    await mirrorCatalog(trx, storeId, pull, version, at);
    await mirrorMembersAndPromos(trx, storeId, pull, version, at);
    await mirrorDrops(trx, storeId, pull, version, at);
    await trx
      .updateTable('hub_link')
      .set({ cursor: pull.cursor, last_pull_at: at })
      .where('id', '=', 1)
      .execute();
  });
}
