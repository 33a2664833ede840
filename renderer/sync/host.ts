// Starts the sync engine in a worker (or on this thread where workers are unavailable) and lets the UI ask for a sync.
import type { PosDb } from '../db/db';
import { SyncEngine, type SyncOutcome } from './engine';
import { type SyncCommand, syncReplySchema } from './messages';
import { readDeviceToken } from './token';

export interface SyncHost {
  syncNow(): Promise<SyncOutcome>;
  stop(): void;
}

/** The engine is all async I/O, so the UI thread can host it when a worker cannot start. */
function inThread(db: PosDb, token: string | null): SyncHost {
  const engine = new SyncEngine({ db, token: async () => token });
  engine.start();
  return { syncNow: () => engine.trigger(), stop: () => engine.stop() };
}

export async function startSync(db: PosDb): Promise<SyncHost> {
  const token = await readDeviceToken(db);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./sync.worker.ts', import.meta.url), {
      type: 'module',
      name: 'poptill-sync',
    });
  } catch (error) {
    console.warn('Sync runs on the UI thread: no worker', error);
    return inThread(db, token);
  }
  const waiting = new Map<number, (o: SyncOutcome) => void>();
  let next = 0;
  // A worker script that fails to load (e.g. module workers from file://) reports it here, later.
  let fallback: SyncHost | null = null;
  worker.onerror = (event) => {
    if (fallback) return;
    console.warn('Sync worker failed; running sync on the UI thread', event.message);
    worker.terminate();
    fallback = inThread(db, token);
    for (const [id, resolve] of waiting) {
      waiting.delete(id);
      void fallback.syncNow().then(resolve);
    }
  };
  worker.onmessage = (e: MessageEvent<unknown>) => {
    const reply = syncReplySchema.safeParse(e.data);
    if (reply.success) waiting.get(reply.data.id)?.(reply.data.outcome);
  };
  const send = (c: SyncCommand) => worker.postMessage(c);
  send({ type: 'start', token });
  return {
    syncNow: () => {
      if (fallback) return fallback.syncNow();
      return new Promise((resolve) => {
        const id = ++next;
        waiting.set(id, (o) => {
          waiting.delete(id);
          resolve(o);
        });
        send({ type: 'sync-now', id });
      });
    },
    stop: () => {
      fallback?.stop();
      send({ type: 'stop' });
      worker.terminate();
    },
  };
}
