// Members (the stall's loyal customers): who they are to a till, and the tiers that open drops early.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';

/** A tier name, e.g. "members", "subscribers", "attendees". Everyone else is "everyone". */
export const tierSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'A tier is a short lower-case name such as "members"');
export const EVERYONE = 'everyone';

/** Hex SHA-256 of a normalised phone number or e-mail with the store's salt: tills never hold the raw contact. */
export const contactHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const memberSchema = z.object({
  /** Also what the member's QR code carries. */
  id: z.string().regex(/^M[0-9A-HJKMNP-TV-Z]{4,26}$/, 'Member ids look like M7K3MQ9XT'),
  name: z.string().trim().min(1).max(80),
  tiers: z.array(tierSchema).max(10),
  phoneHash: contactHashSchema.nullable(),
  emailHash: contactHashSchema.nullable(),
  active: z.boolean(),
});
export type Member = z.infer<typeof memberSchema>;

/** PUT /api/v1/stores/:storeId/members/:memberId: the raw contact is hashed by the ledger and never stored. */
export const memberUpsertSchema = z.object({
  name: z.string().trim().min(1).max(80),
  tiers: z.array(tierSchema).max(10),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{5,30}$/, 'A phone number is digits, spaces and an optional leading +')
    .optional(),
  email: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'That is not an e-mail address')
    .optional(),
  active: z.boolean().default(true),
});
export type MemberUpsert = z.infer<typeof memberUpsertSchema>;

/** Store-salted contact hashes: an e-mail is trimmed and lower-cased, a phone number keeps only digits and a leading +. */
export function normaliseContact(phoneOrEmail: string): string {
  const text = phoneOrEmail.trim();
  if (text.includes('@')) return text.toLowerCase();
  return (text.startsWith('+') ? '+' : '') + text.replace(/[^0-9]/g, '');
}

/** Hex SHA-256 of `${storeId}:${normalised contact}`: what the ledger stores and a till looks a member up by. */
export function contactHash(storeId: string, phoneOrEmail: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${storeId}:${normaliseContact(phoneOrEmail)}`)));
}
