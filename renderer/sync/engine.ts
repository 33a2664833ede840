// The sync loop: push the outbox in order (batches, backoff with jitter, per-event results), then pull changes.
import {
  MAX_PUSH_BYTES,
  MAX_PUSH_EVENTS,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
} from '../../shared/sync';
import { getSetting, type LedgerLink, type OutboxRow, type PosDb } from '../db/db';
import { applyPull, updateSync } from './apply-pull';
import { type CallResult, ledgerCall } from './client';
import { registerPromoKey } from './promo-key';

export type SyncOutcome = 'synced' | 'standalone' | 'needs-enrolment' | 'failed';

export interface EngineOptions {
  db: PosDb;
  /** The device token (from safeStorage in Electron, IndexedDB in the browser). */
  token: () => Promise<string | null>;
  fetchImpl?: typeof fetch;
  now?: () => Date;
  random?: () => number;
  /** Time between background syncs when all is well. */
  intervalMs?: number;
}

const MAX_BACKOFF_MS = 60_000;

/** Exponential backoff with "equal jitter": half fixed, half random, so many tills do not retry in step. */
export function backoffMs(attempt: number, random: () => number): number {
  const cap = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempt, 16));
  return Math.round(cap / 2 + (cap / 2) * random());
}

function envelope(row: OutboxRow) {
  return {
    id: row.eventId,
    seq: row.seq,
    type: row.type,
    createdAt: row.createdAt,
    payload: row.payload,
  };
}

/** The first rows of the queue that fit one push (≤ max events and, with some room for the envelope, ≤ 1 MiB). */
const utf8 = new TextEncoder();

export function takeBatch(rows: readonly OutboxRow[], maxEvents: number): OutboxRow[] {
  const out: OutboxRow[] = [];
  let bytes = 64;
  for (const row of rows) {
    // Bytes on the wire, not UTF-16 units: names in Irish, Polish or Japanese take more.
    const size = utf8.encode(JSON.stringify(envelope(row))).length + 1;
    if (out.length > 0 && (out.length >= maxEvents || bytes + size > MAX_PUSH_BYTES * 0.95)) break;
    out.push(row);
    bytes += size;
  }
  return out;
}

