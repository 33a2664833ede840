// Product tiles by category, or the search results: tap to add to the cart (drop items show their drop price and what is left).
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { listCategories, productsInCategory, searchProducts } from '../../db/catalog-repo';
import type { ProductRow } from '../../db/db';
import { useCatalogVersion } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { stockLevels } from '../../db/stock-levels';
import { useMoney } from '../../ui/money';
import type { DropSelling } from '../drops/useDropSelling';

interface Props {
  query: string;
  onPick: (product: ProductRow) => void;
  /** Drop price and scarcity of a SKU in a live or upcoming drop. */
  dropTile?: DropSelling['tile'];
}

export function ProductGrid({ query, onPick, dropTile }: Props) {
  const money = useMoney();
  // Products come from the in-memory map (it warms as the sell screen opens): lists follow its changes.
  const catalog = useCatalogVersion();
  const categories = useLiveQuery(() => listCategories(posDb), [catalog]);
  const [category, setCategory] = useState<string | null>(null);
  useEffect(() => {
    if (categories && (category === null || !categories.includes(category))) {
      setCategory(categories[0] ?? null);
    }
  }, [categories, category]);

  const q = query.trim();
  // Tiles from the in-memory map at once; their stock follows from IndexedDB in its own live
  // query, keyed by SKU (never by position), so a tile shows its own count or none yet.
  const products = useLiveQuery(
    async () =>
      q
        ? await searchProducts(posDb, q)
        : category
          ? await productsInCategory(posDb, category)
          : [],
    [q, category, catalog],
  );
  const skuList = JSON.stringify(products?.map((p) => p.sku) ?? []);
  const stock = useLiveQuery(() => stockLevels(posDb, JSON.parse(skuList) as string[]), [skuList]);
  const tiles = products?.map((product) => ({ product, left: stock?.get(product.sku) }));

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
          const drop = dropTile?.(p.sku) ?? null;
          if (drop) {
            return (
              <button
                key={p.sku}
                type="button"
                className={
                  drop.scarcity.level === 'sold-out' ? 'tile tile-drop sold-out' : 'tile tile-drop'
                }
                onClick={() => onPick(p)}
                data-sku={p.sku}
                title={p.name}
              >
                <span className="badge">{drop.dropName}</span>
                <span className="tile-name">{p.name}</span>
                <span className="tile-price">
                  {money(drop.price)}
                  {drop.price !== p.price && <s className="muted"> {money(p.price)}</s>}
                </span>
                <span className={`tile-stock drop-${drop.scarcity.level}`}>
                  {drop.scarcity.level === 'plenty'
                    ? `${drop.here} here · ${drop.overall} left`
                    : `${drop.scarcity.text} · ${drop.here} here`}
                </span>
              </button>
            );
          }
          return (
            <button
              key={p.sku}
              type="button"
              className="tile"
              onClick={() => onPick(p)}
              data-sku={p.sku}
              title={p.name}
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
