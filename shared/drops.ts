// Micro-drops: the schemas of a drop, its pricing ladder, access tiers and per-till allotments.
import { z } from 'zod';
import { MAX_ID_LENGTH, textSchema } from './bounds';
import { tierSchema } from './members';
import { minorSchema } from './money';

const isoTime = z.iso.datetime();

/** Who may buy from when: a tier opens `minutesBefore` the drop's start; everyone else at the start. */
export const accessTierSchema = z.object({
  tier: tierSchema,
  minutesBefore: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
});
export type AccessTier = z.infer<typeof accessTierSchema>;

/**
 * One step of a pricing ladder. A step lasts while fewer than `untilUnits` units of
 * the item have sold in the whole drop and/or until `untilMinutes` after the start;
 * the last step (no bounds) is the full price.
 */
export const ladderStepSchema = z.object({
  label: z.string().trim().min(1).max(40),
  price: minorSchema.nonnegative(),
  untilUnits: z.number().int().positive().optional(),
  untilMinutes: z.number().int().positive().optional(),
  /** Early-bird buyers get their order fulfilled first. */
  fastFulfilment: z.boolean().default(false),
});
export type LadderStep = z.infer<typeof ladderStepSchema>;

export const dropItemSchema = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive().max(1_000_000),
  /** Empty: sold at the product's shelf price. */
  ladder: z.array(ladderStepSchema).max(10),
});
export type DropItem = z.infer<typeof dropItemSchema>;

export const allotmentModeSchema = z.enum(['auto', 'manual', 'off']);

export const dropSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/, 'A drop id is letters, digits, - or _'),
  name: z.string().trim().min(1).max(80),
  /** Window, to the minute, in UTC (the manager enters it in the store's time zone). */
  startsAt: isoTime,
  endsAt: isoTime,
  access: z.array(accessTierSchema).max(10),
  /** Units one member may buy across every sale and till of the drop; null: no limit. */
  perCustomerLimit: z.number().int().positive().max(1_000).nullable(),
  /** When more stock is expected; null: no restock. */
  restockAt: isoTime.nullable(),
  /** auto: the ledger splits units over the store's tills; manual: a manager does; off: no escrow (oversell is caught at the ledger). */
  allotments: allotmentModeSchema,
  status: z.enum(['scheduled', 'cancelled']),
  items: z.array(dropItemSchema).min(1).max(50),
});
export type Drop = z.infer<typeof dropSchema>;

/** Units of a drop item this till holds in escrow (allotted minus returned) as of the last pull. */
export const allotmentSchema = z.object({
  dropId: z.string(),
  sku: z.string(),
  qty: z.number().int().min(0),
});
export type Allotment = z.infer<typeof allotmentSchema>;

/** Units of a drop item sold across all tills, as the ledger knew at the last pull. */
export const dropProgressSchema = z.object({
  dropId: z.string(),
  sku: z.string(),
  sold: z.number().int().min(0),
});
export type DropProgress = z.infer<typeof dropProgressSchema>;

/** Units of a drop a member bought, across all tills, as the ledger knew at the last pull. */
export const memberPurchaseSchema = z.object({
  dropId: z.string(),
  memberId: z.string(),
  qty: z.number().int().min(0),
});
export type MemberPurchase = z.infer<typeof memberPurchaseSchema>;

/** What a sale line records about the drop it sold from (for limits, ladders and KPIs). */
export const saleLineDropSchema = z.object({
  dropId: textSchema(MAX_ID_LENGTH),
  /** Index of the ladder step the unit price came from; -1 when the item has no ladder. */
  step: z.number().int().min(-1).max(1_000),
  /** The tier the sale was allowed under ("everyone" at or after the start). */
  tier: textSchema(MAX_ID_LENGTH),
  fastFulfilment: z.boolean(),
});
export type SaleLineDrop = z.infer<typeof saleLineDropSchema>;

// --- Ledger HTTP bodies (server/routes/drops.ts) ---

/** One drop item's stock at the ledger: sold across tills, held in tills' allotments, and the unallotted pool. */
export const dropItemProgressSchema = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  sold: z.number().int().min(0),
  allotted: z.number().int().min(0),
  /** quantity − sold − allotted (below 0 when oversold). */
  pool: z.number().int(),
});
export type DropItemProgress = z.infer<typeof dropItemProgressSchema>;

export const dropWithProgressSchema = dropSchema.extend({
  progress: z.array(dropItemProgressSchema),
});
export type DropWithProgress = z.infer<typeof dropWithProgressSchema>;

/** GET /api/v1/stores/:storeId/drops */
export const dropListResponseSchema = z.object({ drops: z.array(dropWithProgressSchema) });

/** One till's escrow of one drop item, as a manager sets it. */
export const deviceAllotmentSchema = z.object({
  deviceId: z.string().min(1),
  sku: z.string().min(1),
  qty: z.number().int().min(0).max(1_000_000),
});
export type DeviceAllotment = z.infer<typeof deviceAllotmentSchema>;

/** PUT /api/v1/stores/:storeId/drops/:dropId/allotments (request, and the drop's allotments after it). */
export const setAllotmentsSchema = z.object({
  allotments: z.array(deviceAllotmentSchema).max(1_000),
});

/** POST /api/v1/drops/:dropId/allotments/request and …/return (a till, with its device token). */
export const allotmentAskSchema = z.object({
  sku: z.string().min(1),
  qty: z.number().int().positive().max(1_000_000),
});
export const allotmentGrantSchema = z.object({
  /** May be less than asked, or 0 with a reason. */
  granted: z.number().int().min(0),
  /** This till's allotment of the item after the grant. */
  allotment: z.number().int().min(0),
  reason: z.string().optional(),
});
export const allotmentReturnSchema = z.object({
  returned: z.number().int().min(0),
  allotment: z.number().int().min(0),
});

// The pure rules live beside the schemas' module so callers import everything drop-related from here.
export * from './drop-rules';
export * from './drop-sale';
