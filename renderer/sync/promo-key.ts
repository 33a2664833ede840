// Registering this till's Ed25519 public key with the ledger, so every other till can check the QR codes it signs.
import { z } from 'zod';
import type { LedgerLink, PosDb } from '../db/db';
import { ensurePromoDevice, markPromoKeyRegistered, promoKeyId } from '../db/promo-repo';
import { ledgerCall } from './client';

/**
 * After a successful pull: send the public key once (the private key never leaves the till).
 * A failure is retried after the next pull and never fails the sync itself.
 */
export async function registerPromoKey(
  db: PosDb,
  link: LedgerLink,
  token: string,
  now: Date,
  fetchImpl?: typeof fetch,
): Promise<'registered' | 'already' | 'failed'> {
  const promo = await ensurePromoDevice(db);
  if (promo.registeredAt) return 'already';
  const result = await ledgerCall(link.url, '/api/v1/devices/me/promo-key', {
    method: 'POST',
    token,
    body: { publicKey: promo.publicKey },
    schema: z.object({ keyId: z.string() }),
    fetchImpl,
  });
  if (!result.ok) {
    console.warn('Promo key not registered yet:', result.message);
    return 'failed';
  }
  // QR codes name the key by this id; a ledger naming it otherwise would make them unverifiable.
  if (result.value.keyId !== promoKeyId(promo.publicKey)) {
    console.error('The ledger named this till’s promo key differently:', result.value.keyId);
    return 'failed';
  }
  await markPromoKeyRegistered(db, promo.publicKey, now);
  return 'registered';
}
