// Drops at the ledger: what a till pulls about drops, allotments, members and their purchases, and checks on pushed drop sales.
import type { Kysely, Transaction } from 'kysely';
import { type DropPut, resolveDropTimes } from '../../shared/drop-time';
import type { Drop, DropWithProgress } from '../../shared/drops';
import type { PullResponse } from '../../shared/sync';
import { currentVersion, nextVersion } from '../db/database';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError, notFound } from '../http/api';
import { dropProgress, lockDrop, takeSold } from './allotments';
import { rebalance, shareWithJoiningTill } from './auto-allotments';
import {
  type BatchLine,
  type Db,
  DROP_PULL_RETENTION_MS,
  key,
  loadDrops,
  soldByItem,
  soldOf,
} from './drop-rows';
import { type DropSplit, dropSplit } from './drop-split';
import { checkMemberLimits } from './members';
import { type ExceptionInput, requireStore } from './write';

export type DropPull = Pick<
  PullResponse,
  'drops' | 'allotments' | 'dropProgress' | 'members' | 'memberPurchases'
>;

export async function pullDrops(
  db: Db,
  device: { id: string; storeId: string },
  after: number,
  now: Date,
): Promise<DropPull> {
  const full = after < 0;
  await shareWithJoiningTill(db, device, now);
  const horizon = new Date(now.getTime() - DROP_PULL_RETENTION_MS).toISOString();
  // The drops a till keeps: not cancelled and not ended long ago.
  const current = await db
    .selectFrom('drops')
    .selectAll()
    .where('store_id', '=', device.storeId)
    .where('status', '!=', 'cancelled')
    .where('ends_at', '>', horizon)
    .execute();
  const currentIds = current.map((d) => d.id);
  // On a delta pull, every changed drop (a cancellation too, so the till stops selling it).
  const changed = full
    ? current
    : await db
        .selectFrom('drops')
        .selectAll()
        .where('store_id', '=', device.storeId)
        .where('version', '>', after)
        .execute();

  let allotments = db
    .selectFrom('allotments')
    .innerJoin('drops', 'drops.id', 'allotments.drop_id')
    .select(['allotments.drop_id', 'allotments.sku', 'allotments.qty'])
    .where('allotments.device_id', '=', device.id)
    .where('drops.store_id', '=', device.storeId);
  allotments = full
    ? allotments.where('allotments.drop_id', 'in', currentIds.length ? currentIds : [''])
    : allotments.where('allotments.version', '>', after);

  let members = db
    .selectFrom('members')
    .selectAll()
    .where('store_id', '=', device.storeId)
    .where('version', '>', after);
  if (full) members = members.where('active', '=', 1);

  const sold = await soldByItem(db, currentIds);
  const drops = await loadDrops(db, current);
  const limited = current.filter((d) => d.per_customer_limit !== null).map((d) => d.id);
  const purchases = limited.length
    ? await db
        .selectFrom('sale_lines')
        .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
        .select((eb) => [
          'sale_lines.drop_id',
          'sales.member_id',
          eb.fn.sum<number | string>('sale_lines.qty').as('qty'),
        ])
        .where('sale_lines.drop_id', 'in', limited)
        .where('sales.member_id', 'is not', null)
        .groupBy(['sale_lines.drop_id', 'sales.member_id'])
        .execute()
    : [];

  return {
    drops: full ? drops : await loadDrops(db, changed),
    allotments: (await allotments.execute()).map((a) => ({
      dropId: a.drop_id,
      sku: a.sku,
      qty: Number(a.qty),
    })),
    dropProgress: drops.flatMap((d) =>
      d.items.map((i) => ({ dropId: d.id, sku: i.sku, sold: soldOf(sold, d.id, i.sku) })),
    ),
    members: (await members.execute()).map((m) => ({
      id: m.id,
      name: m.name,
      tiers: JSON.parse(m.tiers),
      phoneHash: m.phone_hash,
      emailHash: m.email_hash,
      active: m.active === 1,
    })),
    memberPurchases: purchases.map((p) => ({
      dropId: p.drop_id ?? '',
      memberId: p.member_id ?? '',
      qty: Number(p.qty),
    })),
  };
}

