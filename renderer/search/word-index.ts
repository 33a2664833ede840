// Products by the words they can be found by, in memory: a prefix finds its words by binary search, not by walking every product.
import type { ProductRow } from '../db/db';

export class WordIndex {
  private readonly postings = new Map<string, Set<string>>();
  /** Every word in code-unit order; rebuilt on the next search after a word never seen before. */
  private sorted: string[] | null = [];

  add(row: ProductRow): void {
    for (const word of row.words) {
      let skus = this.postings.get(word);
      if (!skus) {
        skus = new Set();
        this.postings.set(word, skus);
        this.sorted = null;
      }
      skus.add(row.sku);
    }
  }

  /** A word left with no product keeps its (empty) entry: the sorted list stays valid. */
  remove(row: ProductRow): void {
    for (const word of row.words) this.postings.get(word)?.delete(row.sku);
  }

  /** SKUs with a word starting with `prefix`, word by word in order. */
  *skusStartingWith(prefix: string): Generator<string> {
    if (this.sorted === null) this.sorted = [...this.postings.keys()].sort();
    const words = this.sorted;
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (words[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < words.length && words[i]!.startsWith(prefix); i++)
      yield* this.postings.get(words[i]!) ?? [];
  }
}
