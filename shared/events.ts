// Facts a till records and pushes to the ledger: the event envelope and the payload schema of each type.
import { z } from 'zod';
import { idTextSchema, MAX_UNITS, textSchema } from './bounds';
import { complaintSchema } from './complaints';
import { promoIssuedSchema, promoRedeemedSchema } from './promo';
import { saleReturnedSchema } from './returns/return-fact';
import { eventIdSchema, isoTimeSchema, saleSchema, voidSchema } from './sale';
import { plainSale } from './sale-fast-path';
import { countedCashSchema, shiftSchema } from './shift';

export const EVENT_TYPES = [
  'sale.completed',
  'sale.voided',
  'shift.opened',
  'shift.closed',
  'stock.counted',
  'promo.redeemed',
  'promo.issued',
  'complaint.logged',
  'sale.returned',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const shiftClosedSchema = shiftSchema.extend({
  closedAt: isoTimeSchema,
  closedBy: idTextSchema,
  counted: countedCashSchema,
  /** The Z report as the till printed it (the ledger recomputes its own from the sales). */
  zReport: z.record(z.string(), z.unknown()).optional(),
});

export const stockCountSchema = z.object({
  /** What was on the shelf when counted; the ledger records the difference as an adjustment. */
  lines: z
    .array(
      z.object({
        sku: idTextSchema,
        counted: z
          .number()
          .int()
          .min(0)
          .max(MAX_UNITS * 100),
      }),
    )
    .min(1)
    .max(5_000),
  note: textSchema(200, { allowLineBreaks: true }).optional(),
});

export const eventPayloadSchemas = {
  'sale.completed': saleSchema,
  'sale.voided': voidSchema,
  'shift.opened': shiftSchema,
  'shift.closed': shiftClosedSchema,
  'stock.counted': stockCountSchema,
  'promo.redeemed': promoRedeemedSchema,
  'promo.issued': promoIssuedSchema,
  'complaint.logged': complaintSchema,
  'sale.returned': saleReturnedSchema,
} satisfies Record<EventType, z.ZodType>;

export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloadSchemas)[T]>;

/**
 * The envelope every pushed fact travels in. The payload is checked per type on
 * arrival, so one bad or unknown fact is rejected alone instead of failing its batch.
 */
export const eventEnvelopeSchema = z.object({
  id: eventIdSchema,
  /** Per-device sequence: 1, 2, 3… in the order the till recorded its facts. */
  seq: z.number().int().positive(),
  type: textSchema(40).min(1),
  /** Device clock when the fact was recorded. */
  createdAt: isoTimeSchema,
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export type ParsedEvent = {
  [T in EventType]: Omit<EventEnvelope, 'type' | 'payload'> & { type: T; payload: EventPayload<T> };
}[EventType];

export type EventCheck = { ok: true; event: ParsedEvent } | { ok: false; reason: string };

/** Check an envelope's payload against its type. */
export function parseEvent(envelope: EventEnvelope): EventCheck {
  if (!(EVENT_TYPES as readonly string[]).includes(envelope.type)) {
    return { ok: false, reason: `unknown event type "${envelope.type}"` };
  }
  const type = envelope.type as EventType;
  // Most pushed facts are plain sales: a hand-written check takes those it is sure zod takes unchanged.
  const sale = type === 'sale.completed' ? plainSale(envelope.payload) : null;
  if (sale) return { ok: true, event: { ...envelope, type: 'sale.completed', payload: sale } };
  const parsed = eventPayloadSchemas[type].safeParse(envelope.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `invalid ${type} payload at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    };
  }
  return { ok: true, event: { ...envelope, type, payload: parsed.data } as ParsedEvent };
}
