// A till updated from v8 (a row per product and per stock level) opens with the same catalog and stock, now kept in pages.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import Dexie from 'dexie';
import { afterEach, expect, it } from 'vitest';
import { findByCode, listCategories, searchProducts } from './catalog-repo';
import { openPosDb, type PosDb, type ProductRow } from './db';
import { allProducts } from './product-pages';
import { stockLevel } from './stock-levels';

const demo = JSON.parse(readFileSync('assets/demo-catalog.json', 'utf8'));
const name = `catalog-upgrade-${process.pid}`;
let db: PosDb | undefined;

afterEach(async () => {
  await db?.delete();
});

it('scans, searches and shows stock for every product the old tables held, and nothing else', async () => {
  // The database as version 8 of the app left it (only the tables this upgrade touches).
  const old = new Dexie(name);
  old.version(8).stores({ settings: 'key', products: 'sku, category', stock: 'sku' });
  const rows: ProductRow[] = demo.products.map((p: ProductRow) => ({
    ...p,
    words: `${p.name} ${p.sku}`.toLowerCase().split(/[^\p{L}\p{N}]+/u),
  }));
  await old.table('products').bulkPut(rows);
  await old.table('stock').bulkPut(rows.map((r, i) => ({ sku: r.sku, qty: i + 1 })));
  old.close();

  db = openPosDb(name);
  expect((await allProducts(db)).map((p) => p.sku).sort()).toEqual(rows.map((r) => r.sku).sort());
  const tee = rows.find((r) => r.active && r.barcodes.length > 0)!;
  expect((await findByCode(db, tee.barcodes[0]!))?.sku).toBe(tee.sku);
  expect((await searchProducts(db, tee.sku)).map((p) => p.sku)).toContain(tee.sku);
  expect(await listCategories(db)).toEqual([...new Set(rows.map((r) => r.category))].sort());
  for (const [i, r] of rows.entries()) expect(await stockLevel(db, r.sku), r.sku).toBe(i + 1);
  expect(db.tables.map((t) => t.name)).not.toContain('products');
  expect(db.tables.map((t) => t.name)).not.toContain('stock');
});
