// The sync engine in a Web Worker: pushing thousands of sales or loading a 50k snapshot never runs on the UI thread.
import { openPosDb } from '../db/db';
import { SyncEngine } from './engine';
import { type SyncCommand, syncCommandSchema } from './messages';

const db = openPosDb();
let token: string | null = null;
const engine = new SyncEngine({ db, token: async () => token });

self.onmessage = async (event: MessageEvent<unknown>) => {
  const parsed = syncCommandSchema.safeParse(event.data);
  if (!parsed.success) return;
  const command: SyncCommand = parsed.data;
  if (command.type === 'start') {
    token = command.token;
    engine.start();
  } else if (command.type === 'sync-now') {
    const outcome = await engine.trigger();
    self.postMessage({ type: 'synced', id: command.id, outcome });
  } else if (command.type === 'stop') {
    engine.stop();
  }
};
