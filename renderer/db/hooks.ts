// Live reads of the till's database for components (undefined while loading).
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import type { PricingContext } from '../../shared/cart';
import { subscribeCatalog } from './code-map';
import { getSetting } from './db';
import { posDb } from './instance';
import { currentShift } from './shift-repo';
import { stockLevel } from './stock-levels';

export function useStoreSettings() {
  return useLiveQuery(() => getSetting(posDb, 'store'), []);
}

export function useDevice() {
  return useLiveQuery(() => getSetting(posDb, 'device'), []);
}

export function usePricingContext(): PricingContext | undefined {
  const store = useStoreSettings();
  const taxClasses = useLiveQuery(() => posDb.taxClasses.toArray(), []);
  return useMemo(() => {
    if (!store || !taxClasses) return undefined;
    return {
      pricesIncludeTax: store.pricesIncludeTax,
      taxRatesPpm: Object.fromEntries(taxClasses.map((t) => [t.id, t.ratePpm])),
    };
  }, [store, taxClasses]);
}

export function useCurrentShift() {
  // null once loaded with no open shift, so callers can tell "loading" from "none".
  return useLiveQuery(async () => (await currentShift(posDb)) ?? null, []);
}

export function useStockLevel(sku: string) {
  return useLiveQuery(async () => (await stockLevel(posDb, sku)) ?? null, [sku]);
}

// A snapshot reaches the map in many small steps: lists are redrawn at most this often meanwhile.
const CATALOG_REDRAW_MS = 250;

/**
 * A number that changes whenever the catalog held in memory does (products are read from the
 * map, not through Dexie, so a live query must name it among its dependencies).
 */
export function useCatalogVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribeCatalog(posDb, () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, CATALOG_REDRAW_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, []);
  return version;
}
