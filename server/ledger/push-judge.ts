// Judging each pushed fact alone: its shape, its envelope, whether the ledger already holds it (by id, content hash and sequence), its payload and its arithmetic.
import type { Insertable, Transaction } from 'kysely';
import { ulid } from 'ulid';
import { checkFactShape, safeText } from '../../shared/bounds';
import {
  type EventEnvelope,
  eventEnvelopeSchema,
  type ParsedEvent,
  parseEvent,
} from '../../shared/events';
import type { Sale } from '../../shared/sale';
import type { PushResult } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import { factIdentity, heldFacts, storedFacts, usedSeqs } from './push-identity';
import { judgeReturns } from './returns';
import { auditSales } from './sale-audit';
import type { ExceptionInput } from './write';

export interface JudgeContext {
  deviceId: string;
  storeId: string;
  watermark: number;
  revoked: boolean;
  receivedAt: string;
  /** Set when applying this fact threw: every new fact is stored as rejected with this reason. */
  refuse?: string;
}

export interface Verdicts {
  /** In the order the batch came in. */
  results: PushResult[];
  eventRows: Insertable<LedgerDb['events']>[];
  heldRows: Insertable<LedgerDb['held_facts']>[];
  exceptions: ExceptionInput[];
  /** New facts to apply, in device order. */
  accepted: ParsedEvent[];
}

/** A fact whose envelope is good, with its content hash and its payload as the canonical JSON the ledger stores. */
type Candidate = { index: number; env: EventEnvelope; hash: string; payloadJson: string };

/** The id to answer with: the envelope's own when it is a short string, else empty (the position still says which). */
function echoId(raw: unknown): string {
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? safeText(id, 64) : '';
}

/** Why a well-formed fact still cannot be applied, or null. */
function refusal(e: ParsedEvent, deviceId: string): string | null {
  if ('deviceId' in e.payload && e.payload.deviceId !== deviceId) {
    return `the fact belongs to device ${e.payload.deviceId}, not to the device that sent it`;
  }
  // A sale or void carries its own id and sequence: they must be the envelope's, or one fact could pose as another.
  if (
    (e.type === 'sale.completed' || e.type === 'sale.voided') &&
    (e.payload.id !== e.id || e.payload.seq !== e.seq)
  ) {
    return 'the payload id/seq do not match the event envelope';
  }
  return null;
}

/** Step 1: shape and envelope. A fact too broken to key by id is rejected at its position and held under its sequence number if it has one. */
function checkEnvelopes(raw: readonly unknown[], ctx: JudgeContext, out: Verdicts): Candidate[] {
  const candidates: Candidate[] = [];
  raw.forEach((value, index) => {
    const shape = checkFactShape(value);
    const envelope = shape.ok ? eventEnvelopeSchema.safeParse(value) : null;
    if (envelope?.success) {
      const env = envelope.data;
      candidates.push({ index, env, ...factIdentity(env) });
      return;
    }
    const issue = envelope?.error.issues[0];
    const reason = shape.ok
      ? `invalid envelope at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`
      : shape.reason;
    const id = echoId(value);
    out.results[index] = { id, status: 'rejected', reason: safeText(reason) };
    const seq = value && typeof value === 'object' ? (value as { seq?: unknown }).seq : undefined;
    const details = { position: index, id, seq: typeof seq === 'number' ? seq : null };
    out.exceptions.push({
      kind: 'rejected-event',
      message: safeText(`Rejected a malformed fact: ${reason}`),
      deviceId: ctx.deviceId,
      details,
    });
    // A usable sequence number is held, so the watermark can move past the broken fact.
    if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0) {
      out.heldRows.push({
        id: ulid(),
        event_id: id,
        device_id: ctx.deviceId,
        store_id: ctx.storeId,
        seq,
        type: 'malformed',
        device_time: null,
        received_at: ctx.receivedAt,
        content_hash: '',
        payload: shape.ok ? JSON.stringify(value) : 'null',
        kind: 'malformed',
        reason: safeText(reason),
      });
    }
  });
  return candidates;
}

/**
 * Step 2: identity. Duplicate only for the same id, device and content hash; another content
 * under a held id is a conflict (kept); a new id under a used sequence number is held and
 * rejected. Returns the facts that are new, each owning its sequence number.
 */
