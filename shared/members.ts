// Members (the stall's loyal customers): who they are to a till, and the tiers that open drops early.
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { toE164 } from './phone-number';

/** A tier name, e.g. "members", "subscribers", "attendees". Everyone else is "everyone". */
export const tierSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'A tier is a short lower-case name such as "members"');
export const EVERYONE = 'everyone';

/** Hex of a normalised phone number or e-mail hashed with the store's secret member key (`contactHash`). */
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

/** The store's member-contact key (32 random bytes, hex): made by the ledger, pulled to its tills like the promo key. */
export const memberKeySchema = z.string().regex(/^[0-9a-f]{64}$/, 'A member key is 64 hex digits');

/**
 * Cost of the contact hash: scrypt N=2^13, r=8 (8 MiB, ~0.1 s in a till's JavaScript). It is
 * keyed, so a copied member list is useless without the key; the cost is what is left when the
 * key is taken too (a stolen till): every guessed number costs that much (docs/threat-model.md).
 */
export const CONTACT_KDF = { N: 2 ** 13, r: 8, p: 1, dkLen: 32 } as const;

/**
 * A contact as it is hashed: an e-mail trimmed and lower-cased; a phone number in E.164 with the
 * store's region ("085 555 0909" in an Irish store is "+353855550909"), or, when it cannot be
 * told (a national number of a region we do not know), its digits and a leading +.
 */
export function normaliseContact(phoneOrEmail: string, region: string | null): string {
  const text = phoneOrEmail.trim();
  if (text.includes('@')) return text.toLowerCase();
  return toE164(text, region) ?? (text.startsWith('+') ? '+' : '') + text.replace(/[^0-9]/g, '');
}

/**
 * Hex SHA-256 of `${storeId}:${normalised contact}`: the unkeyed hash members were stored by
 * before issue 15. It is now only the input of the keyed hash, so stored hashes could be re-keyed
 * without the contacts (which the ledger never kept).
 */
export function contactDigest(storeId: string, normalised: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${storeId}:${normalised}`)));
}

/**
 * What the ledger stores and a till looks a member up by: scrypt of the contact's digest, salted
 * with the store's secret member key (never the store id, which every receipt prints).
 */
export async function contactHash(
  memberKey: string,
  storeId: string,
  phoneOrEmail: string,
  region: string | null,
): Promise<string> {
  const digest = contactDigest(storeId, normaliseContact(phoneOrEmail, region));
  return bytesToHex(await scryptAsync(utf8ToBytes(digest), hexToBytes(memberKey), CONTACT_KDF));
}
