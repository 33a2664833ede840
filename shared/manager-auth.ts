// Manager sign-in at the ledger: the PIN with the till's own device token, or the PIN with a ledger password (which tills never hold).
import { z } from 'zod';
import { pinSchema } from './pin';

/** A ledger password: long enough that an offline search of a leaked hash is hopeless, short enough to type. */
export const managerPasswordSchema = z
  .string()
  .min(10, 'A ledger password has at least 10 characters')
  .max(200, 'A ledger password has at most 200 characters');

/**
 * POST /api/v1/auth/manager. From an enrolled till the request carries the till's device token
 * and the PIN is enough (the session is bound to that till and ends when it is revoked);
 * from anywhere else the manager's ledger password is needed too.
 */
export const managerSignInSchema = z.object({
  storeId: z.string().min(1).max(100),
  pin: pinSchema,
  password: managerPasswordSchema.optional(),
});
export type ManagerSignIn = z.infer<typeof managerSignInSchema>;

export const managerSessionSchema = z.object({
  token: z.string(),
  staffId: z.string(),
  name: z.string(),
  expiresAt: z.string(),
});
export type ManagerSession = z.infer<typeof managerSessionSchema>;
