// What makes two pushed facts "the same": a sha256 of a canonical serialization, and what the ledger already holds under an id or sequence number.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LedgerDb } from '../db/schema';

/** Keys written as JSON strings, by key: a sale's objects share a few dozen keys. Bounded: keys come from tills. */
const quotedKeys = new Map<string, string>();

function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (k.length <= 64 && quotedKeys.size < 4_096) quotedKeys.set(k, q);
  }
  return q;
}

/**
 * JSON with object keys sorted at every level, so the same fact hashes the same whatever
 * order a till's serializer wrote its keys in. Recursive: call it only on a value that
 * passed checkFactShape (bounded depth and size). This runs on every pushed fact, so it is
 * written for speed (plain loops, an insertion sort of the few keys an object has, keys
 * quoted once); push-identity.test.ts checks it against the plain definition.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Insertion sort by UTF-16 code units, as Array.prototype.sort's default order.
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string;
      j -= 1;
    }
    keys[j + 1] = k;
  }
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${quoteKey(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** What the ledger keeps of a fact's content: its hash, and its payload as canonical JSON (the text it stores). */
export interface FactIdentity {
  hash: string;
  payloadJson: string;
}

/**
 * The content of a fact, apart from its id: type, sequence, device time and payload, hashed over
 * their canonical JSON. The payload's canonical text is made once and kept: it is the text the
 * ledger stores (the same JSON as the till's with its keys sorted), so no second serialization.
 */
export function factIdentity(fact: {
  type: string;
  seq: number;
  createdAt: string;
  payload: unknown;
}): FactIdentity {
  const payloadJson = canonicalJson(fact.payload ?? null);
  // canonicalJson of { type, seq, createdAt, payload }: the same keys, sorted.
  const body = `{"createdAt":${canonicalJson(fact.createdAt)},"payload":${payloadJson},"seq":${canonicalJson(fact.seq)},"type":${canonicalJson(fact.type)}}`;
  return { hash: createHash('sha256').update(body, 'utf8').digest('hex'), payloadJson };
}

/** The content hash alone (see factIdentity). */
export function contentHash(fact: {
  type: string;
  seq: number;
  createdAt: string;
  payload: unknown;
}): string {
  return factIdentity(fact).hash;
}

export interface StoredFact {
  id: string;
  deviceId: string;
  seq: number;
  status: 'accepted' | 'rejected';
  reason: string | null;
  hash: string;
}

export interface HeldFact {
  eventId: string;
  kind: 'conflict' | 'seq-reused' | 'malformed';
  reason: string;
  hash: string;
}

const CHUNK = 500;

/** Facts in the event log under these ids, with their content hashes (computed for rows stored before hashes were kept). */
export async function storedFacts(
  trx: Kysely<LedgerDb>,
  ids: readonly string[],
): Promise<Map<string, StoredFact>> {
  const found = new Map<string, StoredFact>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('events')
      .select(['id', 'device_id', 'seq', 'type', 'device_time', 'status', 'reason'])
      .select(['payload', 'content_hash'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      const hash =
        r.content_hash ??
        contentHash({
          type: r.type,
          seq,
          createdAt: r.device_time,
          payload: JSON.parse(r.payload) as unknown,
        });
      found.set(r.id, {
        id: r.id,
        deviceId: r.device_id,
        seq,
        status: r.status,
        reason: r.reason,
        hash,
      });
    }
  }
  return found;
}

/** Versions this device already had held under these ids, keyed `${eventId} ${hash}`. */
export async function heldFacts(
  trx: Kysely<LedgerDb>,
  deviceId: string,
  ids: readonly string[],
): Promise<Map<string, HeldFact>> {
  const found = new Map<string, HeldFact>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('held_facts')
      .select(['event_id', 'kind', 'reason', 'content_hash'])
      .where('device_id', '=', deviceId)
      .where('event_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows)
      found.set(`${r.event_id} ${r.content_hash}`, {
        eventId: r.event_id,
        kind: r.kind,
        reason: r.reason,
        hash: r.content_hash,
      });
  }
  return found;
}

/** Which of these sequence numbers this device has already used, in the event log or held. */
export async function usedSeqs(
  trx: Kysely<LedgerDb>,
  deviceId: string,
  seqs: readonly number[],
): Promise<Map<number, string>> {
  const used = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const part = seqs.slice(i, i + CHUNK);
    const [events, held] = await Promise.all([
      trx
        .selectFrom('events')
        .select(['seq', 'id'])
        .where('device_id', '=', deviceId)
        .where('seq', 'in', part)
        .execute(),
      trx
        .selectFrom('held_facts')
        .select(['seq', 'event_id as id'])
        .where('device_id', '=', deviceId)
        .where('seq', 'in', part)
        .execute(),
    ]);
    for (const r of [...held, ...events]) used.set(Number(r.seq), r.id);
  }
  return used;
}
