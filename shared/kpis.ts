// Drop KPI shapes the ledger serves (sell-through, channels, repeat buyers, aftercare, promoter cost) and their definitions.
import { z } from 'zod';
import { minorSchema } from './money';

/**
 * A drop family is the drops whose names share the text before " #":
 * "Night Market #1" … "Night Market #4" are the family "Night Market".
 * A name without " #" is a family of its own.
 */
export function dropFamily(name: string): string {
  const at = name.indexOf(' #');
  return (at >= 0 ? name.slice(0, at) : name).trim();
}

/** part ÷ whole in basis points (10,000 = all), rounded half up; 0 when there is no whole. */
export function shareBp(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part * 10_000) / whole);
}

/** Promoter cost ÷ buyers, in minor units rounded half up; null when the codes brought no buyer. */
export function costPerBuyer(cost: number, buyers: number): number | null {
  return buyers === 0 ? null : Math.round(cost / buyers);
}

/** Channel of a sale for KPIs: "promo" when a code was redeemed (with its campaign), else the till's channel. */
export const channelKindSchema = z.enum(['walk-in', 'member-early', 'promo']);

/** Which sale lines a KPI reads: one drop, or one family of micro-drops; optionally one SKU. */
export const kpiScopeFields = z.object({
  dropId: z.string().min(1).max(60).optional(),
  family: z.string().trim().min(1).max(80).optional(),
  sku: z.string().min(1).max(64).optional(),
});
const oneScope = (q: { dropId?: string; family?: string }) =>
  (q.dropId === undefined) !== (q.family === undefined);
export const kpiScopeQuerySchema = kpiScopeFields.refine(oneScope, {
  message: 'Give either dropId or family',
});
/** Repeat purchases: the scope and N, the days after the first purchase that count (default 30). */
export const repeatQuerySchema = kpiScopeFields
  .extend({ days: z.coerce.number().int().min(1).max(365).default(30) })
  .refine(oneScope, { message: 'Give either dropId or family' });
export type KpiScopeQuery = z.infer<typeof kpiScopeQuerySchema>;

export const kpiScopeSchema = z.object({
  family: z.string(),
  dropIds: z.array(z.string()),
  sku: z.string().nullable(),
});
export type KpiScope = z.infer<typeof kpiScopeSchema>;

export const dropListSchema = z.object({
  drops: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      family: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      status: z.string(),
      items: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    }),
  ),
  families: z.array(z.object({ family: z.string(), dropIds: z.array(z.string()) })),
});
export type DropList = z.infer<typeof dropListSchema>;

/**
 * Units sold by whole minute since the drop's public start (startsAt; member-early sales
 * have negative minutes), per access tier. A family's micro-drops are each aligned on
 * their own start, so their curves add up.
 */
export const sellThroughSchema = z.object({
  scope: kpiScopeSchema,
  /** Units the scope's drops put on sale (drop_items.quantity). */
  stock: z.number().int(),
  sold: z.number().int(),
  points: z.array(
    z.object({
      dropId: z.string(),
      tier: z.string(),
      minute: z.number().int(),
      units: z.number().int(),
    }),
  ),
});
export type SellThrough = z.infer<typeof sellThroughSchema>;

/**
 * Sales by channel. Visitors who did not buy are not counted anywhere, so "conversion" here
 * is each channel's share of the scope's units and of its buyers (a buyer is a member, or
 * the sale itself when no member was identified; a buyer may count in two channels).
 */
export const channelsSchema = z.object({
  scope: kpiScopeSchema,
  units: z.number().int(),
  revenue: minorSchema,
  buyers: z.number().int(),
  channels: z.array(
    z.object({
      /** walk-in, member-early or promo (see channelKindSchema); another value if a till sent one. */
      channel: z.string(),
      campaignId: z.string().nullable(),
      campaignName: z.string().nullable(),
      promoter: z.string().nullable(),
      units: z.number().int(),
      sales: z.number().int(),
      revenue: minorSchema,
      buyers: z.number().int(),
      unitsShareBp: z.number().int(),
      buyersShareBp: z.number().int(),
    }),
  ),
});
export type Channels = z.infer<typeof channelsSchema>;

/**
 * Members who bought in the scope, and how many of them bought anything again (another
 * sale, any till, any product) within `days` days after their first purchase in the scope.
 */
export const repeatSchema = z.object({
  scope: kpiScopeSchema,
  days: z.number().int(),
  buyers: z.number().int(),
  repeaters: z.number().int(),
  rateBp: z.number().int(),
});
export type Repeat = z.infer<typeof repeatSchema>;

/** Units of the scope sold and returned under one channel or access tier ('' for lines sold outside any tier). */
export const returnRateSchema = z.object({
  key: z.string(),
  soldUnits: z.number().int(),
  returnedUnits: z.number().int(),
  /** returned ÷ sold in basis points. */
  rateBp: z.number().int(),
});
export type ReturnRate = z.infer<typeof returnRateSchema>;

/**
 * Complaints about the scope's sales logged up to 14 days after the end of the sale's drop, and
 * returns of the scope's drop lines made in the same window (returns: return facts; by reason in
 * units; rates by the sale's channel and the line's access tier).
 */
export const aftercareSchema = z.object({
  scope: kpiScopeSchema,
  windowDays: z.literal(14),
  sales: z.number().int(),
  complaints: z.number().int(),
  complainedSales: z.number().int(),
  byCategory: z.array(z.object({ category: z.string(), count: z.number().int() })),
  returns: z.number().int(),
  returnsTracked: z.boolean(),
  returnedUnits: z.number().int().default(0),
  returnsByReason: z.array(z.object({ reason: z.string(), units: z.number().int() })).default([]),
  returnRateByChannel: z.array(returnRateSchema).default([]),
  returnRateByTier: z.array(returnRateSchema).default([]),
  note: z.string(),
});
export type Aftercare = z.infer<typeof aftercareSchema>;

/**
 * Cost to acquire per promoter: the sum of its campaigns' promoter cost ÷ distinct buyers
 * who redeemed its codes (a member, or the redeeming sale when no member was identified).
 */
export const promotersSchema = z.object({
  promoters: z.array(
    z.object({
      promoter: z.string(),
      campaignIds: z.array(z.string()),
      cost: minorSchema,
      redemptions: z.number().int(),
      discount: minorSchema,
      buyers: z.number().int(),
      costPerBuyer: minorSchema.nullable(),
    }),
  ),
});
export type Promoters = z.infer<typeof promotersSchema>;
