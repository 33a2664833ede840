// Loading a catalog snapshot into the till and looking products up by barcode, SKU, words or category.
import { type Catalog, catalogSchema } from '../../shared/catalog';
import type { PosDb, ProductRow } from './db';

const CHUNK = 2_000;

/** Lower-case words a product can be found by: words of its name and its SKU. */
export function searchWords(name: string, sku: string): string[] {
  const words = `${name} ${sku.replace(/[-_]/g, ' ')}`.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return [...new Set([...words.filter((w) => w.length > 0), sku.toLowerCase()])];
}

export type LoadResult = { ok: true; productCount: number } | { ok: false; message: string };

/**
 * Replace the local catalog with a snapshot (demo file, imported file, later the ledger).
 * Validated first; written in chunks inside one transaction so a bad or interrupted load changes nothing.
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
  await db.transaction(
    'rw',
    [db.products, db.stock, db.staff, db.taxClasses, db.settings],
    async () => {
      await db.products.clear();
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db.products.bulkPut(rows.slice(i, i + CHUNK));
        onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
      }
      if (catalog.stock) {
        await db.stock.clear();
        await db.stock.bulkPut(Object.entries(catalog.stock).map(([sku, qty]) => ({ sku, qty })));
      }
      await db.staff.clear();
      await db.staff.bulkPut(catalog.staff);
      await db.taxClasses.clear();
      await db.taxClasses.bulkPut(catalog.taxClasses);
      await db.settings.put({ key: 'store', value: catalog.store });
      await db.settings.put({
        key: 'catalog',
        value: { source, loadedAt: new Date().toISOString(), productCount: rows.length },
      });
    },
  );
  return { ok: true, productCount: rows.length };
}

/** The active product a scanned or typed code stands for: a barcode first, then an exact SKU. */
export async function findByCode(db: PosDb, code: string): Promise<ProductRow | undefined> {
  const c = code.trim();
  if (c === '') return undefined;
  // Scanners send a UPC-A either as its 12 digits or as the same code in EAN-13 form (leading 0).
  const forms = /^\d{12}$/.test(c) ? [c, `0${c}`] : /^0\d{12}$/.test(c) ? [c, c.slice(1)] : [c];
  const byBarcode = await db.products.where('barcodes').anyOf(forms).first();
  if (byBarcode?.active) return byBarcode;
  const bySku = await db.products.get(c.toUpperCase());
  return bySku?.active ? bySku : undefined;
}

/** Type-ahead: products whose words start with every word typed, best (name-prefix) first. */
export async function searchProducts(db: PosDb, query: string, limit = 40): Promise<ProductRow[]> {
  const q = query.trim().toLowerCase();
  const terms = q.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (terms.length === 0) return [];
  // Walk the index from the longest word typed: "pin-grn-004140" starts at "004140", not at every "pin".
  const lead = terms.reduce((a, b) => (b.length > a.length ? b : a));
  const rest = terms.filter((t) => t !== lead);
  const seen = new Set<string>();
  const found: ProductRow[] = [];
  const consider = (p: ProductRow) => {
    if (seen.has(p.sku) || !p.active) return;
    seen.add(p.sku);
    if (rest.every((t) => p.words.some((w) => w.startsWith(t)))) found.push(p);
  };
  // A whole SKU typed: found at once by primary key (not through the words index, where a
  // one-word query like "red" would pull every red product).
  const typed = query.trim();
  for (const p of await db.products.bulkGet([...new Set([typed, typed.toUpperCase()])]))
    if (p) consider(p);
  // One getAll over the index range (a cursor visiting row by row is several times slower in Chromium).
  for (const p of await db.products
    .where('words')
    .startsWith(lead)
    .limit(limit * 5)
    .toArray())
    consider(p);
  // An exact SKU first, then names that start with what was typed, then the rest by name.
  const rank = (p: ProductRow) =>
    p.sku.toLowerCase() === q ? 0 : p.name.toLowerCase().startsWith(q) ? 1 : 2;
  found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return found.slice(0, limit);
}

/**
 * Category names, alphabetical. Hops from one category to the next in the index
 * (one short cursor per category) instead of walking every product's entry.
 */
export async function listCategories(db: PosDb): Promise<string[]> {
  const out: string[] = [];
  let row = await db.products.orderBy('category').first();
  while (row) {
    out.push(row.category);
    row = await db.products.where('category').above(row.category).first();
  }
  return out;
}

export async function productsInCategory(
  db: PosDb,
  category: string,
  limit = 120,
): Promise<ProductRow[]> {
  const rows = await db.products.where('category').equals(category).limit(limit).toArray();
  return rows.filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name));
}
