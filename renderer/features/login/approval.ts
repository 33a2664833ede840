// A PIN that approves something above the cashier's own limit: a known PIN of someone who may not approve is told who must, never "Wrong PIN".
import { discountLimitBp, type Staff } from '../../../shared/catalog';
import type { PosDb } from '../../db/db';
import { canApprove, checkPin } from '../../db/staff-repo';

export type Approval = { ok: true; staff: Staff } | { ok: false; message: string };

/** Check the PIN against every staff member (the login's lockout applies), then whether they may approve. */
export async function approveDiscount(
  db: PosDb,
  pin: string,
  bp: number,
  now = Date.now(),
): Promise<Approval> {
  const checked = await checkPin(db, pin, now);
  if (!checked.ok) return { ok: false, message: checked.message };
  if (!canApprove(bp)(checked.staff)) {
    const { name, role } = checked.staff;
    return {
      ok: false,
      message: `${name} (${role}, up to ${discountLimitBp[role] / 100}%) cannot approve ${bp / 100}%: a manager must approve this discount.`,
    };
  }
  return { ok: true, staff: checked.staff };
}
