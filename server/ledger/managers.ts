// Manager sign-in: PIN plus the till's device token (session bound to that till) or PIN plus the ledger password; wrong tries lock that store for that client, with back-off.
import type { Kysely } from 'kysely';
import type { ManagerSignIn } from '../../shared/manager-auth';
import { verifyPin } from '../../shared/pin';
import type { LedgerDb } from '../db/schema';
import { HttpError, type Principal } from '../http/api';
import { hashToken, newToken } from '../http/auth';
import type { createManagerLockout } from './manager-lockout';
import { hashPassword, managerPasswordHash, verifyPassword } from './manager-passwords';

const SESSION_MS = 12 * 3600 * 1000;
// Checked when no manager matched, so a right PIN with a wrong password takes as long as a wrong PIN.
const decoy = hashPassword('not the password of anyone');

export async function managerLogin(
  db: Kysely<LedgerDb>,
  lockout: ReturnType<typeof createManagerLockout>,
  login: ManagerSignIn & { client: string; principal: Principal | null },
  now: Date,
) {
  const { storeId, pin, password, principal } = login;
  const till = principal?.kind === 'device' ? principal : null;
  if (till && till.storeId !== storeId)
    throw new HttpError(403, 'forbidden', 'This till belongs to another store.');
  // A PIN alone is no ledger credential: tills hold PIN hashes, so a stolen laptop could find it.
  if (!till && password === undefined)
    throw new HttpError(
      401,
      'unauthorized',
      'Sign in from an enrolled till of this store, or with your ledger password.',
    );
  // Admitted and counted before the first await: parallel guesses cannot all pass a check that reads first.
  const admission = lockout(storeId, login.client, now.getTime());
  if (!admission.ok)
    throw new HttpError(
      429,
      'rate-limited',
      `Too many wrong tries from here. Try again in ${Math.ceil(admission.retryInMs / 1000)} s.`,
    );
  let found: { id: string; name: string } | undefined;
  try {
    const managers = await db
      .selectFrom('staff')
      .select(['id', 'name', 'pin_hash'])
      .where('store_id', '=', storeId)
      .where('role', '=', 'manager')
      .where('active', '=', 1)
      .execute();
    const matches = await Promise.all(managers.map((m) => verifyPin(pin, m.pin_hash)));
    found = managers[matches.indexOf(true)];
    if (password !== undefined) {
      const stored = found ? await managerPasswordHash(db, found.id) : undefined;
      if (!(await verifyPassword(password, stored ?? (await decoy))) || !stored) found = undefined;
    }
  } finally {
    admission.settle(found !== undefined);
  }
  if (!found)
    throw new HttpError(
      401,
      'unauthorized',
      password === undefined
        ? 'No manager of this store has that PIN.'
        : 'Wrong PIN or ledger password.',
    );
  const token = newToken('mgr');
  const expiresAt = new Date(now.getTime() + SESSION_MS).toISOString();
  await db
    .insertInto('manager_sessions')
    .values({
      token_hash: hashToken(token),
      staff_id: found.id,
      store_id: storeId,
      expires_at: expiresAt,
      device_id: till?.deviceId ?? null,
    })
    .execute();
  return { token, staffId: found.id, name: found.name, expiresAt };
}
