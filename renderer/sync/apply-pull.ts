// Writing a pull into IndexedDB: catalog in relaxed chunks announced to the till's in-memory map, stock net of unsynced sales, drops, promos and returns data side by side, then the cursor.
import { type PullResponse, RETURNED_WINDOW_DAYS } from '../../shared/sync';
import { searchWords } from '../db/catalog-repo';
import { catalogWriter } from '../db/catalog-writes';
import { announceProducts } from '../db/code-map';
import { getSetting, type OutboxRow, type PosDb, type ProductRow, type SyncState } from '../db/db';
import { putProducts, replaceProducts } from '../db/product-pages';
import { adjustStock, setStock, stockGroups } from '../db/stock-levels';
import { applyDropsAndPromos } from './apply-drops';

// Products of a delta per transaction, and per announcement to the UI's map.
const CHUNK = 1_000;

export const idleSync: SyncState = {
  cursor: null,
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastError: null,
  needsEnrolment: false,
  snapshot: null,
  nextAttemptAt: null,
  problem: null,
};

/**
 * Change the sync status the screen shows. Relaxed unless the cursor changes: the rest is status,
 * not a fact, and the next strict commit (the pull's last transaction) flushes it anyway.
 */
export async function updateSync(db: PosDb, patch: Partial<SyncState>): Promise<SyncState> {
  const w = 'cursor' in patch ? db : catalogWriter(db);
  return w.transaction('rw', w.settings, async () => {
    const next = { ...((await getSetting(w, 'sync')) ?? idleSync), ...patch };
    await w.settings.put({ key: 'sync', value: next });
    return next;
  });
}

function toRow(p: PullResponse['products'][number]): ProductRow {
  return { ...p, words: searchWords(p.name, p.sku) };
}

/**
 * Units per SKU a fact takes off the shelf: a sale's lines, and — negative — the resaleable lines
 * of a return (they went back on the shelf). A damaged fact (still waiting, or rejected) counts
 * what can be read.
 */
export function saleUnits(row: OutboxRow): Map<string, number> {
  const units = new Map<string, number>();
  if (row.type !== 'sale.completed' && row.type !== 'sale.returned') return units;
  const sign = row.type === 'sale.returned' ? -1 : 1;
  const lines = (row.payload as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return units;
  for (const line of lines as { sku?: unknown; qty?: unknown; condition?: unknown }[]) {
    if (typeof line?.sku !== 'string' || !Number.isSafeInteger(line.qty)) continue;
    if (sign < 0 && line.condition !== 'resaleable') continue;
    units.set(line.sku, (units.get(line.sku) ?? 0) + sign * (line.qty as number));
  }
  return units;
}

/**
 * Units of each SKU in sales (less resaleable returns) the ledger's stock does not count yet:
 * those still queued. A fact the ledger rejected is not among them: it has judged it, and its
 * level is the truth.
 */
async function unsyncedUnits(db: PosDb): Promise<Map<string, number>> {
  const pending = new Map<string, number>();
  await db.outbox
    .where('type')
    .anyOf(['sale.completed', 'sale.returned'])
    .each((row: OutboxRow) => {
      for (const [sku, qty] of saleUnits(row)) pending.set(sku, (pending.get(sku) ?? 0) + qty);
    });
  return pending;
}

/**
 * A sale the ledger judged without applying it leaves "unsynced": put its units back on the
 * local count, which the ledger's level never lost (a delta pull need not mention that SKU);
 * a rejected return's resaleable units come off it again.
 * Call inside a transaction that also moves the fact out of the outbox.
 */
export async function returnUnitsOf(db: PosDb, row: OutboxRow): Promise<void> {
  // Only SKUs the till has a level for: the ledger's level arrives with the next pull otherwise.
  await adjustStock(db, saleUnits(row), true);
}

/**
 * What returns need offline: other tills' recent sales (kept RETURNED_WINDOW_DAYS days, the
 * longest return window, so a receipt of any till is found without the ledger), and the store's
 * returned units and credit-note balances, each replaced whole (the ledger sends them whole).
 */
export async function applyReturnsData(db: PosDb, pull: PullResponse, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - RETURNED_WINDOW_DAYS * 86_400_000).toISOString();
  const device = await getSetting(db, 'device');
  // Relaxed: all of it comes again from the ledger if lost (the cursor moves strictly after it).
  const w = catalogWriter(db);
  await w.transaction('rw', [w.storeSales, w.returnedLines, w.creditNotes], async () => {
    const sales = pull.storeSales.filter(
      (s) => s.deviceId !== device?.deviceId && s.createdAt >= cutoff,
    );
    // A receipt number held by another id (a till enrolled again under its old prefix): the newer sale wins.
    const clash = pull.full
      ? []
      : await w.storeSales
          .where('receiptNumber')
          .anyOf(sales.map((s) => s.receiptNumber))
          .toArray();
    const ids = new Set(sales.map((s) => s.id));
    // IndexedDB carries out a transaction's requests in the order they are made: issued together,
    // they cost one wait instead of one each.
    await Promise.all([
      ...(pull.full ? [w.storeSales.clear()] : []),
      w.storeSales.bulkDelete(clash.filter((c) => !ids.has(c.id)).map((c) => c.id)),
      w.storeSales.bulkPut(sales),
      w.storeSales.where('createdAt').below(cutoff).delete(),
      w.returnedLines.clear(),
      w.returnedLines.bulkPut(
        pull.returnedLines.map((l) => ({ saleId: l.saleId, lineNo: l.lineNo, qty: l.qty })),
      ),
      w.creditNotes.clear(),
      w.creditNotes.bulkPut(pull.creditNotes),
    ]);
  });
}

