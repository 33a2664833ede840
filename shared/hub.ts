// The stall hub's contract with the central ledger: enrolling its tills there and forwarding their facts.
import { z } from 'zod';
import { textSchema } from './bounds';
import { LEDGER_MAX_PUSH_EVENTS } from './sync';

/** Device ids are ULIDs, made by the ledger that first enrolled the device. */
export const deviceIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Device ids are ULIDs');

/** `POST /api/v1/hub/tills`: a hub asks central for an id and receipt prefix for a till pairing with it. */
export const hubTillRequestSchema = z.object({ name: textSchema(60).trim().min(1) });
export const hubTillResponseSchema = z.object({ deviceId: deviceIdSchema, prefix: z.string() });
export type HubTill = z.infer<typeof hubTillResponseSchema>;

/**
 * `POST /api/v1/hub/push`: a hub forwards facts of one of its tills, each with the till's own id
 * and sequence number; central judges them exactly as if the till had pushed them itself.
 */
export const hubPushRequestSchema = z.object({
  deviceId: deviceIdSchema,
  events: z.array(z.unknown()).min(1).max(LEDGER_MAX_PUSH_EVENTS),
});
export type HubPushRequest = z.infer<typeof hubPushRequestSchema>;

/** `POST /api/v1/hub/keys`: a hub passes on the Ed25519 public key one of its tills signs QR codes with. */
export const hubKeyRequestSchema = z.object({
  deviceId: deviceIdSchema,
  publicKey: z.string().regex(/^[0-9a-f]{64}$/, 'A public key is 64 hex digits'),
});

/** `GET /api/v1/hub/status` at a stall hub (a manager's token). */
export const hubStatusSchema = z.object({
  upstream: z.string(),
  storeId: z.string(),
  lastForwardAt: z.string().nullable(),
  lastPullAt: z.string().nullable(),
  waitingFacts: z.number().int().min(0),
});

/** A retry of one return carries the same key, so the units move back once. */
export const returnKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'An idempotency key is 8–64 letters, digits, - or _');

/**
 * `POST /api/v1/hub/drops/:dropId/allotments/return` at central (the hub's token) and
 * `POST /api/v1/hub/drops/:dropId/return` at a stall hub (a manager's token): unsold units the
 * stall holds go back to central's pool, once per key however often the request is retried.
 */
export const hubReturnRequestSchema = z.object({
  sku: z.string().min(1).max(64),
  qty: z.number().int().positive().max(1_000_000),
  key: returnKeySchema,
});
export type HubReturnRequest = z.infer<typeof hubReturnRequestSchema>;
export const hubReturnResponseSchema = z.object({
  /** Units that went back to central's pool under this key (the same on a retry). */
  returned: z.number().int().min(0),
  /** The stall's allotment of the item at central afterwards. */
  allotment: z.number().int().min(0),
});
export type HubReturn = z.infer<typeof hubReturnResponseSchema>;
