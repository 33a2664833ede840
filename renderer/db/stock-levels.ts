// The till's stock levels as stored: grouped into pages by the same SKU hash as the catalog, so a snapshot writes ~1k records, not 50k.
import type { PosDb, StockPage } from './db';
import { PAGE_COUNT, pageOf } from './product-pages';

/** Pages a full replace writes per transaction: each commit is short, so a sale never waits long behind it. */
const PAGES_PER_WRITE = 128;

/** The tables a caller's transaction must name to read or change levels. */
export const stockTables = (db: PosDb) => [db.stockPages];

function pagesFor(skus: Iterable<string>): number[] {
  return [...new Set([...skus].map(pageOf))];
}

async function readPages(db: PosDb, keys: number[]): Promise<Map<number, StockPage>> {
  const pages = await db.stockPages.bulkGet(keys);
  return new Map(keys.map((page, i) => [page, pages[i] ?? { page, levels: {} }]));
}

/** Levels of the SKUs asked for that the till has one for. */
export async function stockLevels(
  db: PosDb,
  skus: readonly string[],
): Promise<Map<string, number>> {
  const pages = await readPages(db, pagesFor(skus));
  const out = new Map<string, number>();
  for (const sku of skus) {
    const qty = pages.get(pageOf(sku))?.levels[sku];
    if (qty !== undefined) out.set(sku, qty);
  }
  return out;
}

/** One SKU's level, or undefined when the till has none for it. */
export async function stockLevel(db: PosDb, sku: string): Promise<number | undefined> {
  return (await stockLevels(db, [sku])).get(sku);
}

/**
 * Change levels by `deltas` (units, + or −), reading and rewriting only the pages they are on.
 * A SKU with no level yet starts from 0, unless `onlyKnown` (then it is left without one).
 * Call inside a transaction on `stockPages` when the change must go with other writes (a sale).
 */
export async function adjustStock(
  db: PosDb,
  deltas: ReadonlyMap<string, number>,
  onlyKnown = false,
): Promise<void> {
  if (deltas.size === 0) return;
  await db.stockPages.bulkPut(adjusted(await stockPagesFor(db, deltas.keys()), deltas, onlyKnown));
}

/**
 * The pages holding these SKUs' levels, read for a change to follow in the same transaction
 * (`adjusted`): a sale starts this read with its other reads instead of after them.
 */
export function stockPagesFor(db: PosDb, skus: Iterable<string>): Promise<Map<number, StockPage>> {
  return readPages(db, pagesFor(skus));
}

/** The pages read by `stockPagesFor` with `deltas` applied (as `adjustStock`), ready to put. */
export function adjusted(
  pages: Map<number, StockPage>,
  deltas: ReadonlyMap<string, number>,
  onlyKnown = false,
): StockPage[] {
  for (const [sku, delta] of deltas) {
    const page = pages.get(pageOf(sku));
    if (!page) continue;
    const qty = page.levels[sku];
    if (qty === undefined && onlyKnown) continue;
    page.levels[sku] = (qty ?? 0) + delta;
  }
  return [...pages.values()];
}

/**
 * Set levels to the values given (others stay as they are); only pages where a level really
 * changes are written, so a pull that repeats what the till has writes nothing.
 */
export async function setStock(db: PosDb, levels: ReadonlyMap<string, number>): Promise<number> {
  const pages = await readPages(db, pagesFor(levels.keys()));
  const changed = new Set<StockPage>();
  for (const [sku, qty] of levels) {
    const page = pages.get(pageOf(sku));
    if (!page || page.levels[sku] === qty) continue;
    page.levels[sku] = qty;
    changed.add(page);
  }
  await db.stockPages.bulkPut([...changed]);
  return changed.size;
}

/**
 * Levels split by groups of neighbouring pages, for a big pull to set one group per transaction
 * (each short, so a sale never waits long behind it).
 */
export function stockGroups(levels: ReadonlyMap<string, number>): Map<string, number>[] {
  const groups = new Map<number, Map<string, number>>();
  for (const [sku, qty] of levels) {
    const key = Math.floor(pageOf(sku) / PAGES_PER_WRITE);
    let group = groups.get(key);
    if (!group) {
      group = new Map();
      groups.set(key, group);
    }
    group.set(sku, qty);
  }
  return [...groups.keys()].sort((x, y) => x - y).map((key) => groups.get(key)!);
}

/** Every page of exactly these levels (empty pages too): a file import replaces the stock whole. */
export function stockPagesOf(levels: Iterable<[string, number]>): StockPage[] {
  const pages = Array.from({ length: PAGE_COUNT }, (_, page): StockPage => ({ page, levels: {} }));
  for (const [sku, qty] of levels) pages[pageOf(sku)]!.levels[sku] = qty;
  return pages;
}

/** Every level the till holds (tests, checks). */
export async function allStock(db: PosDb): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const page of await db.stockPages.toArray())
    for (const [sku, qty] of Object.entries(page.levels)) out.set(sku, qty);
  return out;
}
