// The sync loop: push the outbox in order (batches, backoff with jitter), settle each fact by the ledger's verdict, then pull; a light probe says whether the ledger answers.
import { z } from 'zod';
import {
  type PushLimits,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
} from '../../shared/sync';
import { getSetting, type LedgerLink, type OutboxRow, type PosDb } from '../db/db';
import { applyPull, returnUnitsOf, updateSync } from './apply-pull';
import { type CallResult, ledgerCall } from './client';
import { describeFailure, type SyncProblem, tillFault } from './problems';
import { registerPromoKey } from './promo-key';
import { EVERY_LEDGER, envelope, FIRST_PUSH_EVENTS, limitsOf, takeBatch } from './push-batch';

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
  /** Time between reachability probes (jittered ±20%); 0 turns the probe off. */
  probeMs?: number;
}

/** Often enough that the pill says Offline (and syncs again) within a few seconds; one cheap GET each. */
const PROBE_MS = 2_500;

const healthSchema = z.object({ ok: z.boolean() });

/** The ledger did not answer at all (as opposed to answering with an error): the till is offline. */
const isUnreachable = (failure: string) => failure === 'network' || failure === 'timeout';

const MAX_BACKOFF_MS = 60_000;

type CallFailure = Extract<CallResult<unknown>, { ok: false }>;

/** Exponential backoff with "equal jitter": half fixed, half random, so many tills do not retry in step. */
export function backoffMs(attempt: number, random: () => number): number {
  const cap = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempt, 16));
  return Math.round(cap / 2 + (cap / 2) * random());
}

/**
 * A batch-level answer that says the ledger (or a proxy before it) will not take a push this
 * big or this encoded: 413, 415, or a 400 to a gzip body (an older ledger reads it as bad JSON).
 */
const refusesSize = (status: number | undefined, gzip: boolean) =>
  status === 413 || status === 415 || (gzip && status === 400);

