// What goes in one push: the first outbox rows that fit what the ledger takes, and whether to gzip them.
import {
  LEDGER_MAX_PUSH_BYTES,
  LEDGER_MAX_PUSH_EVENTS,
  MAX_PUSH_BYTES,
  MAX_PUSH_EVENTS,
  type PushLimits,
  type PushResponse,
} from '../../shared/sync';
import type { OutboxRow } from '../db/db';

/** What every ledger takes, uncompressed: a till keeps to it until the ledger says it takes more. */
export const EVERY_LEDGER: PushLimits = {
  maxEvents: MAX_PUSH_EVENTS,
  maxBytes: MAX_PUSH_BYTES,
  encodings: [],
};

/**
 * Below this a push goes uncompressed: one sale is ~1.3 KB of JSON, a packet or two either way,
 * so gzip would save no round trip on the stall's Wi-Fi and only cost a stream each time.
 */
export const GZIP_MIN_BYTES = 2 * 1024;

/**
 * Until a ledger has answered a push, a push is at most this many facts: the first answer says
 * whether the rest may go 2,000 at a time and gzipped, and 100 sales (~110 KB) cross the stall's
 * Wi-Fi in a fifth of the time 500 plain ones take. An older ledger costs one push more.
 */
export const FIRST_PUSH_EVENTS = 100;

/** Room left under the ledger's byte limit for what this count does not see (the body's braces, rounding). */
const BYTES_MARGIN = 0.95;

/**
 * What the ledger said it takes on a push answer (an older ledger says nothing), up to 2,000
 * facts / 4 MiB: a bigger push would hold the ledger's transaction longer and lose more to a
 * dropped connection, for little more speed.
 */
export function limitsOf(answer: PushResponse): PushLimits {
  const said = answer.pushLimits;
  if (!said) return EVERY_LEDGER;
  return {
    maxEvents: Math.min(said.maxEvents, LEDGER_MAX_PUSH_EVENTS),
    maxBytes: Math.min(said.maxBytes, LEDGER_MAX_PUSH_BYTES),
    encodings: said.encodings,
  };
}

export function envelope(row: OutboxRow) {
  return {
    id: row.eventId,
    seq: row.seq,
    type: row.type,
    createdAt: row.createdAt,
    payload: row.payload,
  };
}

export interface Batch {
  rows: OutboxRow[];
  /** The uncompressed JSON body's size in bytes (what the ledger's limit counts), give or take a few. */
  bytes: number;
  /** Send it gzip-compressed: the ledger takes gzip and the body is big enough for it to pay. */
  gzip: boolean;
  /** More than every ledger takes (facts or bytes), or compressed: an older ledger would refuse it. */
  beyondEveryLedger: boolean;
}

const utf8 = new TextEncoder();

/** The first rows of the queue that fit one push: ≤ `maxEvents` and, with some margin, ≤ the limit's bytes. */
export function takeBatch(
  rows: readonly OutboxRow[],
  maxEvents: number,
  limits: PushLimits = EVERY_LEDGER,
): Batch {
  const out: OutboxRow[] = [];
  const events = Math.min(maxEvents, limits.maxEvents);
  let bytes = 64;
  for (const row of rows) {
    // Bytes on the wire, not UTF-16 units: names in Irish, Polish or Japanese take more.
    const size = utf8.encode(JSON.stringify(envelope(row))).length + 1;
    if (out.length > 0 && (out.length >= events || bytes + size > limits.maxBytes * BYTES_MARGIN))
      break;
    out.push(row);
    bytes += size;
  }
  const gzip = limits.encodings.includes('gzip') && bytes >= GZIP_MIN_BYTES;
  return {
    rows: out,
    bytes,
    gzip,
    beyondEveryLedger:
      gzip || out.length > MAX_PUSH_EVENTS || bytes > MAX_PUSH_BYTES * BYTES_MARGIN,
  };
}
