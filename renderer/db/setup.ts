// First run of a till: its identity, and the demo catalog until a ledger (or a catalog file) provides one.
import { ulid } from 'ulid';
import { loadCatalog } from './catalog-repo';
import { getSetting, type PosDb } from './db';

export async function ensureSetUp(db: PosDb): Promise<void> {
  if (!(await getSetting(db, 'device'))) {
    await db.settings.put({
      key: 'device',
      value: { deviceId: ulid(), prefix: 'T1', name: 'Till 1' },
    });
  }
  if (!(await getSetting(db, 'catalog'))) {
    // Loaded on demand: only a till's first run needs the demo file.
    const demo = await import('../../assets/demo-catalog.json');
    const result = await loadCatalog(db, demo.default, 'demo');
    if (!result.ok) throw new Error(result.message);
  }
  // Ask the browser not to evict our data under storage pressure (a no-op where unsupported).
  await navigator.storage?.persist?.().catch(() => false);
}
