// The ledger's HTTP contract shared by till and server: enrolment, push, pull and the one error shape.
import { z } from 'zod';
import { productSchema, staffSchema, storeSettingsSchema, taxClassSchema } from './catalog';
import { allotmentSchema, dropProgressSchema, dropSchema, memberPurchaseSchema } from './drops';
import type { EventEnvelope } from './events';
import { memberKeySchema, memberSchema } from './members';
import { campaignSchema, codeUsageSchema, promoKeySchema } from './promo';
import { creditNoteBalanceSchema } from './returns/credit-note';
import { saleSchema } from './sale';

/**
 * What every ledger takes in one push, uncompressed: what a till sends until the ledger says it
 * takes more (`pushLimits` in a push answer), so it also talks to an older ledger.
 */
export const MAX_PUSH_EVENTS = 500;
export const MAX_PUSH_BYTES = 1024 * 1024;
/**
 * What this ledger takes in one push (a till with a backlog, a stall hub, an imported file).
 * Bytes are counted after a gzip body is inflated.
 */
export const LEDGER_MAX_PUSH_EVENTS = 2_000;
export const LEDGER_MAX_PUSH_BYTES = 4 * 1024 * 1024;

/**
 * What a ledger says it takes in one push, on each push answer. A ledger that says nothing
 * (older than this field) takes MAX_PUSH_EVENTS / MAX_PUSH_BYTES, uncompressed. Bounded below by
 * what every ledger takes, so a bad answer can only make a till send what it always did.
 */
export const pushLimitsSchema = z.object({
  maxEvents: z.number().int().min(MAX_PUSH_EVENTS).max(100_000),
  /** Counted on the uncompressed JSON body. */
  maxBytes: z
    .number()
    .int()
    .min(MAX_PUSH_BYTES)
    .max(1024 * 1024 * 1024),
  /** Content-Encodings it inflates; unknown ones are ignored, not refused. */
  encodings: z.array(z.string().max(20)).max(10),
});
export type PushLimits = z.infer<typeof pushLimitsSchema>;

/** What this ledger advertises. */
export const LEDGER_PUSH_LIMITS: PushLimits = {
  maxEvents: LEDGER_MAX_PUSH_EVENTS,
  maxBytes: LEDGER_MAX_PUSH_BYTES,
  encodings: ['gzip'],
};

export const errorCodeSchema = z.enum([
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'payload-too-large',
  'rate-limited',
  /** The ledger is shedding load (public pages only): retry after the Retry-After seconds. */
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Every error the ledger returns has this shape. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const pairingCodeSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}$/i, 'A pairing code looks like 7K3M-Q9XT');

export const enrollRequestSchema = z.object({
  pairingCode: pairingCodeSchema,
  name: z.string().trim().min(1).max(60),
  /**
   * Re-pair a till under the id it already has (a till of a stall hub moving to the central
   * ledger): it keeps its receipt prefix and sequence numbers, so every fact stays exactly once.
   */
  deviceId: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Device ids are ULIDs')
    .optional(),
});
export const enrollResponseSchema = z.object({
  deviceId: z.string(),
  storeId: z.string(),
  /** Receipt prefix for this till, unique in its store (T1, T2…). */
  prefix: z.string(),
  token: z.string(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/**
 * A push: up to 2,000 facts (a till sends up to 500 unless the ledger says it takes more). Each element is judged alone by the ledger (shape, envelope,
 * payload; docs/sync-rules.md), so one malformed fact gets its own `rejected` verdict
 * instead of failing the batch; the till sends `EventEnvelope`s.
 */
export const pushRequestSchema = z.object({
  events: z.array(z.unknown()).min(1).max(LEDGER_MAX_PUSH_EVENTS),
});
export type PushRequest = { events: EventEnvelope[] };

/**
 * The ledger's verdict on one fact, the only answer a till treats as final:
 * - accepted: stored and applied;
 * - duplicate: the ledger already holds this id with the same content (hash);
 * - conflict: the ledger holds this id with other content; both versions are kept and a
 *   manager is told (an exception), so the till may stop sending it;
 * - rejected: stored as rejected with its reason (it counts as processed).
 */
export const pushResultSchema = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'conflict', 'rejected']),
  reason: z.string().optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({
  results: z.array(pushResultSchema),
  /** Highest sequence number up to which the ledger holds every fact of this device. */
  watermark: z.number().int().min(0),
  /** What the ledger takes in one push; absent from older ledgers, and one the till cannot read counts as absent. */
  pushLimits: pushLimitsSchema.optional().catch(undefined),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const stockLevelSchema = z.object({ sku: z.string(), qty: z.number().int() });

/** Units of one line of a sale returned so far, at every till of the store. */
export const returnedLineSchema = z.object({
  saleId: z.string(),
  lineNo: z.number().int().min(1),
  qty: z.number().int().min(1),
});
export type ReturnedLine = z.infer<typeof returnedLineSchema>;

/** Days of sales whose returned quantities every pull carries: the longest return window. */
export const RETURNED_WINDOW_DAYS = 30;

export const pullResponseSchema = z.object({
  /** Opaque: pass it back on the next pull. */
  cursor: z.string(),
  /** true: a full snapshot that replaces what the till has; false: only changes since the cursor. */
  full: z.boolean(),
  store: storeSettingsSchema.nullable(),
  taxClasses: z.array(taxClassSchema),
  products: z.array(productSchema),
  staff: z.array(staffSchema.extend({ active: z.boolean() })),
  stock: z.array(stockLevelSchema),
  /** Drops of the store that have not ended long ago (changed ones only on a delta pull). */
  drops: z.array(dropSchema).default([]),
  /** This till's allotments (changed ones only on a delta pull). */
  allotments: z.array(allotmentSchema).default([]),
  /** Units sold per drop item across all tills. */
  dropProgress: z.array(dropProgressSchema).default([]),
  members: z.array(memberSchema).default([]),
  /** The key of members' contact hashes, on every pull (the till hashes a typed phone or e-mail with it). */
  memberKey: memberKeySchema.nullable().default(null),
  /** Units of each live drop each member has bought, across all tills. */
  memberPurchases: z.array(memberPurchaseSchema).default([]),
  campaigns: z.array(campaignSchema).default([]),
  promoKeys: z.array(promoKeySchema).default([]),
  /** Uses of codes and of campaigns per member, across all tills. */
  codeUsage: z.array(codeUsageSchema).default([]),
  /**
   * Returned units per (sale, line) for the store's sales of the last RETURNED_WINDOW_DAYS days,
   * whole on every pull (not a delta): the till replaces its copy, so it counts other tills'
   * returns offline.
   */
  returnedLines: z.array(returnedLineSchema).default([]),
  /**
   * The store's credit notes with something left to spend (or spent in the last
   * RETURNED_WINDOW_DAYS days), whole on every pull: the till replaces its copy.
   */
  creditNotes: z.array(creditNoteBalanceSchema).default([]),
  /**
   * Sales of the store's other tills from the last RETURNED_WINDOW_DAYS days (only new ones on a
   * delta pull), as the tills sent them: a return finds them offline. The till drops older ones.
   */
  storeSales: z.array(saleSchema).default([]),
  /** This device's own watermark, so the till can drop what the ledger already has. */
  watermark: z.number().int().min(0),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** `GET /api/v1/sales/by-receipt/:receiptNumber`: a sale of the caller's store and what came back of it so far. */
export const saleLookupResponseSchema = z.object({
  sale: saleSchema,
  returnedLines: z.array(returnedLineSchema),
});
export type SaleLookupResponse = z.infer<typeof saleLookupResponseSchema>;
