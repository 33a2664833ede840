// Bearer tokens: the admin token, manager sessions (PIN with a till's token, or PIN and password) and device tokens from enrolment. Only hashes are stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { LedgerDb } from '../db/schema';
import { type Access, HttpError, type Principal } from './api';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function newToken(kind: 'dev' | 'mgr' | 'adm'): string {
  return `pt_${kind}_${randomBytes(32).toString('base64url')}`;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/** Who a request's bearer token names: null without one; 401 for a token the ledger does not know. */
export function makeIdentifier(
  db: Kysely<LedgerDb>,
  adminTokenHash: string,
  now: () => Date = () => new Date(),
) {
  const admin = Buffer.from(adminTokenHash, 'hex');
  return async function identify(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) return null;
    const hash = hashToken(token);

    let principal: Principal | null = null;
    if (token.startsWith('pt_dev_')) {
      const device = await db
        .selectFrom('devices')
        .select(['id', 'store_id', 'status'])
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      if (!device) throw unauthorized('Unknown device token: enrol this till again.');
      if (device.status !== 'active')
        throw unauthorized('This till was revoked by a manager: enrol it again.');
      principal = { kind: 'device', deviceId: device.id, storeId: device.store_id };
    } else if (token.startsWith('pt_mgr_')) {
      const session = await db
        .selectFrom('manager_sessions')
        .leftJoin('devices', 'devices.id', 'manager_sessions.device_id')
        .select([
          'manager_sessions.staff_id',
          'manager_sessions.store_id',
          'manager_sessions.expires_at',
          'manager_sessions.device_id',
          'devices.status',
        ])
        .where('manager_sessions.token_hash', '=', hash)
        .executeTakeFirst();
      if (!session || session.expires_at < now().toISOString())
        throw unauthorized('Manager session expired: log in again.');
      // A session opened on a till ends with that till: revoking a lost laptop shuts its manager out too.
      if (session.device_id !== null && session.status !== 'active')
        throw unauthorized('The till this session was opened on was revoked: sign in again.');
      principal = { kind: 'manager', staffId: session.staff_id, storeId: session.store_id };
    } else if (timingSafeEqual(Buffer.from(hash, 'hex'), admin)) {
      principal = { kind: 'admin' };
    } else {
      throw unauthorized('Unknown token.');
    }
    return principal;
  };
}

/** Whether a principal may call a route of the given access; throws 401/403 when not. */
export function authorize(principal: Principal | null, access: Access): void {
  if (access === 'public') return;
  if (!principal) throw unauthorized('Send a bearer token in the Authorization header.');
  const allowed = access === principal.kind || (access === 'manager' && principal.kind === 'admin');
  if (!allowed) {
    throw new HttpError(
      403,
      'forbidden',
      `This needs a${access === 'admin' ? 'n admin' : ` ${access}`} token.`,
    );
  }
}

/** Managers act on their own store only; the admin on any. */
export function assertStoreAccess(principal: Principal | null, storeId: string): void {
  if (!principal) throw unauthorized('Not logged in.');
  if (principal.kind === 'admin') return;
  if (principal.storeId !== storeId)
    throw new HttpError(403, 'forbidden', 'That belongs to another store.');
}
