// The stall hub's loop: forward the tills' facts to the central ledger, then pull from it, again and again; backs off (with jitter) while central is out of reach and keeps serving the tills meanwhile.
import type { Kysely } from 'kysely';
import {
  type HubReturn,
  type HubReturnRequest,
  type HubTill,
  hubTillResponseSchema,
} from '../../shared/hub';
import { pullResponseSchema } from '../../shared/sync';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { HttpError } from '../http/api';
import type { TillMove } from '../ledger/allotments';
import { requestAtHub, returnToCentral, serialized } from './allotments';
import { CentralError, centralCall } from './central';
import { forwardPending, forwardTillKeys } from './forwarder';
import { type HubLink, readLink } from './link';
import { applyCentralPull } from './mirror';

export interface HubLog {
  info: (message: string) => void;
  warn: (message: string) => void;
}

export interface StallHub {
  /** One round now: forward, then pull. Throws when central does not answer or refuses. */
  syncOnce: () => Promise<{ forwarded: number }>;
  /** For the enrol route: central gives a till pairing here its id and prefix. */
  registerTill: (name: string) => Promise<HubTill>;
  /** A till's request for more drop units: central tops up the stall's pool when it falls short. */
  requestForTill: (
    till: { id: string; storeId: string },
    dropId: string,
    ask: { sku: string; qty: number },
  ) => Promise<TillMove>;
  /** The stall's unsold units of a drop item back to central's pool, once per key. */
  returnToCentral: (dropId: string, ask: HubReturnRequest) => Promise<HubReturn>;
  stop: () => void;
}

const MAX_BACKOFF_MS = 30_000;

export function createStallHub(
  db: Kysely<LedgerDb>,
  log: HubLog,
  options: { intervalMs?: number; now?: () => Date; engine?: Engine } = {},
): StallHub {
  const engine = options.engine ?? 'sqlite';
  // Hub-level allotment changes one at a time: the stall's pool each checks is still the pool.
  const exclusive = serialized();
  const now = options.now ?? (() => new Date());
  const every = options.intervalMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  let running: Promise<{ forwarded: number }> | null = null;
  const keysSent = new Set<string>();

  const link = async (): Promise<HubLink> => {
    const l = await readLink(db);
    if (!l) throw new Error('This hub is not linked to a central ledger.');
    return l;
  };

  const round = async () => {
    const l = await link();
    const forwarded = await forwardPending(db, l, now);
    await forwardTillKeys(db, l, keysSent);
    const pulled = await centralCall(
      l.upstreamUrl,
      `/api/v1/sync/pull${l.cursor ? `?cursor=${encodeURIComponent(l.cursor)}` : ''}`,
      { token: l.token, schema: pullResponseSchema, timeoutMs: l.cursor ? 30_000 : 180_000 },
    );
    await applyCentralPull(db, l.storeId, pulled, now());
    return { forwarded };
  };

  const syncOnce = () => {
    // One round at a time: two would forward the same batch twice (harmless, but wasted).
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  const loop = async () => {
    if (stopped) return;
    let delay = every;
    try {
      const { forwarded } = await syncOnce();
      if (failures > 0) log.info('stall hub: the central ledger answers again');
      failures = 0;
      if (forwarded > 0) log.info(`stall hub: forwarded ${forwarded} facts to the central ledger`);
    } catch (error) {
      failures += 1;
      const cap = Math.min(MAX_BACKOFF_MS, every * 2 ** Math.min(failures, 10));
      delay = Math.round(cap / 2 + (cap / 2) * Math.random());
      if (failures === 1 || failures % 10 === 0)
        log.warn(
          `stall hub: ${error instanceof Error ? error.message : String(error)} (tills keep selling here; retrying in ${Math.round(delay / 1000)} s)`,
        );
    }
    if (!stopped) timer = setTimeout(() => void loop(), delay);
  };
  timer = setTimeout(() => void loop(), 0);

  return {
    syncOnce,
    registerTill: async (name) => {
      const l = await link();
      try {
        return await centralCall(l.upstreamUrl, '/api/v1/hub/tills', {
          method: 'POST',
          token: l.token,
          body: { name },
          schema: hubTillResponseSchema,
        });
      } catch (error) {
        if (!(error instanceof CentralError)) throw error;
        throw new HttpError(
          409,
          'conflict',
          `This stall hub cannot register the till with the central ledger now (${error.message}). Pair it when the hub is online; paired tills keep selling meanwhile.`,
        );
      }
    },
    requestForTill: (till, dropId, ask) =>
      exclusive(async () => requestAtHub(db, engine, await link(), till, dropId, ask, now())),
    returnToCentral: (dropId, ask) =>
      exclusive(async () => returnToCentral(db, engine, await link(), dropId, ask, now())),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
