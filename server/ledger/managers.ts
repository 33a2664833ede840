// Manager login: a store's manager PIN buys a 12-hour bearer token; wrong PINs lock the store's logins for 30 s.
import type { Kysely } from 'kysely';
import {
  afterAttempt,
  type Lockout,
  lockRemainingMs,
  noLockout,
  verifyPin,
} from '../../shared/pin';
import type { LedgerDb } from '../db/schema';
import { HttpError } from '../http/api';
import { hashToken, newToken } from '../http/auth';

const SESSION_MS = 12 * 3600 * 1000;
// Per process: with several ledger instances each keeps its own count, which still bounds guessing.
const lockouts = new Map<string, Lockout>();

export async function managerLogin(db: Kysely<LedgerDb>, storeId: string, pin: string, now: Date) {
  const lock = lockouts.get(storeId) ?? noLockout;
  const left = lockRemainingMs(lock, now.getTime());
  if (left > 0)
    throw new HttpError(
      429,
      'rate-limited',
      `Too many wrong PINs. Try again in ${Math.ceil(left / 1000)} s.`,
    );
  const managers = await db
    .selectFrom('staff')
    .select(['id', 'name', 'pin_hash'])
    .where('store_id', '=', storeId)
    .where('role', '=', 'manager')
    .where('active', '=', 1)
    .execute();
  const matches = await Promise.all(managers.map((m) => verifyPin(pin, m.pin_hash)));
  const found = managers[matches.indexOf(true)];
  lockouts.set(storeId, afterAttempt(lock, found !== undefined, now.getTime()));
  if (!found) throw new HttpError(401, 'unauthorized', 'No manager of this store has that PIN.');
  const token = newToken('mgr');
  const expiresAt = new Date(now.getTime() + SESSION_MS).toISOString();
  await db
    .insertInto('manager_sessions')
    .values({
      token_hash: hashToken(token),
      staff_id: found.id,
      store_id: storeId,
      expires_at: expiresAt,
    })
    .execute();
  return { token, staffId: found.id, name: found.name, expiresAt };
}
