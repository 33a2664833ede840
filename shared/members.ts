// Members (the stall's loyal customers): who they are to a till, and the tiers that open drops early.
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
