// Loading a catalog snapshot into the till and looking products up by barcode, SKU, words or category.
import { type Catalog, catalogSchema } from '../../shared/catalog';
import { leadTerm, matchProducts, searchTerms } from '../search/product-search';
import { catalogWriter } from './catalog-writes';
import { announceCatalogReplaced, type CodeMap, readyCodeMap, warmCodeMap } from './code-map';
import type { PosDb, ProductRow } from './db';
import { allProducts, pagesOf, readProducts } from './product-pages';
import { stockPagesOf } from './stock-levels';

/** Lower-case words a product can be found by: words of its name and its SKU. */
export function searchWords(name: string, sku: string): string[] {
  const words = `${name} ${sku.replace(/[-_]/g, ' ')}`.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return [...new Set([...words.filter((w) => w.length > 0), sku.toLowerCase()])];
}

export type LoadResult = { ok: true; productCount: number } | { ok: false; message: string };

/**
 * Replace the local catalog with a snapshot (demo file, imported file, later the ledger).
 * Validated first; written in chunks inside one transaction so a bad or interrupted load changes nothing.
 * Relaxed durability (catalogWriter): the file can be loaded again; sales never go through it.
 */
export async function loadCatalog(
  db: PosDb,
  input: unknown,
  source: string,
  onProgress?: (done: number, total: number) => void,
): Promise<LoadResult> {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `This catalog file is not valid: ${issue?.path.join('.') || 'file'} — ${issue?.message ?? 'unknown problem'}`,
    };
  }
  const catalog: Catalog = parsed.data;
  const rows: ProductRow[] = catalog.products.map((p) => ({
    ...p,
    words: searchWords(p.name, p.sku),
  }));
  const w = catalogWriter(db);
  const pages = pagesOf(rows);
  const stock = catalog.stock ? stockPagesOf(Object.entries(catalog.stock)) : null;
  await w.transaction(
    'rw',
    [w.productPages, w.stockPages, w.staff, w.taxClasses, w.settings],
    async () => {
      // Every page is written (empty ones too), so no product of the old catalog survives.
      await w.productPages.bulkPut(pages);
      onProgress?.(rows.length, rows.length);
      if (stock) await w.stockPages.bulkPut(stock);
      await w.staff.clear();
      await w.staff.bulkPut(catalog.staff);
      await w.taxClasses.clear();
      await w.taxClasses.bulkPut(catalog.taxClasses);
      await w.settings.put({ key: 'store', value: catalog.store });
      await w.settings.put({
        key: 'catalog',
        value: { source, loadedAt: new Date().toISOString(), productCount: rows.length },
      });
    },
  );
  announceCatalogReplaced(db);
  return { ok: true, productCount: rows.length };
}

/** The active product a scanned or typed code stands for: a barcode first, then an exact SKU. */
export async function findByCode(db: PosDb, code: string): Promise<ProductRow | undefined> {
  const c = code.trim();
  if (c === '') return undefined;
  // From memory: a scan never queues behind a sync's transaction (only, once, behind the warm-up).
  const map = await warmCodeMap(db);
  if (map) return map.find(c);
  // Scanners send a UPC-A either as its 12 digits or as the same code in EAN-13 form (leading 0).
  const forms = /^\d{12}$/.test(c) ? [c, `0${c}`] : /^0\d{12}$/.test(c) ? [c, c.slice(1)] : [c];
  const byBarcode = (await allProducts(db)).find((p) => p.barcodes.some((b) => forms.includes(b)));
  if (byBarcode?.active) return byBarcode;
  const [bySku] = await readProducts(db, [c.toUpperCase()]);
  return bySku?.active ? bySku : undefined;
}

/** A whole SKU typed first, then products by the longest word typed, read only as far as needed. */
function* candidates(map: CodeMap, typed: string, lead: string): Generator<ProductRow> {
  const exact = map.bySkuTyped(typed);
  if (exact) yield exact;
  yield* map.withWordStarting(lead);
}

/** Type-ahead: products whose words start with every word typed, best (name-prefix) first. */
export async function searchProducts(db: PosDb, query: string, limit = 40): Promise<ProductRow[]> {
  const terms = searchTerms(query);
  if (terms.length === 0) return [];
  const map = await warmCodeMap(db);
  // Without the map (it could not be read), one read of the whole table.
  if (!map) return matchProducts(await allProducts(db), query, limit);
  return matchProducts(candidates(map, query.trim(), leadTerm(terms)), query, limit, limit * 5);
}

/** Category names, alphabetical, from the in-memory map (the pages when it cannot be read). */
export async function listCategories(db: PosDb): Promise<string[]> {
  const map = await warmCodeMap(db);
  if (map) return map.categories();
  return [...new Set((await allProducts(db)).map((p) => p.category))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
}

/** Active products of a category by name, at most `limit`, from the in-memory map. */
export async function productsInCategory(
  db: PosDb,
  category: string,
  limit = 120,
): Promise<ProductRow[]> {
  const map = await warmCodeMap(db);
  if (map) return map.inCategory(category, limit);
  return (await allProducts(db))
    .filter((p) => p.category === category && p.active)
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
}

/**
 * Products by SKU for code that runs inside a transaction (a sale's drop and promo checks): from
 * the map when it is warm (nothing to wait for), else from the pages; `productReadTables` names
 * the table a transaction must then include.
 */
export function productsBySku(
  db: PosDb,
  skus: readonly string[],
): Promise<(ProductRow | undefined)[]> {
  const map = readyCodeMap(db);
  if (map) return Promise.resolve(skus.map((sku) => map.get(sku)));
  return readProducts(db, skus);
}

/** The tables `productsBySku` reads: none once a map is warm, so a sale never waits behind a catalog write. */
export function productReadTables(db: PosDb) {
  return readyCodeMap(db) ? [] : [db.productPages];
}
