// Allotments at the ledger: units of a drop escrowed to tills, split automatically or set by a manager, requested or returned by tills, taken by sales; every change is a movement.
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  CLOCK_SKEW_MS,
  type DeviceAllotment,
  type Drop,
  type DropItemProgress,
} from '../../shared/drops';
import { nextVersion } from '../db/database';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError, notFound } from '../http/api';
import { loadDrops, soldByItem, soldOf } from './drop-rows';

type Trx = Transaction<LedgerDb>;
type Db = Kysely<LedgerDb> | Trx;
export type AllotmentReason = 'allot' | 'request' | 'return' | 'sale' | 'rebalance';

/** Add `delta` units to a till's allotment of a drop item and record the movement. Callers keep it ≥ 0. */
export async function changeAllotment(
  trx: Db,
  c: { dropId: string; sku: string; deviceId: string; delta: number },
  reason: AllotmentReason,
  actor: string | null,
  version: number,
  at: string,
): Promise<void> {
  if (c.delta === 0) return;
  await trx
    .insertInto('allotments')
    .values({ drop_id: c.dropId, sku: c.sku, device_id: c.deviceId, qty: c.delta, version })
    .onConflict((oc) =>
      oc.columns(['drop_id', 'sku', 'device_id']).doUpdateSet({
        qty: sql`allotments.qty + excluded.qty`,
        version: sql`excluded.version`,
      }),
    )
    .execute();
  await trx
    .insertInto('allotment_movements')
    .values({
      drop_id: c.dropId,
      sku: c.sku,
      device_id: c.deviceId,
      delta: c.delta,
      reason,
      actor,
      created_at: at,
    })
    .execute();
}

/**
 * Take up to `want` sold units off a till's allotment (never below 0): a conditional update,
 * so a concurrent return cannot make it negative. Returns the units taken.
 */
export async function takeSold(
  trx: Trx,
  item: { dropId: string; sku: string; deviceId: string },
  want: number,
  version: number,
  at: string,
): Promise<number> {
  return takeUnits(trx, item, want, { reason: 'sale', actor: item.deviceId }, version, at);
}

/** Take up to `want` units off a till's allotment (never below 0) and record the movement; returns the units taken. */
export async function takeUnits(
  trx: Db,
  item: { dropId: string; sku: string; deviceId: string },
  want: number,
  why: { reason: AllotmentReason; actor: string },
  version: number,
  at: string,
): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const held = await heldBy(trx, item.dropId, item.sku, item.deviceId);
    const taken = Math.min(held, want);
    if (taken <= 0) return 0;
    const done = await trx
      .updateTable('allotments')
      .set({ qty: sql`qty - ${taken}`, version })
      .where('drop_id', '=', item.dropId)
      .where('sku', '=', item.sku)
      .where('device_id', '=', item.deviceId)
      .where('qty', '>=', taken)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 1) {
      await trx
        .insertInto('allotment_movements')
        .values({
          drop_id: item.dropId,
          sku: item.sku,
          device_id: item.deviceId,
          delta: -taken,
          reason: why.reason,
          actor: why.actor,
          created_at: at,
        })
        .execute();
      return taken;
    }
  }
  return 0;
}

export async function heldBy(
  db: Db,
  dropId: string,
  sku: string,
  deviceId: string,
): Promise<number> {
  const row = await db
    .selectFrom('allotments')
    .select('qty')
    .where('drop_id', '=', dropId)
    .where('sku', '=', sku)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  return Number(row?.qty ?? 0);
}

export async function allotmentsOf(db: Db, dropId: string): Promise<DeviceAllotment[]> {
  const rows = await db
    .selectFrom('allotments')
    .select(['device_id', 'sku', 'qty'])
    .where('drop_id', '=', dropId)
    .orderBy('sku')
    .orderBy('device_id')
    .execute();
  return rows.map((r) => ({ deviceId: r.device_id, sku: r.sku, qty: Number(r.qty) }));
}

/** Per item: sold across tills, held in allotments, and the unallotted pool (negative when oversold). */
export async function dropProgress(db: Db, drop: Drop): Promise<DropItemProgress[]> {
  const sold = await soldByItem(db, [drop.id]);
  const held = await allotmentsOf(db, drop.id);
  return drop.items.map((i) => {
    const s = soldOf(sold, drop.id, i.sku);
    const allotted = held.filter((a) => a.sku === i.sku).reduce((n, a) => n + a.qty, 0);
    return { sku: i.sku, quantity: i.quantity, sold: s, allotted, pool: i.quantity - s - allotted };
  });
}

