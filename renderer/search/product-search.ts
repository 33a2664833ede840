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

/** The longest word typed: "pin-grn-004140" starts at "004140", not at every "pin". */
export function leadTerm(terms: readonly string[]): string {
  return terms.reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * Active products among `candidates` whose words start with every word typed: an exact SKU
 * first, then names that start with what was typed, then the rest by name; at most `limit`.
 * Stops after `enough` matches (candidates come in word order, as an index walk gives them).
 */
export function matchProducts(
  candidates: Iterable<ProductRow>,
  query: string,
  limit = 40,
  enough = Number.POSITIVE_INFINITY,
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
  const seen = new Set<string>();
  for (const p of candidates) {
    if (!p.active || seen.has(p.sku)) continue;
    if (!terms.every((t) => p.words.some((w) => w.startsWith(t)))) continue;
    seen.add(p.sku);
    if (seen.size > enough) break;
    const hit = { p, r: rank(p) };
    if (best.length === limit && better(hit, best[limit - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && better(hit, best[at - 1]!) < 0) at--;
    best.splice(at, 0, hit);
    if (best.length > limit) best.pop();
  }
  return best.map((h) => h.p);
}
