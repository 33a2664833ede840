// Showing money in the store's currency and locale.
import { useCallback } from 'react';
import type { Minor } from '../../shared/money';
import { formatMoney } from '../../shared/money';
import { useStoreSettings } from '../db/hooks';

export function useMoney(): (amount: Minor) => string {
  const store = useStoreSettings();
  const currency = store?.currency ?? 'EUR';
  const locale = store?.locale ?? 'en-IE';
  return useCallback((amount: Minor) => formatMoney(amount, currency, locale), [currency, locale]);
}

/** 230000 ppm → "23%", 135000 → "13.5%". */
export function formatRate(ratePpm: number): string {
  return `${(ratePpm / 10_000).toLocaleString('en', { maximumFractionDigits: 3 })}%`;
}
