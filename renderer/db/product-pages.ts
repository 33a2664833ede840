// The catalog as stored: products grouped into pages by a hash of their SKU, so 50k products are ~1k IndexedDB records, not 50k.
import type { PosDb, ProductPage, ProductRow } from './db';

/**
 * Pages the catalog is spread over. A record costs the writer a fixed ~0.1 ms (clone, key, the
 * backend's write) whatever its size: fewer records make a snapshot fast. A delta rewrites
 * every page it touches whole: smaller pages keep a delta of 100 changes a few thousand products.
 * 1,024 pages hold ~50 products each at 50k SKUs, ~200 at 200k.
 */
export const PAGE_COUNT = 1_024;
/** Pages written per transaction in a full replace: each commit is short, so a sale or a tile read never waits long. */
const PAGES_PER_WRITE = 128;

/** The page a SKU lives on: FNV-1a of its UTF-16 code units (the bench's delta probe repeats it). */
export function pageOf(sku: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sku.length; i++) {
    h ^= sku.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % PAGE_COUNT;
}

function byPage(rows: readonly ProductRow[]): Map<number, ProductRow[]> {
  const pages = new Map<number, ProductRow[]>();
  for (const row of rows) {
    const page = pageOf(row.sku);
    const list = pages.get(page);
    if (list) list.push(row);
    else pages.set(page, [row]);
  }
  return pages;
}

/** Pages a put reads and writes per step: see `putProducts`. */
const PAGES_PER_STEP = 16;

/**
 * Put (insert or replace) products into their pages: only the pages they touch are read and
 * written. Returns how many were new. Run it inside a transaction on `productPages`, or alone.
 * The pages go in steps, every step's read asked for at once: while this thread merges and
 * writes one step's pages, IndexedDB is already reading the next (a delta of 100 changes
 * touches ~100 pages, and one read then one write of all of them left each side idle in turn).
 */
export async function putProducts(db: PosDb, rows: readonly ProductRow[]): Promise<number> {
  const pages = byPage(rows);
  const keys = [...pages.keys()];
  const steps: number[][] = [];
  for (let i = 0; i < keys.length; i += PAGES_PER_STEP)
    steps.push(keys.slice(i, i + PAGES_PER_STEP));
  const added = await Promise.all(
    steps.map(async (step) => {
      const stored = await db.productPages.bulkGet(step);
      let n = 0;
      const next = step.map((page, i): ProductPage => {
        const bySku = new Map((stored[i]?.rows ?? []).map((r) => [r.sku, r]));
        for (const row of pages.get(page) ?? []) {
          if (!bySku.has(row.sku)) n++;
          bySku.set(row.sku, row);
        }
        return { page, rows: [...bySku.values()] };
      });
      await db.productPages.bulkPut(next);
      return n;
    }),
  );
  return added.reduce((a, b) => a + b, 0);
}

/** Every page of a catalog made of exactly `rows` (empty pages too, so nothing older survives). */
export function pagesOf(rows: readonly ProductRow[]): ProductPage[] {
  const pages = byPage(rows);
  return Array.from({ length: PAGE_COUNT }, (_, page) => ({ page, rows: pages.get(page) ?? [] }));
}

/**
 * Replace the whole catalog with `rows`, in transactions of a few pages each; `written` hears
 * each group's products once it committed. Between two groups the catalog is part old, part
 * new: a caller that needs all-or-nothing (a file import) writes `pagesOf(rows)` in its own
 * transaction instead.
 */
export async function replaceProducts(
  db: PosDb,
  rows: readonly ProductRow[],
  written: (rows: ProductRow[]) => void | Promise<void>,
): Promise<void> {
  const pages = pagesOf(rows);
  for (let i = 0; i < pages.length; i += PAGES_PER_WRITE) {
    const group = pages.slice(i, i + PAGES_PER_WRITE);
    await db.productPages.bulkPut(group);
    await written(group.flatMap((p) => p.rows));
  }
}

/** Products by SKU straight from their pages (when the in-memory map cannot answer). */
export async function readProducts(
  db: PosDb,
  skus: readonly string[],
): Promise<(ProductRow | undefined)[]> {
  const keys = [...new Set(skus.map(pageOf))];
  const pages = await db.productPages.bulkGet(keys);
  const bySku = new Map<string, ProductRow>();
  for (const page of pages) for (const row of page?.rows ?? []) bySku.set(row.sku, row);
  return skus.map((sku) => bySku.get(sku));
}

/** Every product, page by page in key order (`each` gets each group once read); for warming a map or a test. */
export async function eachProductGroup(
  db: PosDb,
  each: (rows: ProductRow[]) => void | Promise<void>,
  pagesPerRead = PAGES_PER_WRITE,
): Promise<void> {
  for (let from = 0; from < PAGE_COUNT; from += pagesPerRead) {
    const pages = await db.productPages
      .where('page')
      .between(from, from + pagesPerRead)
      .toArray();
    await each(pages.flatMap((p) => p.rows));
  }
}

/** Every product (tests, exports): one read of every page. */
export async function allProducts(db: PosDb): Promise<ProductRow[]> {
  return (await db.productPages.toArray()).flatMap((p) => p.rows);
}