export class SyncEngine {
  /** At most this many facts a push: halved on a 413 at what every ledger takes, back to no cap after an answer. */
  private batchSize = Number.POSITIVE_INFINITY;
  /** What the ledger said it takes on its last push answer (nothing said: what every ledger takes); null before any answer. */
  private advertised: PushLimits | null = null;
  /**
   * The ledger, or something on the way to it, refused a push it said it takes (a proxy with a
   * smaller body limit, a ledger downgraded under the till): keep to what every ledger takes
   * until the sync restarts (the app, or a new ledger address).
   */
  private keepToEveryLedger = false;
  private attempt = 0;
  /** How long to wait before the next attempt after a failure (backoff, or the ledger's Retry-After). */
  private retryDelayMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last call failed for want of an answer: a probe that gets one syncs at once. */
  private unreachable = false;
  /** Probes in a row that timed out or got an error answer: the ledger may be overloaded, so they space out. */
  private probeStrain = 0;
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
    this.scheduleProbe();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.probeTimer);
  }

  private scheduleProbe(delayMs?: number): void {
    const every = this.options.probeMs ?? PROBE_MS;
    if (this.stopped || every <= 0) return;
    clearTimeout(this.probeTimer);
    // Jitter, so tills that lost the ledger together do not call it back in step.
    const delay = delayMs ?? Math.round(every * (0.8 + 0.4 * this.random()));
    this.probeTimer = setTimeout(() => void this.probe(), delay);
  }

  /**
   * One cheap authenticated GET (the health route; the token puts it in this till's own rate
   * limit). No answer: the till is offline since now. An answer after none: sync at once rather
   * than wait out the backoff. An error answer (busy, fault) changes nothing: the backoff and the
   * ledger's Retry-After stand, and the next probe waits at least as long as Retry-After says.
   */
  async probe(): Promise<void> {
    let next: number | undefined;
    try {
      if (this.running) return;
      const { db } = this.options;
      const link = await getSetting(db, 'ledger');
      const token = link ? await this.options.token() : null;
      if (!link || !token) return;
      const res = await ledgerCall(link.url, '/api/v1/health', {
        token,
        schema: healthSchema,
        timeoutMs: 4_000,
        fetchImpl: this.options.fetchImpl,
      });
      if (this.stopped || this.running) return;
      if (!res.ok) {
        // Refused at once (the ledger is not running) costs it nothing: keep probing every few
        // seconds. A timeout or an error answer may mean it is overloaded: back off like a
        // retry does (capped, jittered) and never sooner than its Retry-After.
        if (res.failure !== 'network') {
          this.probeStrain += 1;
          next = Math.max(res.retryAfterMs ?? 0, backoffMs(this.probeStrain, this.random));
        }
        if (isUnreachable(res.failure)) {
          this.unreachable = true;
          await this.markReachable(false);
        }
        return;
      }
      this.probeStrain = 0;
      const wasUnreachable = this.unreachable;
      this.unreachable = false;
      await this.markReachable(true);
      if (wasUnreachable) void this.trigger();
    } catch (error) {
      console.error('Ledger probe failed unexpectedly', error);
    } finally {
      this.scheduleProbe(next);
    }
  }

  /** Online is "the ledger answered the last call", not the network card's idea of it. */
  private async markReachable(reachable: boolean): Promise<void> {
    const { db } = this.options;
    const state = await getSetting(db, 'sync');
    if (reachable) {
      if (state?.offlineSince) await updateSync(db, { offlineSince: null });
    } else if (!state?.offlineSince) {
      await updateSync(db, { offlineSince: this.now().toISOString() });
    }
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
    const delay = outcome === 'synced' ? (this.options.intervalMs ?? 15_000) : this.retryDelayMs;
    void updateSync(this.options.db, {
      nextAttemptAt: new Date(this.now().getTime() + delay).toISOString(),
    });
    this.timer = setTimeout(() => void this.trigger(), delay);
  }

  /**
   * Always push first, then pull: the pull's stock then already counts what we just pushed.
   * 'synced' only once every fact queued when the push began has the ledger's verdict.
   */
  async syncOnce(): Promise<SyncOutcome> {
    try {
      return await this.pushThenPull();
    } catch (error) {
      // A bug or a damaged row here must not stop the schedule: log it, keep every fact, retry.
      console.error('Sync failed unexpectedly; every fact stays queued.', error);
      return this.retryLater(() =>
        tillFault(error instanceof Error ? error.message : String(error), this.retryDelayMs),
      );
    }
  }

  private async pushThenPull(): Promise<SyncOutcome> {
    const { db } = this.options;
    const link = await getSetting(db, 'ledger');
    if (!link) return 'standalone';
    const token = await this.options.token();
    if (!token) {
      await updateSync(db, {
        needsEnrolment: true,
        lastError: 'This till has no device token: enrol it again.',
        problem: {
          code: 'needs-enrolment',
          message: 'This till has no device token: enrol it again.',
        },
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
    this.unreachable = false;
    await this.markReachable(true);
    return 'synced';
  }

  /** Note why, in words, and when the till tries again; the facts stay where they are. */
  private async fail(result: CallFailure | 'needs-enrolment'): Promise<SyncOutcome> {
    if (result === 'needs-enrolment' || result.failure === 'unauthorized') {
      const message =
        result === 'needs-enrolment'
          ? 'The ledger no longer accepts this till: a manager must enrol it again.'
          : result.message;
      await updateSync(this.options.db, {
        needsEnrolment: true,
        lastError: message,
        problem: { code: 'needs-enrolment', message },
      });
      return 'needs-enrolment';
    }
    this.unreachable = isUnreachable(result.failure);
    await this.markReachable(!this.unreachable);
    return this.retryLater(
      () => describeFailure(result.failure, result.status, result.message, this.retryDelayMs),
      result.retryAfterMs,
    );
  }

  private async retryLater(problemFor: () => SyncProblem, retryAfterMs = 0): Promise<SyncOutcome> {
    this.attempt += 1;
    // A ledger that says when to come back (429 Retry-After) is taken at its word, if that is later.
    this.retryDelayMs = Math.max(
      backoffMs(this.attempt, this.random),
      Math.min(retryAfterMs, 10 * 60_000),
    );
    const problem = problemFor();
    await updateSync(this.options.db, { lastError: problem.message, problem });
    return 'failed';
  }

  /** Push the whole queue; stops at the first failure, which leaves every fact queued for a retry. */
  private async pushAll(
    link: LedgerLink,
    token: string,
  ): Promise<'synced' | 'needs-enrolment' | CallFailure> {
    const { db } = this.options;
    for (;;) {
      const limits = this.keepToEveryLedger ? EVERY_LEDGER : (this.advertised ?? EVERY_LEDGER);
      const first = this.advertised === null ? FIRST_PUSH_EVENTS : Number.POSITIVE_INFINITY;
      const most = Math.min(this.batchSize, first, limits.maxEvents);
      const batch = takeBatch(await db.outbox.orderBy('seq').limit(most).toArray(), most, limits);
      const { rows } = batch;
      if (rows.length === 0) return 'synced';
      const res = await ledgerCall(link.url, '/api/v1/sync/push', {
        method: 'POST',
        token,
        body: { events: rows.map(envelope) },
        gzip: batch.gzip,
        schema: pushResponseSchema,
        fetchImpl: this.options.fetchImpl,
      });
      if (res.ok) {
        this.advertised = limitsOf(res.value);
        // An answer that judges none of what was sent would have the till resend it in a tight loop.
        if ((await this.settle(rows, res.value)) === 0)
          return {
            ok: false,
            failure: 'bad-response',
            status: 200,
            message: 'The ledger answered without a verdict on the facts sent.',
          };
        this.batchSize = Number.POSITIVE_INFINITY;
        continue;
      }
      if (res.failure === 'unauthorized') return 'needs-enrolment';
      // Refused for its size or its encoding: the same facts go again at once, as every ledger takes them.
      if (batch.beyondEveryLedger && refusesSize(res.status, batch.gzip)) {
        console.warn(
          `The ledger refused a push of ${rows.length} facts${batch.gzip ? ', gzip' : ''} (HTTP ${res.status}): sending ${EVERY_LEDGER.maxEvents} at most, uncompressed, from now on.`,
        );
        this.keepToEveryLedger = true;
        continue;
      }
      // 413 may be about the batch: send half as many. A single fact still refused waits like any refusal.
      if (res.failure === 'too-large' && rows.length > 1) {
        this.batchSize = Math.max(1, Math.floor(rows.length / 2));
        continue;
      }
      return res;
    }
  }

  /**
   * Apply the ledger's per-fact verdicts: accepted and duplicate leave the outbox; rejected and
   * conflict are final too, and move to the rejected list with the ledger's reason. Returns how
   * many facts left the outbox.
   */
  private async settle(rows: readonly OutboxRow[], response: PushResponse): Promise<number> {
    const { db } = this.options;
    const byId = new Map(rows.map((r) => [r.eventId, r]));
    const judgedAt = this.now().toISOString();
    return db.transaction('rw', [db.outbox, db.rejected, db.stockPages], async () => {
      const before = await db.outbox.count();
      for (const result of response.results) {
        const row = byId.get(result.id);
        if (!row) continue;
        if (result.status === 'rejected' || result.status === 'conflict') {
          await db.rejected.put({
            ...row,
            verdict: result.status,
            reason: result.reason ?? FALLBACK_REASON[result.status],
            judgedAt,
          });
          await returnUnitsOf(db, row);
        }
        await db.outbox.delete(row.seq);
      }
      // The ledger holds every fact up to its watermark, whatever became of this answer's results.
      await db.outbox.where('seq').belowOrEqual(response.watermark).delete();
      return before - (await db.outbox.count());
    });
  }
}

const FALLBACK_REASON = {
  rejected: 'The ledger rejected it without giving a reason.',
  conflict: 'The ledger holds another fact under this id; both are kept for a manager.',
} as const;
