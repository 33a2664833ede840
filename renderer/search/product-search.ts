// Type-ahead over the products held in memory: one pass over every product, keeping only the best few.
import type { ProductRow } from '../db/db';

const byName = new Intl.Collator(undefined, { sensitivity: 'variant' }).compare;

/** Lower-case words typed, split the way product words are. */
export function searchTerms(query: string): string[] {
  return query
    .trim()
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Active products whose words start with every word typed: an exact SKU first, then names that
 * start with what was typed, then the rest by name; at most `limit`. A pass over 50k products'
 * words takes a few milliseconds, less than one IndexedDB round trip, and needs no index to keep.
 */
export function matchProducts(
  products: Iterable<ProductRow>,
  query: string,
  limit = 40,
): ProductRow[] {
  const q = query.trim().toLowerCase();
  const terms = searchTerms(query);
  if (terms.length === 0) return [];
  const rank = (p: ProductRow) =>
    p.sku.toLowerCase() === q ? 0 : p.name.toLowerCase().startsWith(q) ? 1 : 2;
  const better = (a: { p: ProductRow; r: number }, b: { p: ProductRow; r: number }) =>
    a.r - b.r || byName(a.p.name, b.p.name);
  // The best `limit` so far, best first: a match that cannot beat the last costs one comparison.
  const best: { p: ProductRow; r: number }[] = [];
  for (const p of products) {
    if (!p.active) continue;
    if (!terms.every((t) => p.words.some((w) => w.startsWith(t)))) continue;
    const hit = { p, r: rank(p) };
    if (best.length === limit && better(hit, best[limit - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && better(hit, best[at - 1]!) < 0) at--;
    best.splice(at, 0, hit);
    if (best.length > limit) best.pop();
  }
  return best.map((h) => h.p);
}
