// Automatic allotments: a drop's pool split evenly over the store's active tills when the drop changes, and a fair share for a till that joins later.
import type { DeviceAllotment, Drop } from '../../shared/drops';
import { nextVersion } from '../db/database';
import { type AllotmentReason, allotmentsOf, changeAllotment, dropProgress } from './allotments';
import { type Db, loadDrops } from './drop-rows';

/**
 * Fit allotments to the drop after it changed: take back units of removed items, of a drop
 * with allotments off, or beyond what is unsold; then, in auto mode, split the pool over the
 * store's active tills (evenly, the remainder to the first tills by name).
 */
export async function rebalance(
  trx: Db,
  storeId: string,
  drop: Drop,
  actor: string,
  version: number,
  at: string,
): Promise<void> {
  const held = await allotmentsOf(trx, drop.id);
  const give = (a: DeviceAllotment, delta: number, reason: AllotmentReason) =>
    changeAllotment(trx, { dropId: drop.id, ...a, delta }, reason, actor, version, at);
  for (const a of held) {
    const keep = drop.allotments !== 'off' && drop.items.some((i) => i.sku === a.sku);
    if (!keep && a.qty > 0) await give(a, -a.qty, 'rebalance');
  }
  if (drop.allotments === 'off') return;
  const devices = await trx
    .selectFrom('devices')
    .select('id')
    .where('store_id', '=', storeId)
    .where('status', '=', 'active')
    .orderBy('name')
    .orderBy('id')
    .execute();
  for (const p of await dropProgress(trx, drop)) {
    if (p.pool < 0) {
      // Take back from the tills holding the most, one unit at a time, until nothing is over-allotted.
      const mine = held.filter((a) => a.sku === p.sku && a.qty > 0).map((a) => ({ ...a }));
      const back = new Map<string, number>();
      for (let over = Math.min(-p.pool, p.allotted); over > 0; over--) {
        const most = mine.reduce((m, a) => (a.qty > m.qty ? a : m));
        most.qty -= 1;
        back.set(most.deviceId, (back.get(most.deviceId) ?? 0) + 1);
      }
      for (const [deviceId, n] of back)
        await give({ deviceId, sku: p.sku, qty: 0 }, -n, 'rebalance');
    } else if (p.pool > 0 && drop.allotments === 'auto' && devices.length > 0) {
      const share = Math.floor(p.pool / devices.length);
      const extra = p.pool % devices.length;
      for (const [i, d] of devices.entries()) {
        const n = share + (i < extra ? 1 : 0);
        if (n > 0) await give({ deviceId: d.id, sku: p.sku, qty: 0 }, n, 'allot');
      }
    }
  }
}

/**
 * A till that joined after an auto drop was split (or whose share was never given) gets a
 * fair share of the pool at its pull: the pool over the active tills holding none of the item,
 * rounded up. The drop row's version is compare-and-set first, so two tills pulling at once
 * on PostgreSQL cannot both hand out the same units (the loser gets its share next pull).
 */
export async function shareWithNewTill(
  db: Db,
  device: { id: string; storeId: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const rows = await db
    .selectFrom('drops')
    .selectAll()
    .where('store_id', '=', device.storeId)
    .where('allotment_mode', '=', 'auto')
    .where('status', '=', 'scheduled')
    .where('ends_at', '>', at)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('allotments')
            .select('allotments.drop_id')
            .whereRef('allotments.drop_id', '=', 'drops.id')
            .where('allotments.device_id', '=', device.id),
        ),
      ),
    )
    .execute();
  if (rows.length === 0) return;
  const devices = await db
    .selectFrom('devices')
    .select('id')
    .where('store_id', '=', device.storeId)
    .where('status', '=', 'active')
    .execute();
  const without = (held: readonly DeviceAllotment[], sku: string) =>
    devices.filter((d) => !held.some((h) => h.sku === sku && h.deviceId === d.id)).length;
  for (const drop of await loadDrops(db, rows)) {
    const before = await allotmentsOf(db, drop.id);
    const open = (await dropProgress(db, drop)).some((p) => p.pool > 0 && without(before, p.sku));
    if (!open) continue;
    const version = await nextVersion(db);
    const claimed = await db
      .updateTable('drops')
      .set({ version })
      .where('id', '=', drop.id)
      .where('version', '=', Number(rows.find((r) => r.id === drop.id)?.version ?? -1))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    // Read again under the claim: a request or another share may have moved units meanwhile.
    const held = await allotmentsOf(db, drop.id);
    for (const p of await dropProgress(db, drop)) {
      if (held.some((h) => h.sku === p.sku && h.deviceId === device.id)) continue;
      const n = without(held, p.sku);
      const share = p.pool > 0 && n > 0 ? Math.ceil(p.pool / n) : 0;
      const c = { dropId: drop.id, sku: p.sku, deviceId: device.id, delta: share };
      await changeAllotment(db, c, 'allot', 'auto', version, at);
    }
  }
}