async function checkIdentity(
  trx: Transaction<LedgerDb>,
  candidates: Candidate[],
  ctx: JudgeContext,
  out: Verdicts,
): Promise<Candidate[]> {
  const ids = [...new Set(candidates.map((c) => c.env.id))];
  const stored = await storedFacts(trx, ids);
  const held = await heldFacts(trx, ctx.deviceId, ids);
  const used = await usedSeqs(trx, ctx.deviceId, [...new Set(candidates.map((c) => c.env.seq))]);
  const inBatch = new Map<string, string>();
  const fresh: Candidate[] = [];
  const hold = (c: Candidate, kind: 'conflict' | 'seq-reused', reason: string) => {
    const key = `${c.env.id} ${c.hash}`;
    const before = held.get(key);
    if (before) return before;
    const entry = { eventId: c.env.id, kind, reason, hash: c.hash };
    held.set(key, entry);
    out.heldRows.push({
      id: ulid(),
      event_id: c.env.id,
      device_id: ctx.deviceId,
      store_id: ctx.storeId,
      seq: c.env.seq,
      type: c.env.type,
      device_time: c.env.createdAt,
      received_at: ctx.receivedAt,
      content_hash: c.hash,
      payload: c.payloadJson,
      kind,
      reason,
    });
    out.exceptions.push({
      kind: kind === 'conflict' ? 'fact-conflict' : 'seq-reused',
      message: `${kind === 'conflict' ? 'Conflicting' : 'Held'} ${c.env.type}: ${reason}`,
      deviceId: ctx.deviceId,
      eventId: c.env.id,
      details: { seq: c.env.seq, hash: c.hash },
    });
    return entry;
  };
  const answer = (c: Candidate, h: { kind: string; reason: string }) => {
    out.results[c.index] = {
      id: c.env.id,
      status: h.kind === 'conflict' ? 'conflict' : 'rejected',
      reason: h.reason,
    };
  };
  // In device order, whatever order the batch came in: a count after a sale must see the sale.
  const ordered = [...candidates].sort((a, b) => a.env.seq - b.env.seq || a.index - b.index);
  for (const c of ordered) {
    const { id, seq } = c.env;
    const earlier = stored.get(id);
    const sameInBatch = inBatch.get(id);
    if (earlier && earlier.deviceId === ctx.deviceId && earlier.hash === c.hash) {
      out.results[c.index] =
        earlier.status === 'accepted'
          ? { id, status: 'duplicate' }
          : { id, status: 'rejected', reason: earlier.reason ?? 'rejected' };
    } else if (sameInBatch === c.hash) {
      out.results[c.index] = { id, status: 'duplicate' };
    } else if (earlier || sameInBatch !== undefined) {
      const who =
        earlier && earlier.deviceId !== ctx.deviceId
          ? `another device (${earlier.deviceId}) already sent a fact with this id`
          : 'the ledger already holds this id with other content';
      answer(c, hold(c, 'conflict', `${who}; both versions are kept`));
    } else if (held.has(`${id} ${c.hash}`)) {
      answer(c, held.get(`${id} ${c.hash}`) as { kind: string; reason: string });
    } else if (seq <= ctx.watermark || used.has(seq)) {
      const by = used.get(seq);
      const reason = by
        ? `sequence number ${seq} is already used by fact ${by}; this fact is kept aside`
        : `sequence number ${seq} is at or below this till's watermark (${ctx.watermark}); this fact is kept aside`;
      answer(c, hold(c, 'seq-reused', reason));
    } else {
      inBatch.set(id, c.hash);
      used.set(seq, id);
      fresh.push(c);
    }
  }
  return fresh;
}

/** Steps 3 and 4: payload schema, ownership, then the sales' and returns' arithmetic; good facts are accepted. */
async function checkPayloads(
  trx: Transaction<LedgerDb>,
  fresh: Candidate[],
  ctx: JudgeContext,
  out: Verdicts,
): Promise<void> {
  const parsed = fresh.map((c) => {
    const check = parseEvent(c.env);
    const reason =
      ctx.refuse ?? (check.ok ? refusal(check.event, ctx.deviceId) : check.reason) ?? null;
    return { c, event: check.ok ? check.event : null, reason: reason && safeText(reason) };
  });
  const sales = parsed.flatMap((p) =>
    !p.reason && p.event?.type === 'sale.completed'
      ? [{ id: p.event.id, payload: p.event.payload as Sale }]
      : [],
  );
  const audit = await auditSales(trx, ctx.storeId, sales);
  // Returns are judged against stored sales and this batch's good ones (a till pushes a sale before its return).
  const returns = parsed.flatMap((p) =>
    !p.reason && p.event?.type === 'sale.returned'
      ? [{ id: p.event.id, payload: p.event.payload }]
      : [],
  );
  const goodSales = sales.filter((s) => !audit.has(s.id)).map((s) => s.payload);
  for (const [id, why] of await judgeReturns(trx, ctx.storeId, returns, goodSales))
    audit.set(id, why);
  for (const p of parsed) {
    const { env, index, hash } = p.c;
    const reason = p.reason ?? audit.get(env.id) ?? null;
    out.eventRows.push({
      id: env.id,
      device_id: ctx.deviceId,
      store_id: ctx.storeId,
      seq: env.seq,
      type: env.type,
      device_time: env.createdAt,
      received_at: ctx.receivedAt,
      status: reason ? 'rejected' : 'accepted',
      reason,
      payload: p.c.payloadJson,
      content_hash: hash,
    });
    if (reason || !p.event) {
      out.results[index] = { id: env.id, status: 'rejected', reason: reason ?? 'invalid' };
      out.exceptions.push({
        kind: 'rejected-event',
        message: `Rejected ${env.type}: ${reason}`,
        deviceId: ctx.deviceId,
        eventId: env.id,
      });
      continue;
    }
    out.results[index] = { id: env.id, status: 'accepted' };
    out.accepted.push(p.event);
    if (ctx.revoked) {
      out.exceptions.push({
        kind: 'revoked-device',
        message: `${env.type} from a revoked till`,
        deviceId: ctx.deviceId,
        eventId: env.id,
      });
    }
  }
}

/** Judge a batch: every fact gets a verdict; only the accepted ones are applied afterwards. */
export async function judgeBatch(
  trx: Transaction<LedgerDb>,
  raw: readonly unknown[],
  ctx: JudgeContext,
): Promise<Verdicts> {
  const out: Verdicts = { results: [], eventRows: [], heldRows: [], exceptions: [], accepted: [] };
  const candidates = checkEnvelopes(raw, ctx, out);
  const fresh = await checkIdentity(trx, candidates, ctx, out);
  await checkPayloads(trx, fresh, ctx, out);
  return out;
}
