// Managers' ledger passwords: set by the admin, kept as scrypt hashes at the ledger only (tills hold PIN hashes, never these).
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LedgerDb } from '../db/schema';
import { HttpError, notFound } from '../http/api';

// Node's own scrypt: native, and run off the event loop, so a burst of sign-ins does not stall pushes.
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;

const derive = (password: string, salt: Buffer, cost: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, cost, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** `scrypt$N$r$p$salt$hash` (base64url), so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Set (or replace) a manager's ledger password; only managers of that store have one. */
export async function setManagerPassword(
  db: Kysely<LedgerDb>,
  storeId: string,
  staffId: string,
  password: string,
  now: Date,
): Promise<void> {
  const staff = await db
    .selectFrom('staff')
    .select(['role', 'store_id'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!staff || staff.store_id !== storeId) throw notFound(`Staff member ${staffId} of ${storeId}`);
  if (staff.role !== 'manager')
    throw new HttpError(400, 'bad-request', 'Only managers have a ledger password.');
  const row = {
    store_id: storeId,
    password_hash: await hashPassword(password),
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('manager_passwords')
    .values({ staff_id: staffId, ...row })
    .onConflict((oc) => oc.column('staff_id').doUpdateSet(row))
    .execute();
}

/** The stored hash of a manager's ledger password, if the admin set one. */
export async function managerPasswordHash(
  db: Kysely<LedgerDb>,
  staffId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('manager_passwords')
    .select('password_hash')
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row?.password_hash;
}
