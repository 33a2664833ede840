// Product tiles by category, or the search results: tap to add to the cart.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { listCategories, productsInCategory, searchProducts } from '../../db/catalog-repo';
import type { ProductRow } from '../../db/db';
import { posDb } from '../../db/instance';
import { useMoney } from '../../ui/money';

interface Props {
  query: string;
  onPick: (product: ProductRow) => void;
}

export function ProductGrid({ query, onPick }: Props) {
  const money = useMoney();
  const categories = useLiveQuery(() => listCategories(posDb), []);
  const [category, setCategory] = useState<string | null>(null);
  useEffect(() => {
    if (categories && (category === null || !categories.includes(category))) {
      setCategory(categories[0] ?? null);
    }
  }, [categories, category]);

  const q = query.trim();
  // Products and their stock in one live query, so a tile never shows another product's count.
  const tiles = useLiveQuery(async () => {
    const products = q
      ? await searchProducts(posDb, q)
      : category
        ? await productsInCategory(posDb, category)
        : [];
    const stock = await posDb.stock.bulkGet(products.map((p) => p.sku));
    return products.map((product, i) => ({ product, left: stock[i]?.qty }));
  }, [q, category]);

  return (
    <section className="catalog" aria-label="Products">
      {!q && (
        <nav className="categories" aria-label="Categories">
          {categories?.map((c) => (
            <button
              key={c}
              type="button"
              className={c === category ? 'tab tab-on' : 'tab'}
              aria-pressed={c === category}
              onClick={() => setCategory(c)}
            >
              {c}
            </button>
          ))}
        </nav>
      )}
      {q && (
        <p className="muted results-line">
          {tiles ? `${tiles.length} found for “${q}”` : 'Searching…'}
        </p>
      )}
      <div className="grid">
        {tiles?.map(({ product: p, left }) => {
          return (
            <button
              key={p.sku}
              type="button"
              className="tile"
              onClick={() => onPick(p)}
              data-sku={p.sku}
            >
              {p.drop && <span className="badge">{p.drop}</span>}
              <span className="tile-name">{p.name}</span>
              <span className="tile-price">{money(p.price)}</span>
              {left !== undefined && (
                <span
                  className={
                    left <= 0 ? 'tile-stock out' : left <= 5 ? 'tile-stock low' : 'tile-stock'
                  }
                >
                  {left <= 0 ? 'none in stock' : `${left} in stock`}
                </span>
              )}
            </button>
          );
        })}
        {q && tiles?.length === 0 && (
          <p className="muted">Nothing matches. Try fewer letters, a SKU or scan it.</p>
        )}
      </div>
    </section>
  );
}
