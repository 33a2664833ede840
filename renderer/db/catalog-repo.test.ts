// Finding products the way a cashier types or scans them, against a real IndexedDB implementation.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findByCode, listCategories, loadCatalog, searchProducts } from './catalog-repo';
import { openPosDb, type PosDb } from './db';

const demo = JSON.parse(readFileSync('assets/demo-catalog.json', 'utf8'));
let db: PosDb;

beforeAll(async () => {
  db = openPosDb('catalog-repo-test');
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
});
afterAll(() => db.delete());

describe('searchProducts', () => {
  it('puts the product whose whole SKU was typed first', async () => {
    const found = await searchProducts(db, 'TEE-LOGO-BLK-S');
    expect(found[0]?.sku).toBe('TEE-LOGO-BLK-S');
  });

  it('matches every word typed, each as the start of a word', async () => {
    const found = await searchProducts(db, 'logo tee bl');
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      for (const t of ['logo', 'tee', 'bl'])
        expect(p.words.some((w) => w.startsWith(t))).toBe(true);
    }
  });

  it('never offers a product that is no longer sold', async () => {
    const inactive = demo.products.find((p: { active: boolean }) => !p.active);
    const found = await searchProducts(db, inactive.sku);
    expect(found.map((p) => p.sku)).not.toContain(inactive.sku);
    expect(await findByCode(db, inactive.barcodes[0])).toBeUndefined();
  });
});

describe('catalog browsing', () => {
  it('lists each category once, alphabetically', async () => {
    const expected = [
      ...new Set(demo.products.map((p: { category: string }) => p.category)),
    ].sort();
    expect(await listCategories(db)).toEqual(expected);
  });

  it('finds a UPC-A product whether the scanner sends 12 digits or the 13-digit EAN form', async () => {
    const withUpc = demo.products.find(
      (p: { barcodes: string[]; active: boolean }) =>
        p.active && p.barcodes.some((b) => b.length === 12),
    );
    const upc = withUpc.barcodes.find((b: string) => b.length === 12);
    expect((await findByCode(db, upc))?.sku).toBe(withUpc.sku);
    expect((await findByCode(db, `0${upc}`))?.sku).toBe(withUpc.sku);
  });
});
