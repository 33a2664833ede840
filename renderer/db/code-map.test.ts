// Scanning from the in-memory product map: it answers like the database and follows every catalog change.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pullResponseSchema } from '../../shared/sync';
import { applyPull } from '../sync/apply-pull';
import { findByCode, loadCatalog, productsInCategory, searchProducts } from './catalog-repo';
import { codeMapFor } from './code-map';
import { openPosDb, type PosDb } from './db';

const demo = JSON.parse(readFileSync('assets/demo-catalog.json', 'utf8'));
const tee = demo.products.find((p: { barcodes: string[] }) => p.barcodes.length > 0);
let db: PosDb;
let n = 0;

function pull(products: unknown[], full = false) {
  return pullResponseSchema.parse({
    cursor: `c${++n}`,
    full,
    store: null,
    taxClasses: [],
    products,
    staff: [],
    stock: [],
    watermark: 0,
  });
}

beforeEach(async () => {
  db = openPosDb(`code-map-${process.pid}-${++n}`);
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
  const map = codeMapFor(db);
  await vi.waitFor(() => expect(map.ready).toBe(true));
});
afterEach(() => db.delete());

describe('scanning from memory', () => {
  it('rings up the price a pull just brought', async () => {
    await applyPull(db, pull([{ ...tee, price: tee.price + 100 }]));
    expect((await findByCode(db, tee.barcodes[0]))?.price).toBe(tee.price + 100);
  });

  it('no longer finds a product a pull stopped selling, nor one a full snapshot left out', async () => {
    await applyPull(db, pull([{ ...tee, active: false }]));
    expect(await findByCode(db, tee.barcodes[0])).toBeUndefined();
    const other = demo.products.find((p: { sku: string }) => p.sku !== tee.sku);
    await applyPull(db, pull([{ ...tee, active: true }], true));
    expect((await findByCode(db, tee.barcodes[0]))?.sku).toBe(tee.sku);
    expect(await findByCode(db, other.sku)).toBeUndefined();
    expect(await searchProducts(db, other.name)).not.toContainEqual(
      expect.objectContaining({ sku: other.sku }),
    );
  });

  it('finds a new barcode and forgets the old one when a product is relabelled', async () => {
    await applyPull(db, pull([{ ...tee, barcodes: ['5391234567890'] }]));
    expect((await findByCode(db, '5391234567890'))?.sku).toBe(tee.sku);
    expect(await findByCode(db, tee.barcodes[0])).toBeUndefined();
  });

  it('searches by the new name once a pull renames a product, and no longer by the old one', async () => {
    await applyPull(db, pull([{ ...tee, name: 'Zanzibar Parka' }]));
    expect((await searchProducts(db, 'zanz'))[0]?.sku).toBe(tee.sku);
    const oldWord = tee.name.split(' ')[0].toLowerCase();
    expect(await searchProducts(db, oldWord)).not.toContainEqual(
      expect.objectContaining({ sku: tee.sku }),
    );
  });

  it('shows a new price in the category tiles and in search, found by the same words and codes', async () => {
    const tile = async () =>
      (await productsInCategory(db, tee.category, 1_000)).find((p) => p.sku === tee.sku);
    expect((await tile())?.price).toBe(tee.price); // the category's sorted tiles are cached now
    await applyPull(db, pull([{ ...tee, price: tee.price + 100 }]));
    expect((await tile())?.price).toBe(tee.price + 100);
    const word = tee.name.split(' ')[0].toLowerCase();
    const found = (await searchProducts(db, word)).find((p) => p.sku === tee.sku);
    expect(found?.price).toBe(tee.price + 100);
    expect((await findByCode(db, tee.barcodes[0]))?.price).toBe(tee.price + 100);
  });
});
