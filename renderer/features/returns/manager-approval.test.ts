// A manager's PIN approving a returns override, against a real IndexedDB (fake-indexeddb) with the demo staff.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../../assets/demo-catalog.json';
import { loadCatalog } from '../../db/catalog-repo';
import { openPosDb, type PosDb } from '../../db/db';
import { approveByManager } from './manager-approval';

let db: PosDb;
let dbCount = 0;
// The demo staff: Aoife (cashier) 1234, Niamh (manager) 9999.
const CASHIER_PIN = '1234';
const MANAGER_PIN = '9999';

beforeEach(async () => {
  db = openPosDb(`manager-approval-${++dbCount}`);
  const loaded = await loadCatalog(db, demo, 'demo');
  expect(loaded.ok).toBe(true);
});

afterEach(async () => {
  await db.delete();
});

describe('approveByManager', () => {
  it('names the manager whose PIN it is', async () => {
    const result = await approveByManager(db, MANAGER_PIN, 'Regular customer');
    expect(result).toMatchObject({ ok: true, manager: { id: 'staff-niamh', role: 'manager' } });
  });

  it("tells a cashier's own PIN that a manager must approve, not that the PIN is wrong", async () => {
    const result = await approveByManager(db, CASHIER_PIN, 'Regular customer');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('a manager must approve');
    expect(result.message).not.toMatch(/wrong pin/i);
  });

  it('says a PIN nobody has is wrong', async () => {
    const result = await approveByManager(db, '4321', 'Regular customer');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Wrong PIN/);
  });

  it('asks for a reason of at least 3 characters before checking any PIN', async () => {
    const result = await approveByManager(db, MANAGER_PIN, '  ok ');
    expect(result).toEqual({
      ok: false,
      message: 'Say why the policy is overridden (at least 3 characters).',
    });
    // No PIN attempt was counted against the lockout.
    expect((await db.settings.get('lockout'))?.value).toBeUndefined();
  });
});