export class SyncEngine {
  private batchSize = MAX_PUSH_EVENTS;
  private attempt = 0;
  private retryAfterMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<SyncOutcome> | null = null;
  private again = false;
  private stopped = true;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.stopped = false;
    void this.trigger();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Sync now (or right after the sync in progress), then keep the background schedule. */
  async trigger(): Promise<SyncOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.running = this.syncOnce().finally(() => {
      this.running = null;
    });
    const outcome = await this.running;
    if (this.again) {
      this.again = false;
      return this.trigger();
    }
    this.schedule(outcome);
    return outcome;
  }

  private schedule(outcome: SyncOutcome): void {
    if (this.stopped || outcome === 'standalone' || outcome === 'needs-enrolment') return;
    // A ledger that says when to come back (429 Retry-After) is taken at its word, if that is later.
    const delay =
      outcome === 'synced'
        ? (this.options.intervalMs ?? 15_000)
        : Math.max(backoffMs(this.attempt, this.random), this.retryAfterMs);
    this.retryAfterMs = 0;
    void updateSync(this.options.db, {
      nextAttemptAt: new Date(this.now().getTime() + delay).toISOString(),
    });
    this.timer = setTimeout(() => void this.trigger(), delay);
  }

  /** Always push first, then pull: the pull's stock then already counts what we just pushed. */
  async syncOnce(): Promise<SyncOutcome> {
    const { db } = this.options;
    const link = await getSetting(db, 'ledger');
    if (!link) return 'standalone';
    const token = await this.options.token();
    if (!token) {
      await updateSync(db, {
        needsEnrolment: true,
        lastError: 'This till has no device token: enrol it again.',
      });
      return 'needs-enrolment';
    }
    await updateSync(db, { lastAttemptAt: this.now().toISOString() });
    const pushed = await this.pushAll(link, token);
    if (pushed !== 'synced') return this.fail(pushed);
    const state = await getSetting(db, 'sync');
    const cursor = state?.cursor ? `?cursor=${encodeURIComponent(state.cursor)}` : '';
    const pulled = await ledgerCall(link.url, `/api/v1/sync/pull${cursor}`, {
      token,
      schema: pullResponseSchema,
      timeoutMs: state?.cursor ? 30_000 : 180_000,
      fetchImpl: this.options.fetchImpl,
    });
    if (!pulled.ok) return this.fail(pulled);
    await applyPull(db, pulled.value, this.now());
    await registerPromoKey(db, link, token, this.now(), this.options.fetchImpl);
    this.attempt = 0;
    return 'synced';
  }

  private async fail(
    result: Extract<CallResult<unknown>, { ok: false }> | 'needs-enrolment',
  ): Promise<SyncOutcome> {
    if (result === 'needs-enrolment' || result.failure === 'unauthorized') {
      await updateSync(this.options.db, {
        needsEnrolment: true,
        lastError:
          result === 'needs-enrolment'
            ? 'The ledger no longer accepts this till: a manager must enrol it again.'
            : result.message,
      });
      return 'needs-enrolment';
    }
    this.attempt += 1;
    this.retryAfterMs = Math.min(result.retryAfterMs ?? 0, 10 * 60_000);
    await updateSync(this.options.db, { lastError: result.message });
    return 'failed';
  }

  /** Push the whole queue; stops at the first failure that needs a retry later. */
  private async pushAll(
    link: LedgerLink,
    token: string,
  ): Promise<'synced' | 'needs-enrolment' | Extract<CallResult<unknown>, { ok: false }>> {
    const { db } = this.options;
    for (;;) {
      const rows = takeBatch(
        await db.outbox.orderBy('seq').limit(this.batchSize).toArray(),
        this.batchSize,
      );
      if (rows.length === 0) return 'synced';
      const res = await ledgerCall(link.url, '/api/v1/sync/push', {
        method: 'POST',
        token,
        body: { events: rows.map(envelope) },
        schema: pushResponseSchema,
        fetchImpl: this.options.fetchImpl,
      });
      if (res.ok) {
        await this.settle(rows, res.value);
        this.batchSize = MAX_PUSH_EVENTS;
        continue;
      }
      if (res.failure === 'unauthorized') return 'needs-enrolment';
      if (res.failure === 'too-large' || res.failure === 'bad-request') {
        // Split until the culprit is alone; a single fact the ledger cannot take at all is set aside.
        if (rows.length > 1) {
          this.batchSize = Math.max(1, Math.floor(rows.length / 2));
          continue;
        }
        await this.quarantine(rows[0]!, `The ledger refused it: ${res.message}`);
        continue;
      }
      return res;
    }
  }

  private async settle(rows: readonly OutboxRow[], response: PushResponse): Promise<void> {
    const { db } = this.options;
    const byId = new Map(rows.map((r) => [r.eventId, r]));
    const at = this.now().toISOString();
    await db.transaction('rw', [db.outbox, db.quarantine], async () => {
      for (const result of response.results) {
        const row = byId.get(result.id);
        if (!row) continue;
        if (result.status === 'rejected') {
          await db.quarantine.put({
            ...row,
            reason: result.reason ?? 'rejected by the ledger',
            quarantinedAt: at,
          });
        }
        await db.outbox.delete(row.seq);
      }
      await db.outbox.where('seq').belowOrEqual(response.watermark).delete();
    });
  }

  private async quarantine(row: OutboxRow, reason: string): Promise<void> {
    const { db } = this.options;
    await db.transaction('rw', [db.outbox, db.quarantine], async () => {
      await db.quarantine.put({ ...row, reason, quarantinedAt: this.now().toISOString() });
      await db.outbox.delete(row.seq);
    });
  }
}
