// This till's drop units in sales the ledger has not stored yet, per drop item and per member: each queued fact's share is read once and remembered by its event id, so a sale's drop check reads the outbox's keys, not every unsynced sale.
import { itemKey, memberKey } from '../../shared/drop-cart';
import type { Sale } from '../../shared/sale';
import type { OutboxRow, PosDb } from './db';

/** A fact's drop units: `${dropId}|${sku}` and `${dropId}|${memberId}` → units (none for most facts). */
interface Share {
  items: [string, number][];
  members: [string, number][];
}

export interface UnsyncedDropUnits {
  /** `${dropId}|${sku}` → units in this till's unsynced sales. */
  item: Map<string, number>;
  /** `${dropId}|${memberId}` → units a member bought in this till's unsynced sales. */
  member: Map<string, number>;
}

const NONE: Share = { items: [], members: [] };

// Per database (tests open many). An event id names one fact for ever (a ULID made on the till),
// so a remembered share never goes stale: a reset or a re-pairing only makes new ids.
const shares = new WeakMap<PosDb, Map<string, Share>>();

function bump(map: Map<string, number>, key: string, qty: number) {
  map.set(key, (map.get(key) ?? 0) + qty);
}

function shareOf(row: Pick<OutboxRow, 'type' | 'payload'>): Share {
  if (row.type !== 'sale.completed') return NONE;
  const sale = row.payload as Partial<Sale> | null;
  const items = new Map<string, number>();
  const members = new Map<string, number>();
  for (const line of sale?.lines ?? []) {
    if (!line.drop) continue;
    bump(items, itemKey(line.drop.dropId, line.sku), line.qty);
    if (sale?.memberId) bump(members, memberKey(line.drop.dropId, sale.memberId), line.qty);
  }
  return items.size === 0 ? NONE : { items: [...items], members: [...members] };
}

/**
 * Drop units in the sales still queued in the outbox or quarantined, as they stand in the
 * caller's transaction (it must include `outbox` and `quarantine`): the outbox's event ids are
 * read (keys only), and only facts not seen before are read whole. A sale the sync took out of
 * the outbox stops counting at once; after a reload every queued fact is read again.
 */
export async function unsyncedDropUnits(db: PosDb): Promise<UnsyncedDropUnits> {
  const known = shares.get(db) ?? new Map<string, Share>();
  shares.set(db, known);
  const [ids, quarantined] = await Promise.all([
    db.outbox.orderBy('eventId').keys() as Promise<string[]>,
    // Empty since the v5 upgrade put its rows back in the outbox; read whole, as before.
    db.quarantine.toArray(),
  ]);
  // Taken before the next await: a concurrent caller may forget facts this snapshot still holds.
  const found = ids.map((id) => known.get(id));
  const unseen = ids.filter((_, i) => found[i] === undefined);
  const read = new Map<string, Share>();
  if (unseen.length > 0) {
    const rows =
      unseen.length === ids.length
        ? await db.outbox.toArray() // first read since the till opened: every fact
        : await db.outbox.where('eventId').anyOf(unseen).toArray();
    for (const row of rows) {
      const share = shareOf(row);
      read.set(row.eventId, share);
      known.set(row.eventId, share);
    }
  }
  const queued = new Set(ids);
  for (const id of known.keys()) if (!queued.has(id)) known.delete(id); // synced, or gone
  const out: UnsyncedDropUnits = { item: new Map(), member: new Map() };
  const count = (share: Share) => {
    for (const [key, qty] of share.items) bump(out.item, key, qty);
    for (const [key, qty] of share.members) bump(out.member, key, qty);
  };
  for (const [i, id] of ids.entries()) count(found[i] ?? read.get(id) ?? NONE);
  for (const row of quarantined) count(shareOf(row));
  return out;
}