/** The drop row, locked against concurrent allotment changes on PostgreSQL (SQLite writes one at a time). */
export async function lockDrop(trx: Trx, engine: Engine, dropId: string) {
  let q = trx.selectFrom('drops').selectAll().where('id', '=', dropId);
  if (engine === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** A manager sets per-till allotments; refuses (409, nothing changed) more than the unsold units of an item. */
export async function setAllotments(
  db: Kysely<LedgerDb>,
  engine: Engine,
  storeId: string,
  dropId: string,
  wanted: readonly DeviceAllotment[],
  actor: string,
  now: Date,
): Promise<DeviceAllotment[]> {
  return db.transaction().execute(async (trx) => {
    const row = await lockDrop(trx, engine, dropId);
    if (!row || row.store_id !== storeId) throw notFound(`Drop ${dropId}`);
    const [drop] = await loadDrops(trx, [row]);
    if (!drop) throw notFound(`Drop ${dropId}`);
    if (drop.allotments === 'off') {
      throw conflict(`Allotments are off for ${drop.name}: switch them to manual first.`);
    }
    const seen = new Set<string>();
    for (const a of wanted) {
      if (!drop.items.some((i) => i.sku === a.sku))
        throw new HttpError(400, 'bad-request', `${a.sku} is not in ${drop.name}.`);
      if (seen.has(`${a.deviceId} ${a.sku}`))
        throw new HttpError(400, 'bad-request', `${a.sku} is listed twice for one till.`);
      seen.add(`${a.deviceId} ${a.sku}`);
    }
    const deviceIds = [...new Set(wanted.map((a) => a.deviceId))];
    const devices = deviceIds.length
      ? await trx
          .selectFrom('devices')
          .select('id')
          .where('store_id', '=', storeId)
          .where('id', 'in', deviceIds)
          .execute()
      : [];
    const unknown = deviceIds.find((id) => !devices.some((d) => d.id === id));
    if (unknown) throw new HttpError(400, 'bad-request', `Till ${unknown} is not in this store.`);

    const held = await allotmentsOf(trx, dropId);
    const progress = await dropProgress(trx, drop);
    for (const p of progress) {
      const mine = wanted.filter((a) => a.sku === p.sku);
      if (mine.length === 0) continue;
      const others = held
        .filter((h) => h.sku === p.sku && !mine.some((a) => a.deviceId === h.deviceId))
        .reduce((n, h) => n + h.qty, 0);
      const total = others + mine.reduce((n, a) => n + a.qty, 0);
      const available = Math.max(0, p.quantity - p.sold);
      if (total > available) {
        throw conflict(
          `Only ${available} units of ${p.sku} can be allotted in ${drop.name} (${p.quantity} in the drop, ${p.sold} sold); these allotments come to ${total}.`,
          { sku: p.sku, available, requested: total },
        );
      }
    }
    const version = await nextVersion(trx);
    const at = now.toISOString();
    for (const a of wanted) {
      const before = held.find((h) => h.deviceId === a.deviceId && h.sku === a.sku)?.qty ?? 0;
      await changeAllotment(
        trx,
        { dropId, ...a, delta: a.qty - before },
        'allot',
        actor,
        version,
        at,
      );
    }
    return allotmentsOf(trx, dropId);
  });
}

/** A till (online) asks for more units from the pool or gives unsold units back. */
export async function moveForTill(
  db: Kysely<LedgerDb>,
  engine: Engine,
  device: { id: string; storeId: string },
  dropId: string,
  ask: { sku: string; qty: number },
  direction: 'request' | 'return',
  now: Date,
): Promise<TillMove> {
  return db
    .transaction()
    .execute((trx) => moveForTillIn(trx, engine, device, dropId, ask, direction, now));
}

export interface TillMove {
  moved: number;
  allotment: number;
  reason?: string;
}

/** `moveForTill` inside the caller's transaction (a stall hub first adds what central granted it). */
export async function moveForTillIn(
  trx: Trx,
  engine: Engine,
  device: { id: string; storeId: string },
  dropId: string,
  ask: { sku: string; qty: number },
  direction: 'request' | 'return',
  now: Date,
): Promise<TillMove> {
  const row = await lockDrop(trx, engine, dropId);
  if (!row || row.store_id !== device.storeId) throw notFound(`Drop ${dropId}`);
  const [drop] = await loadDrops(trx, [row]);
  const item = drop?.items.find((i) => i.sku === ask.sku);
  if (!drop || !item) throw notFound(`${ask.sku} in drop ${dropId}`);
  const held = await heldBy(trx, dropId, ask.sku, device.id);
  let moved = 0;
  let reason: string | undefined;
  if (direction === 'return') {
    moved = Math.min(ask.qty, held);
    if (moved < ask.qty) reason = `This till held only ${held} of ${ask.sku}.`;
  } else if (drop.status === 'cancelled') {
    reason = `${drop.name} was cancelled.`;
  } else if (drop.allotments === 'off') {
    reason = `Allotments are off for ${drop.name}: sell freely, the ledger checks the stock.`;
  } else if (now.getTime() >= Date.parse(drop.endsAt) + CLOCK_SKEW_MS) {
    reason = `${drop.name} has ended.`;
  } else {
    const pool = (await dropProgress(trx, drop)).find((p) => p.sku === ask.sku)?.pool ?? 0;
    moved = Math.max(0, Math.min(ask.qty, pool));
    if (moved === 0)
      reason = `No units of ${ask.sku} left to hand out in ${drop.name}: the rest are sold or held by other tills.`;
    else if (moved < ask.qty) reason = `Only ${moved} of ${ask.sku} were left to hand out.`;
  }
  if (moved > 0) {
    const version = await nextVersion(trx);
    const delta = direction === 'return' ? -moved : moved;
    const c = { dropId, sku: ask.sku, deviceId: device.id, delta };
    await changeAllotment(trx, c, direction, device.id, version, now.toISOString());
  }
  const allotment = held + (direction === 'return' ? -moved : moved);
  return { moved, allotment, ...(reason ? { reason } : {}) };
}