const receipts = (lines: readonly BatchLine[]) => [...new Set(lines.map((l) => l.receipt))];

/**
 * After a batch's sales are stored: take the sold units off the selling till's allotments,
 * then flag drop items sold past their quantity ('oversold') and members past the drop's
 * limit ('over-limit'). Only what this batch newly caused is flagged, so a sale is never
 * flagged twice (a batch holds only sales the ledger did not have).
 */
export async function checkDropSales(
  trx: Transaction<LedgerDb>,
  storeId: string,
  deviceId: string,
  saleIds: readonly string[],
): Promise<ExceptionInput[]> {
  if (saleIds.length === 0) return [];
  const lines: BatchLine[] = [];
  for (let i = 0; i < saleIds.length; i += 1_000) {
    const rows = await trx
      .selectFrom('sale_lines')
      .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
      .select([
        'sale_lines.sale_id',
        'sales.receipt_number',
        'sales.device_time',
        'sales.received_at',
        'sales.member_id',
        'sale_lines.drop_id',
        'sale_lines.sku',
        'sale_lines.qty',
      ])
      .where('sale_lines.sale_id', 'in', saleIds.slice(i, i + 1_000))
      .where('sale_lines.drop_id', 'is not', null)
      .execute();
    for (const r of rows) {
      lines.push({
        saleId: r.sale_id,
        receipt: r.receipt_number,
        deviceTime: r.device_time,
        receivedAt: r.received_at,
        memberId: r.member_id,
        dropId: r.drop_id ?? '',
        sku: r.sku,
        qty: Number(r.qty),
      });
    }
  }
  if (lines.length === 0) return [];
  const dropRows = await trx
    .selectFrom('drops')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', 'in', [...new Set(lines.map((l) => l.dropId))])
    .execute();
  const drops = new Map((await loadDrops(trx, dropRows)).map((d) => [d.id, d]));
  // Lines of drops this store does not have (or SKUs not in the drop) are ordinary sales.
  const known = lines.filter((l) => drops.get(l.dropId)?.items.some((i) => i.sku === l.sku));
  if (known.length === 0) return [];

  // No race between tills: every push bumps the ledger version first, which holds that row's
  // lock to commit, so pushes apply one after another and each counts the ones before it.
  const version = await currentVersion(trx);
  const at = (known[0] as BatchLine).receivedAt;
  const byItem = new Map<string, BatchLine[]>();
  for (const l of known)
    byItem.set(key(l.dropId, l.sku), [...(byItem.get(key(l.dropId, l.sku)) ?? []), l]);
  const sold = await soldByItem(trx, [...drops.keys()]);
  const exceptions: ExceptionInput[] = [];
  // A stall hub's till sells from its hub's allotment (the hub split it among its tills).
  const seller = await trx
    .selectFrom('devices')
    .select('hub_id')
    .where('id', '=', deviceId)
    .executeTakeFirst();
  const allottee = seller?.hub_id ?? deviceId;

  for (const itemLines of byItem.values()) {
    const { dropId, sku } = itemLines[0] as BatchLine;
    const drop = drops.get(dropId) as Drop;
    const batchQty = itemLines.reduce((n, l) => n + l.qty, 0);
    await takeSold(trx, { dropId, sku, deviceId: allottee }, batchQty, version, at);

    const quantity = drop.items.find((i) => i.sku === sku)?.quantity ?? 0;
    const soldNow = soldOf(sold, dropId, sku);
    const newly = Math.max(0, soldNow - quantity) - Math.max(0, soldNow - batchQty - quantity);
    if (newly > 0) {
      // The units that arrived last are the ones past the stock: the batch's latest sales.
      const latest = [...itemLines].sort((a, b) => b.deviceTime.localeCompare(a.deviceTime));
      const carrying: BatchLine[] = [];
      for (let units = 0; units < newly && latest.length > 0; ) {
        const l = latest.shift() as BatchLine;
        carrying.push(l);
        units += l.qty;
      }
      const devices = await trx
        .selectFrom('sale_lines')
        .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
        .innerJoin('devices', 'devices.id', 'sales.device_id')
        .select(['sales.device_id', 'devices.name'])
        .distinct()
        .where('sale_lines.drop_id', '=', dropId)
        .where('sale_lines.sku', '=', sku)
        .execute();
      exceptions.push({
        kind: 'oversold',
        message: `${sku} in ${drop.name}: ${newly} sold beyond the ${quantity} in the drop (${soldNow} sold on ${devices.map((d) => d.name).join(', ')}). Sales ${receipts(carrying).join(', ')}: backorder or refund.`,
        deviceId,
        eventId: carrying[0]?.saleId ?? null,
        details: {
          dropId,
          sku,
          oversold: newly,
          quantity,
          sold: soldNow,
          saleIds: [...new Set(carrying.map((l) => l.saleId))],
          deviceIds: devices.map((d) => d.device_id),
        },
      });
    }
  }
  exceptions.push(...(await checkMemberLimits(trx, deviceId, known, drops)));
  return exceptions;
}

