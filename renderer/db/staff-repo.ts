// Staff PIN checks at this till, with the lockout kept in the database so a reload does not reset it.
import { discountLimitBp, type Staff } from '../../shared/catalog';
import {
  afterAttempt,
  lockRemainingMs,
  MAX_PIN_FAILURES,
  noLockout,
  pinSchema,
  verifyPin,
} from '../../shared/pin';
import { getSetting, type PosDb } from './db';

export type PinResult =
  | { ok: true; staff: Staff }
  | { ok: false; message: string; lockedMs: number };

function lockedMessage(ms: number): string {
  return `Too many wrong PINs. Try again in ${Math.ceil(ms / 1000)} s.`;
}

/**
 * Find the staff member whose PIN this is (PINs are unique per store). `eligible`
 * narrows who counts (e.g. only people allowed to approve a discount).
 */
export async function checkPin(
  db: PosDb,
  pin: string,
  now: number,
  eligible: (s: Staff) => boolean = () => true,
): Promise<PinResult> {
  const lockout = (await getSetting(db, 'lockout')) ?? noLockout;
  const left = lockRemainingMs(lockout, now);
  if (left > 0) return { ok: false, message: lockedMessage(left), lockedMs: left };
  if (!pinSchema.safeParse(pin).success) {
    return { ok: false, message: 'A PIN is 4 to 8 digits.', lockedMs: 0 };
  }
  const staff = (await db.staff.toArray()).filter(eligible);
  const matches = await Promise.all(staff.map((s) => verifyPin(pin, s.pinHash)));
  const found = staff[matches.indexOf(true)];
  const next = afterAttempt(lockout, found !== undefined, now);
  await db.settings.put({ key: 'lockout', value: next });
  if (found) return { ok: true, staff: found };
  const lockedMs = lockRemainingMs(next, now);
  if (lockedMs > 0) return { ok: false, message: lockedMessage(lockedMs), lockedMs };
  const triesLeft = MAX_PIN_FAILURES - next.failures;
  return {
    ok: false,
    message: `Wrong PIN. ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left before a 30 s lock.`,
    lockedMs: 0,
  };
}

/** Someone whose own limit covers a discount of `bp` basis points. */
export const canApprove = (bp: number) => (s: Staff) => discountLimitBp[s.role] >= bp;
