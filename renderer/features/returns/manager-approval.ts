// A manager's PIN approving a returns-policy override: a cashier's own PIN is told a manager must approve, not "wrong PIN".
import type { Staff } from '../../../shared/catalog';
import type { PosDb } from '../../db/db';
import { checkPin } from '../../db/staff-repo';

export type ManagerApproval = { ok: true; manager: Staff } | { ok: false; message: string };

/** Minimum characters of the reason recorded with an override (the return fact's own rule). */
export const OVERRIDE_REASON_MIN = 3;

/**
 * Check the PIN against every staff member (so a known PIN of the wrong role is named as such),
 * then require a manager. The lockout after wrong PINs is the login's, kept in the database.
 */
export async function approveByManager(
  db: PosDb,
  pin: string,
  reason: string,
  now = Date.now(),
): Promise<ManagerApproval> {
  if (reason.trim().length < OVERRIDE_REASON_MIN) {
    return { ok: false, message: 'Say why the policy is overridden (at least 3 characters).' };
  }
  const checked = await checkPin(db, pin, now);
  if (!checked.ok) return { ok: false, message: checked.message };
  if (checked.staff.role !== 'manager') {
    return {
      ok: false,
      message: `${checked.staff.name} is not a manager: a manager must approve this override.`,
    };
  }
  return { ok: true, manager: checked.staff };
}