/**
 * Write a pull. The catalog, the stock (after the outbox lets go of what the ledger holds), the
 * drop and promo data and the returns data go to different tables, so they are written side by
 * side (IndexedDB runs transactions on different tables at once); the cursor moves last, once
 * every one of them has committed.
 */
export async function applyPull(db: PosDb, pull: PullResponse, now = new Date()): Promise<void> {
  const total = pull.products.length;
  if (pull.full) await updateSync(db, { snapshot: { done: 0, total } });
  const [added] = await Promise.all([
    applyProducts(db, pull),
    applyStock(db, pull),
    applyDropsAndPromos(db, pull),
    applyReturnsData(db, pull, now),
  ]);

  await db.transaction('rw', [db.staff, db.taxClasses, db.settings], async () => {
    const [catalog, sync, store, memberKey, taxClasses, staff] = await Promise.all([
      getSetting(db, 'catalog'),
      getSetting(db, 'sync'),
      getSetting(db, 'store'),
      getSetting(db, 'memberKey'),
      db.taxClasses.toArray(),
      db.staff.toArray(),
    ]);
    const before = catalog?.productCount ?? 0;
    const active = pull.staff.filter((s) => s.active).map(({ active: _a, ...s }) => s);
    const gone = pull.staff.filter((s) => !s.active).map((s) => s.id);
    // What a delta repeats unchanged (the store, its tax classes and staff come with every pull)
    // is not written again: each write wakes every screen's live query of it.
    const changed = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    const staffById = new Map(staff.map((s) => [s.id, s]));
    const taxById = new Map(taxClasses.map((t) => [t.id, t]));
    const newStaff = active.filter((s) => pull.full || changed(staffById.get(s.id), s));
    const newTax = pull.taxClasses.filter((t) => pull.full || changed(taxById.get(t.id), t));
    const leaving = gone.filter((id) => pull.full || staffById.has(id));
    await Promise.all([
      ...(pull.full ? [db.staff.clear(), db.taxClasses.clear()] : []),
      ...(newTax.length > 0 ? [db.taxClasses.bulkPut(newTax)] : []),
      ...(newStaff.length > 0 ? [db.staff.bulkPut(newStaff)] : []),
      ...(leaving.length > 0 ? [db.staff.bulkDelete(leaving)] : []),
      ...(pull.store && changed(store, pull.store)
        ? [db.settings.put({ key: 'store', value: pull.store })]
        : []),
      ...(pull.memberKey && changed(memberKey, pull.memberKey)
        ? [db.settings.put({ key: 'memberKey', value: pull.memberKey })]
        : []),
      db.settings.put({
        key: 'catalog',
        value: {
          source: 'ledger',
          loadedAt: now.toISOString(),
          productCount: pull.full ? total : before + added,
        },
      }),
      // The cursor moves last: a pull cut short by a crash is simply pulled again.
      db.settings.put({
        key: 'sync',
        value: {
          ...(sync ?? idleSync),
          cursor: pull.cursor,
          snapshot: null,
          lastSuccessAt: now.toISOString(),
          lastError: null,
          problem: null,
          needsEnrolment: false,
        },
      }),
    ]);
  });
}

/** The pull's products into their pages, each step announced to the UI's map; how many are new. */
async function applyProducts(db: PosDb, pull: PullResponse): Promise<number> {
  const total = pull.products.length;
  // Relaxed durability: a page lost to a power cut is pulled again (the cursor moves after it, strictly).
  const writer = catalogWriter(db);
  if (pull.full) {
    // Every page is rewritten whole, a group of pages per transaction, each group announced to
    // the in-memory map once it committed; what the snapshot left out is gone with its page.
    const rows = pull.products.map(toRow);
    let done = 0;
    await replaceProducts(writer, rows, async (written) => {
      // In messages of CHUNK rows: the UI thread takes each message in one task.
      for (let i = 0; i < written.length; i += CHUNK)
        announceProducts(db, { type: 'put', rows: written.slice(i, i + CHUNK) });
      done += written.length;
      await updateSync(db, { snapshot: { done, total } });
    });
    announceProducts(db, { type: 'keep-only', skus: rows.map((r) => r.sku) });
    return 0;
  }
  // Count new SKUs in a delta as they arrive: counting the whole table costs a full read in Chromium.
  let added = 0;
  for (let i = 0; i < total; i += CHUNK) {
    const rows = pull.products.slice(i, i + CHUNK).map(toRow);
    // Only the pages these products live on are read and rewritten.
    added += await writer.transaction('rw', writer.productPages, () => putProducts(writer, rows));
    announceProducts(db, { type: 'put', rows });
  }
  return added;
}

/**
 * Facts the ledger already holds leave the queue (even if their push answer was lost), then the
 * levels. Both relaxed: the cursor's strict commit after them flushes them to disk with it, and a
 * fact kept by a crash before it is pushed again and answered as a duplicate.
 */
async function applyStock(db: PosDb, pull: PullResponse): Promise<void> {
  const writer = catalogWriter(db);
  await writer.outbox.where('seq').belowOrEqual(pull.watermark).delete();
  // Stock in groups of pages, each with the unsynced units read in the same transaction as its
  // write: a sale committed between two groups is then never overwritten nor counted twice.
  // Only pages whose levels change are written.
  const levels = new Map(pull.stock.map((s) => [s.sku, s.qty]));
  for (const group of stockGroups(levels)) {
    await writer.transaction('rw', [writer.stockPages, writer.outbox], async () => {
      const pending = await unsyncedUnits(writer);
      const net = [...group].map(([sku, qty]): [string, number] => [
        sku,
        qty - (pending.get(sku) ?? 0),
      ]);
      await setStock(writer, new Map(net));
    });
  }
}
