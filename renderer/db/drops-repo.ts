// Reading what the drop rules need from IndexedDB: drops, this till's allotments, progress, members, and unsynced drop sales (unsynced-drop-units.ts) and returns.
import { type DropFacts, itemKey, memberKey } from '../../shared/drop-cart';
import type { Allotment, Drop, DropProgress, MemberPurchase } from '../../shared/drops';
import { contactHash, type Member } from '../../shared/members';
import { regionOfLocale } from '../../shared/phone-number';
import type { SaleReturn } from '../../shared/returns/return-fact';
import { productReadTables, productsBySku } from './catalog-repo';
import { getSetting, type PosDb } from './db';
import { unsyncedDropUnits } from './unsynced-drop-units';

export { itemKey, memberKey };

/** Everything the drop rules read, loaded in one go so a live query (or a sale's transaction) sees one consistent state. */
export interface DropData extends DropFacts {
  drops: Drop[];
  /** `${dropId}|${sku}` → units this till holds in escrow, as of the last pull. */
  allotments: Map<string, number>;
  /** `${dropId}|${sku}` → units sold across all tills, as of the last pull. */
  sold: Map<string, number>;
  /** `${dropId}|${sku}` → units in this till's sales the ledger has not stored yet. */
  unsyncedItem: Map<string, number>;
  /** `${dropId}|${memberId}` → units the member bought, at the ledger plus unsynced here. */
  boughtByMember: Map<string, number>;
  /** Shelf price and name of every product in a drop. */
  products: Map<string, { name: string; price: number; taxClassId: string }>;
}

function bump(map: Map<string, number>, key: string, qty: number) {
  map.set(key, (map.get(key) ?? 0) + qty);
}

/**
 * Resaleable drop units of returns not yet at the ledger, per drop item. The ledger puts them back
 * in the returning till's allotment while the drop runs (docs/sync-rules.md, Returns): this till
 * counts them back the same way before they sync. The drop of a line is read from the sale (this
 * till's own or the pulled index); a line whose sale this till does not hold counts when it syncs.
 */
async function unsyncedReturnedUnits(
  db: PosDb,
  drops: readonly Drop[],
): Promise<Map<string, number>> {
  const back = new Map<string, number>();
  const queued = await db.outbox.where('type').equals('sale.returned').toArray();
  if (queued.length === 0) return back;
  const running = new Map(drops.filter((d) => d.status === 'scheduled').map((d) => [d.id, d]));
  for (const row of queued) {
    const r = row.payload as SaleReturn;
    const sale = (await db.sales.get(r.saleId)) ?? (await db.storeSales.get(r.saleId));
    for (const l of r.lines ?? []) {
      const drop = sale?.lines[l.lineNo - 1]?.drop;
      const live = drop ? running.get(drop.dropId) : undefined;
      if (!drop || !live || l.condition !== 'resaleable' || r.createdAt >= live.endsAt) continue;
      bump(back, itemKey(drop.dropId, l.sku), l.qty);
    }
  }
  return back;
}

/** Tables `loadDropData` reads (for transactions that call it, such as a sale's commit). */
export const dropReadTables = (db: PosDb) => [
  db.sales,
  db.storeSales,
  db.drops,
  db.allotments,
  db.dropProgress,
  db.memberPurchases,
  db.outbox,
  db.quarantine,
  db.members,
  ...productReadTables(db),
];

function noDropData(): DropData {
  return {
    drops: [],
    allotments: new Map(),
    sold: new Map(),
    unsyncedItem: new Map(),
    boughtByMember: new Map(),
    products: new Map(),
  };
}

export async function loadDropData(db: PosDb): Promise<DropData> {
  const drops = await db.drops.toArray();
  // No drop, no rule to count for: nothing else is read, so a live query of this data (the sell
  // and pay screens keep one) wakes only when drops arrive, and costs one read when it mounts.
  if (drops.length === 0) return noDropData();
  const [allotments, progress, purchases] = await Promise.all([
    db.allotments.toArray() as Promise<Allotment[]>,
    db.dropProgress.toArray() as Promise<DropProgress[]>,
    db.memberPurchases.toArray() as Promise<MemberPurchase[]>,
  ]);
  const data: DropData = {
    drops,
    allotments: new Map(allotments.map((a) => [itemKey(a.dropId, a.sku), a.qty])),
    sold: new Map(progress.map((p) => [itemKey(p.dropId, p.sku), p.sold])),
    unsyncedItem: new Map(),
    boughtByMember: new Map(purchases.map((p) => [memberKey(p.dropId, p.memberId), p.qty])),
    products: new Map(),
  };
  const skus = [...new Set(drops.flatMap((d) => d.items.map((i) => i.sku)))];
  const [rows, unsynced, returned] = await Promise.all([
    productsBySku(db, skus),
    unsyncedDropUnits(db),
    unsyncedReturnedUnits(db, drops),
  ]);
  for (const p of rows) {
    if (p) data.products.set(p.sku, { name: p.name, price: p.price, taxClassId: p.taxClassId });
  }
  for (const [key, qty] of returned) bump(data.unsyncedItem, key, -qty);
  for (const [key, qty] of unsynced.item) bump(data.unsyncedItem, key, qty);
  for (const [key, qty] of unsynced.member) bump(data.boughtByMember, key, qty);
  return data;
}

export type MemberLookup =
  | { ok: true; member: Member }
  | { ok: false; code: 'not-found' | 'inactive'; message: string };

/**
 * A member by id (what their QR carries), phone number or e-mail (compared as hashes keyed with
 * the store's member key from the last pull; the phone read in the store's country).
 */
export async function findMember(db: PosDb, storeId: string, text: string): Promise<MemberLookup> {
  const typed = text.trim();
  let member: Member | undefined;
  if (/^M[0-9A-Z]{4,26}$/i.test(typed)) member = await db.members.get(typed.toUpperCase());
  const key = await getSetting(db, 'memberKey');
  if (!member && typed && key) {
    const region = regionOfLocale((await getSetting(db, 'store'))?.locale ?? '');
    const hash = await contactHash(key, storeId, typed, region);
    member =
      (await db.members.where('phoneHash').equals(hash).first()) ??
      (await db.members.where('emailHash').equals(hash).first());
  }
  if (!member) {
    return {
      ok: false,
      code: 'not-found',
      message: `No member found for “${typed}”. Check the number or e-mail, or sync and try again.`,
    };
  }
  if (!member.active) {
    return { ok: false, code: 'inactive', message: `${member.name}'s membership is not active.` };
  }
  return { ok: true, member };
}
