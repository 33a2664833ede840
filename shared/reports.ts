// Report shapes the ledger serves and the manager screens read.
import { z } from 'zod';
import { minorSchema } from './money';

export const dayTotalsSchema = z.object({
  saleCount: z.number().int(),
  itemCount: z.number().int(),
  /** Before discounts. */
  subtotal: minorSchema,
  discounts: minorSchema,
  tax: minorSchema,
  /** After discounts and cash rounding: what came in. */
  takings: minorSchema,
  rounding: minorSchema,
  cash: minorSchema,
  card: minorSchema,
  voidCount: z.number().int(),
  voidValue: minorSchema,
});
export type DayTotals = z.infer<typeof dayTotalsSchema>;

export const dayReportSchema = z.object({
  storeId: z.string(),
  date: z.string(),
  currency: z.string(),
  tills: z.array(
    z.object({
      deviceId: z.string(),
      name: z.string(),
      prefix: z.string(),
      lastPushAt: z.string().nullable(),
      totals: dayTotalsSchema,
    }),
  ),
  combined: dayTotalsSchema,
  taxBands: z.array(z.object({ ratePpm: z.number().int(), base: minorSchema, tax: minorSchema })),
  /** Device time of the day's last sale the ledger has. */
  lastSaleAt: z.string().nullable(),
  /** Tills that have not pushed since that sale: they may hold sales the totals do not include yet. */
  notSynced: z.array(
    z.object({ deviceId: z.string(), name: z.string(), lastPushAt: z.string().nullable() }),
  ),
});
export type DayReport = z.infer<typeof dayReportSchema>;

export const emptyDayTotals: DayTotals = {
  saleCount: 0,
  itemCount: 0,
  subtotal: 0,
  discounts: 0,
  tax: 0,
  takings: 0,
  rounding: 0,
  cash: 0,
  card: 0,
  voidCount: 0,
  voidValue: 0,
};

export function addDayTotals(a: DayTotals, b: DayTotals): DayTotals {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof DayTotals)[]) out[k] = a[k] + b[k];
  return out;
}
