// How a drop's units sit across tills, for the Drops screen: per till and item allotted, sold and left, and why the last automatic split fell as it did.
import { readJoinActor, type SplitReason, type TillShare } from '../../shared/allotment-split';
import type { Drop } from '../../shared/drops';
import type { Db } from './drop-rows';

export interface DropSplit {
  tills: TillShare[];
  split: SplitReason | null;
}

const num = (v: number | string | bigint | null) => Number(v ?? 0);

/** Per till and item: units handed to it net of returns and take-backs, sold (as synced), and held now. */
async function tillShares(db: Db, drop: Drop): Promise<TillShare[]> {
  const given = await db
    .selectFrom('allotment_movements')
    .select((eb) => ['device_id', 'sku', eb.fn.sum<number | string>('delta').as('qty')])
    .where('drop_id', '=', drop.id)
    .where('reason', '!=', 'sale')
    .groupBy(['device_id', 'sku'])
    .execute();
  const sold = await db
    .selectFrom('sale_lines')
    .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
    .select((eb) => [
      'sales.device_id',
      'sale_lines.sku',
      eb.fn.sum<number | string>('sale_lines.qty').as('qty'),
    ])
    .where('sale_lines.drop_id', '=', drop.id)
    .groupBy(['sales.device_id', 'sale_lines.sku'])
    .execute();
  const held = await db
    .selectFrom('allotments')
    .select(['device_id', 'sku', 'qty'])
    .where('drop_id', '=', drop.id)
    .execute();
  const ids = [...new Set([...given, ...sold, ...held].map((r) => r.device_id))];
  if (ids.length === 0) return [];
  const devices = await db
    .selectFrom('devices')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const out: TillShare[] = [];
  for (const d of devices) {
    for (const item of drop.items) {
      const at = <T extends { device_id: string; sku: string }>(rows: T[]) =>
        rows.find((r) => r.device_id === d.id && r.sku === item.sku);
      const row = {
        allotted: num(at(given)?.qty ?? 0),
        sold: num(at(sold)?.qty ?? 0),
        left: num(at(held)?.qty ?? 0),
      };
      if (row.allotted === 0 && row.sold === 0 && row.left === 0) continue;
      out.push({ deviceId: d.id, name: d.name, sku: item.sku, ...row });
    }
  }
  return out;
}

/**
 * The last automatic split of an auto drop: a till joining (its movements' actor names the till,
 * how many tills it was over and who kept units), or the drop being saved (units handed out to
 * each active till at once).
 */
async function lastSplit(db: Db, drop: Drop): Promise<SplitReason | null> {
  if (drop.allotments !== 'auto') return null;
  const last = await db
    .selectFrom('allotment_movements')
    .select(['reason', 'actor', 'created_at'])
    .where('drop_id', '=', drop.id)
    .where((eb) =>
      eb.or([
        eb('reason', '=', 'allot'),
        eb.and([eb('reason', '=', 'rebalance'), eb('actor', 'like', 'auto:join|%')]),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return null;
  const joined = readJoinActor(last.actor);
  if (joined) {
    const names = await db
      .selectFrom('devices')
      .select(['id', 'name'])
      .where('id', 'in', [joined.deviceId, ...joined.kept])
      .execute();
    const name = (id: string) => names.find((n) => n.id === id)?.name ?? id;
    return {
      why: 'joined',
      at: last.created_at,
      tillName: name(joined.deviceId),
      over: joined.over,
      kept: joined.kept.map(name),
    };
  }
  const tills = await db
    .selectFrom('allotment_movements')
    .select('device_id')
    .distinct()
    .where('drop_id', '=', drop.id)
    .where('reason', '=', 'allot')
    .where('created_at', '=', last.created_at)
    .execute();
  return { why: 'saved', at: last.created_at, over: tills.length, kept: [] };
}

export async function dropSplit(db: Db, drop: Drop): Promise<DropSplit> {
  return { tills: await tillShares(db, drop), split: await lastSplit(db, drop) };
}
