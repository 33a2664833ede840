// Manager login: a store's manager PIN buys a 12-hour bearer token; wrong PINs lock that store for that client address, with back-off.
import type { Kysely } from 'kysely';
import { verifyPin } from '../../shared/pin';
import type { LedgerDb } from '../db/schema';
import { HttpError } from '../http/api';
import { hashToken, newToken } from '../http/auth';
import type { createManagerLockout } from './manager-lockout';

const SESSION_MS = 12 * 3600 * 1000;

export async function managerLogin(
  db: Kysely<LedgerDb>,
  lockout: ReturnType<typeof createManagerLockout>,
  login: { storeId: string; pin: string; client: string },
  now: Date,
) {
  const { storeId, pin } = login;
  // Admitted and counted before the first await: parallel guesses cannot all pass a check that reads first.
  const admission = lockout(storeId, login.client, now.getTime());
  if (!admission.ok)
    throw new HttpError(
      429,
      'rate-limited',
      `Too many wrong PINs from here. Try again in ${Math.ceil(admission.retryInMs / 1000)} s.`,
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
  } finally {
    admission.settle(found !== undefined);
  }
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
