// Tests that the demo and benchmark catalogs are valid, unique where tills need it, and repeatable.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidGtin } from '../shared/barcode';
import { type Catalog, catalogSchema } from '../shared/catalog';
import { verifyPin } from '../shared/pin';
import { createRng } from '../shared/rng';
import {
  buildDemoCatalog,
  buildLargeCatalog,
  DEMO_SEED,
  demoStaffPins,
  serializeCatalog,
} from './catalog-data';

/** A scanner may send a UPC-A as 12 digits or as EAN-13 with a leading 0: compare as GTIN-14. */
const asGtin14 = (code: string) => code.padStart(14, '0');

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => seen.has(v) || !seen.add(v));
}

let demo: Catalog;
beforeAll(async () => {
  demo = await buildDemoCatalog(createRng(DEMO_SEED));
});

describe('demo catalog', () => {
  it('is a valid catalog for the Northside Pop-Up in euro', () => {
    const parsed = catalogSchema.parse(demo);
    expect(parsed.store).toMatchObject({
      name: 'Northside Pop-Up',
      currency: 'EUR',
      cashRounding: 5,
    });
    expect(parsed.taxClasses.map((t) => [t.id, t.ratePpm])).toEqual([
      ['standard', 230_000],
      ['reduced', 135_000],
    ]);
  });

  it('has at least 200 active products over several categories, some of them drops', () => {
    const active = demo.products.filter((p) => p.active);
    expect(active.length).toBeGreaterThanOrEqual(200);
    expect(new Set(active.map((p) => p.category)).size).toBeGreaterThanOrEqual(6);
    expect(demo.products.filter((p) => p.drop).length).toBeGreaterThanOrEqual(5);
  });

  it('gives every product a valid EAN-13 first and never reuses a barcode or SKU', () => {
    const codes = demo.products.flatMap((p) => p.barcodes);
    expect(codes.filter((c) => !isValidGtin(c))).toEqual([]);
    expect(demo.products.filter((p) => p.barcodes[0]?.length !== 13)).toEqual([]);
    expect(repeated(codes.map(asGtin14))).toEqual([]);
    expect(repeated(demo.products.map((p) => p.sku))).toEqual([]);
    expect(codes.filter((c) => c.length === 12).length).toBeGreaterThanOrEqual(10);
  });

  it('prices every product as a positive whole number of cents that ends like a shelf price', () => {
    const odd = demo.products.filter(
      (p) => !Number.isSafeInteger(p.price) || p.price <= 0 || ![0, 5, 9].includes(p.price % 10),
    );
    expect(odd).toEqual([]);
  });

  it('only uses tax classes it defines', () => {
    const ids = new Set(demo.taxClasses.map((t) => t.id));
    expect(demo.products.filter((p) => !ids.has(p.taxClassId))).toEqual([]);
  });

  it('lets each demo staff member in with their README PIN, and not with a wrong one', async () => {
    expect(demo.staff.map((s) => s.id)).toEqual(['staff-aoife', 'staff-cian', 'staff-niamh']);
    for (const { id, pin } of demoStaffPins) {
      const staff = demo.staff.find((s) => s.id === id)!;
      expect(await verifyPin(pin, staff.pinHash), `${id} with ${pin}`).toBe(true);
      expect(await verifyPin('0000', staff.pinHash), `${id} with 0000`).toBe(false);
    }
    // One member's PIN must not open another's account.
    expect(await verifyPin('1234', demo.staff[2]!.pinHash)).toBe(false);
  });

  it('matches the committed assets/demo-catalog.json (run `npm run catalog` after changing the data)', async () => {
    const committed = await readFile(
      new URL('../assets/demo-catalog.json', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(serializeCatalog(demo));
  });

  it('comes out the same for the same seed and differently for another', async () => {
    const again = await buildDemoCatalog(createRng(DEMO_SEED));
    expect(again).toEqual(demo);
    const other = await buildDemoCatalog(createRng(DEMO_SEED + 1));
    expect(other.products[0]!.barcodes).not.toEqual(demo.products[0]!.barcodes);
  });
});

describe('large catalog', () => {
  it('builds 5,000 valid products with unique SKUs and barcodes in many categories', async () => {
    const large = await buildLargeCatalog(5_000, createRng(7));
    catalogSchema.parse(large);
    expect(large.products).toHaveLength(5_000);
    expect(repeated(large.products.map((p) => p.sku))).toEqual([]);
    const codes = large.products.flatMap((p) => p.barcodes);
    expect(codes.filter((c) => !isValidGtin(c))).toEqual([]);
    expect(repeated(codes.map(asGtin14))).toEqual([]);
    expect(new Set(large.products.map((p) => p.category)).size).toBeGreaterThanOrEqual(20);
    expect(large.products.filter((p) => p.price <= 0)).toEqual([]);
    expect(large.staff.map((s) => s.id)).toEqual(demo.staff.map((s) => s.id));
  });
});
