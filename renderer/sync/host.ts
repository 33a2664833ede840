// Starts the sync engine in a worker (or on this thread where workers are unavailable) and lets the UI ask for a sync.
import type { PosDb } from '../db/db';
import { SyncEngine, type SyncOutcome } from './engine';
import { type SyncCommand, syncReplySchema } from './messages';
import { readDeviceToken } from './token';

export interface SyncHost {
  syncNow(): Promise<SyncOutcome>;
  stop(): void;
}

export async function startSync(db: PosDb): Promise<SyncHost> {
  const token = await readDeviceToken(db);
  try {
    const worker = new Worker(new URL('./sync.worker.ts', import.meta.url), {
      type: 'module',
      name: 'poptill-sync',
    });
    const waiting = new Map<number, (o: SyncOutcome) => void>();
    let next = 0;
    worker.onmessage = (e: MessageEvent<unknown>) => {
      const reply = syncReplySchema.safeParse(e.data);
      if (reply.success) waiting.get(reply.data.id)?.(reply.data.outcome);
    };
    const send = (c: SyncCommand) => worker.postMessage(c);
    send({ type: 'start', token });
    return {
      syncNow: () =>
        new Promise((resolve) => {
          const id = ++next;
          waiting.set(id, (o) => {
            waiting.delete(id);
            resolve(o);
          });
          send({ type: 'sync-now', id });
        }),
      stop: () => {
        send({ type: 'stop' });
        worker.terminate();
      },
    };
  } catch (error) {
    // Workers from file:// can be refused; the engine is all async I/O, so the UI thread can host it.
    console.warn('Sync runs on the UI thread: no worker', error);
    const engine = new SyncEngine({ db, token: async () => token });
    engine.start();
    return { syncNow: () => engine.trigger(), stop: () => engine.stop() };
  }
}
