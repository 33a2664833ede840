// Automatic allotments: a drop's pool split evenly over the store's active tills when the drop changes, and split again fairly when a till joins later.
import { fairSplit, joinActor } from '../../shared/allotment-split';
import type { DeviceAllotment, Drop } from '../../shared/drops';
import { nextVersion } from '../db/database';
import {
  type AllotmentReason,
  allotmentsOf,
  changeAllotment,
  dropProgress,
  takeUnits,
} from './allotments';
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
    // A stall hub's tills get their share from their hub: the hub is the stall's one allottee.
    .where('hub_id', 'is', null)
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
 * A till heard from (push or pull) within this long is online: it pushes each sale within
 * seconds and pulls every 15 s, so what the ledger says it holds is what it holds, give or take
 * a sale in flight. Units above its fair share may be taken back from such a till; if one of
 * them was in fact just sold, its push is flagged 'oversold' for a manager, never hidden. A till
 * not heard from for longer may be selling offline what it holds, so it keeps all of it.
 */
export const RECLAIM_FRESH_MS = 2 * 60_000;

interface SharePlan {
  drop: Drop;
  sku: string;
  /** Units each active till should hold, and what it holds now. */
  targets: Map<string, number>;
  held: Map<string, number>;
  over: number;
  /** Tills that kept more than an even share because they were not heard from lately. */
  kept: string[];
}

/**
 * For each live or upcoming auto drop item this till was never given a share of: the fair split
 * of the item's unsold units over the store's active tills, when it gives this till something.
 */
async function planShares(
  db: Db,
  device: { id: string; storeId: string },
  now: Date,
): Promise<SharePlan[]> {
  const rows = await db
    .selectFrom('drops')
    .selectAll()
    .where('store_id', '=', device.storeId)
    .where('allotment_mode', '=', 'auto')
    .where('status', '=', 'scheduled')
    .where('ends_at', '>', now.toISOString())
    .execute();
  if (rows.length === 0) return [];
  const tills = await db
    .selectFrom('devices')
    .select(['id', 'last_seen_at'])
    .where('store_id', '=', device.storeId)
    .where('status', '=', 'active')
    .where('hub_id', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  if (!tills.some((t) => t.id === device.id)) return [];
  const fresh = new Date(now.getTime() - RECLAIM_FRESH_MS).toISOString();
  const plans: SharePlan[] = [];
  for (const drop of await loadDrops(db, rows)) {
    const allotments = await allotmentsOf(db, drop.id);
    for (const p of await dropProgress(db, drop)) {
      const mine = allotments.filter((a) => a.sku === p.sku);
      if (mine.some((a) => a.deviceId === device.id)) continue;
      const held = new Map(mine.map((a) => [a.deviceId, a.qty]));
      const holdings = tills.map((t) => ({
        deviceId: t.id,
        held: held.get(t.id) ?? 0,
        reclaimable: t.id !== device.id && (t.last_seen_at ?? '') >= fresh,
      }));
      const targets = fairSplit(p.quantity - p.sold, holdings);
      if ((targets.get(device.id) ?? 0) === 0) continue;
      const even = fairSplit(
        p.quantity - p.sold,
        holdings.map((h) => ({ ...h, reclaimable: true })),
      );
      const kept = holdings
        .filter((h) => (targets.get(h.deviceId) ?? 0) > (even.get(h.deviceId) ?? 0))
        .map((h) => h.deviceId);
      plans.push({ drop, sku: p.sku, targets, held, over: tills.length, kept });
    }
  }
  return plans;
}

/**
 * A till paired while auto drops are live or upcoming (or one still holding none of an item at
 * its pull) gets its fair share: each item's unsold units are split evenly again over the store's
 * active tills, units above a share taken back from tills heard from lately, and every change is
 * a 'rebalance' movement whose actor records who joined. The first till to pull a drop made
 * before any till existed takes it all; this is what gives later tills their part.
 */
export async function shareWithJoiningTill(
  db: Db,
  device: { id: string; storeId: string },
  now: Date,
): Promise<void> {
  // Plan read-only first, so an ordinary pull does not bump the version or take its lock.
  if ((await planShares(db, device, now)).length === 0) return;
  // The version row's lock (PostgreSQL) makes pushes, requests and other splits wait for this
  // one; the plan is made again under it, from what they committed before.
  const version = await nextVersion(db);
  const at = now.toISOString();
  for (const plan of await planShares(db, device, now)) {
    const actor = joinActor(device.id, plan.over, plan.kept);
    const item = (deviceId: string) => ({ dropId: plan.drop.id, sku: plan.sku, deviceId });
    for (const [deviceId, target] of plan.targets) {
      const over = (plan.held.get(deviceId) ?? 0) - target;
      if (over > 0)
        await takeUnits(db, item(deviceId), over, { reason: 'rebalance', actor }, version, at);
    }
    // Hand out what is unallotted now, the joining till first.
    let pool = (await dropProgress(db, plan.drop)).find((x) => x.sku === plan.sku)?.pool ?? 0;
    const order = [device.id, ...[...plan.targets.keys()].filter((id) => id !== device.id)];
    for (const deviceId of order) {
      const n = Math.min(
        (plan.targets.get(deviceId) ?? 0) - (plan.held.get(deviceId) ?? 0),
        Math.max(0, pool),
      );
      if (n <= 0) continue;
      await changeAllotment(db, { ...item(deviceId), delta: n }, 'rebalance', actor, version, at);
      pool -= n;
    }
  }
}
