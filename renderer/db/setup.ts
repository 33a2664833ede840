// Start-up of the local database: ask the browser to keep our data; the set-up screen decides the rest.
import type { PosDb } from './db';

export async function ensureSetUp(db: PosDb): Promise<void> {
  await db.open();
  // Ask the browser not to evict our data under storage pressure (a no-op where unsupported).
  await navigator.storage?.persist?.().catch(() => false);
}