/**
 * Create or update a drop (admin or manager), then fit its allotments: auto splits the pool
 * over the store's active tills. Times typed on the store's wall clock become instants with the
 * store's time zone (a time that does not exist is refused, naming the gap; a repeated one is
 * the first). Times are stored as full ISO strings so they compare as text.
 */
export async function upsertDrop(
  db: Kysely<LedgerDb>,
  engine: Engine,
  storeId: string,
  input: DropPut,
  actor: string,
  now: Date,
): Promise<DropWithProgress> {
  const bad = (message: string) => new HttpError(400, 'bad-request', message);
  const store = await db
    .selectFrom('stores')
    .select('time_zone')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) throw notFound(`Store ${storeId}`);
  const resolved = resolveDropTimes(input, store.time_zone);
  if (!resolved.ok) throw bad(`${input.name}: ${resolved.message}`);
  const drop = resolved.drop;
  if (drop.endsAt <= drop.startsAt) throw bad(`${drop.name} must end after it starts.`);
  const skus = drop.items.map((i) => i.sku);
  const twice = skus.find((sku, i) => skus.indexOf(sku) !== i);
  if (twice) throw bad(`${twice} is listed twice in ${drop.name}.`);
  return db.transaction().execute(async (trx) => {
    await requireStore(trx, storeId);
    const known = await trx.selectFrom('products').select('sku').where('sku', 'in', skus).execute();
    const unknown = skus.find((sku) => !known.some((p) => p.sku === sku));
    if (unknown) throw bad(`${unknown} is not in the catalog: add the product first.`);
    const existing = await lockDrop(trx, engine, drop.id);
    if (existing && existing.store_id !== storeId)
      throw conflict(`Drop id ${drop.id} belongs to another store.`);
    const version = await nextVersion(trx);
    const at = now.toISOString();
    const row = {
      store_id: storeId,
      name: drop.name,
      starts_at: drop.startsAt,
      ends_at: drop.endsAt,
      access: JSON.stringify(drop.access),
      per_customer_limit: drop.perCustomerLimit,
      restock_at: drop.restockAt,
      allotment_mode: drop.allotments,
      status: drop.status,
      version,
    };
    await trx
      .insertInto('drops')
      .values({ id: drop.id, ...row, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    await trx.deleteFrom('drop_items').where('drop_id', '=', drop.id).execute();
    await trx
      .insertInto('drop_items')
      .values(
        drop.items.map((i) => ({
          drop_id: drop.id,
          sku: i.sku,
          quantity: i.quantity,
          ladder: JSON.stringify(i.ladder),
        })),
      )
      .execute();
    await rebalance(trx, storeId, drop, actor, version, at);
    return { ...drop, progress: await dropProgress(trx, drop) };
  });
}

/** Every drop of the store, newest first, with sold / allotted / pool per item, and per till and why. */
export async function listDrops(
  db: Db,
  storeId: string,
): Promise<(DropWithProgress & DropSplit)[]> {
  const rows = await db
    .selectFrom('drops')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('starts_at', 'desc')
    .execute();
  const drops = await loadDrops(db, rows);
  return Promise.all(
    drops.map(async (d) => ({
      ...d,
      progress: await dropProgress(db, d),
      ...(await dropSplit(db, d)),
    })),
  );
}
