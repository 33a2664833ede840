// Sneakernet: a till's unsynced facts as a signed file, carried to the ledger on a USB stick when there is no internet.
//
// The signature is HMAC-SHA256 keyed with SHA-256(device token): the ledger stores exactly
// that hash for each device, so it can check a file came from that till (and was not edited)
// without ever holding the token itself. WebCrypto does both sides (browser and Node).
import { z } from 'zod';
import { eventEnvelopeSchema } from './events';

export const SYNC_FILE_FORMAT = 'poptill-events/1';

/**
 * A fact the ledger already judged and will not apply, with its verdict and reason: carried for
 * the manager's record, not applied again. Its fields are only loosely checked because a fact
 * the ledger rejected may be malformed, and that must not make the whole file unreadable.
 */
export const judgedFactSchema = z.object({
  id: z.string().min(1).max(200),
  seq: z.number().int().positive(),
  type: z.string().max(200),
  createdAt: z.string().max(200),
  payload: z.unknown(),
  verdict: z.enum(['rejected', 'conflict']),
  reason: z.string().max(10_000),
  judgedAt: z.iso.datetime(),
});
export type JudgedFact = z.infer<typeof judgedFactSchema>;

export const syncFileSchema = z
  .object({
    format: z.literal(SYNC_FILE_FORMAT),
    deviceId: z.string().min(1),
    storeId: z.string().min(1),
    exportedAt: z.iso.datetime(),
    /** Facts the ledger has not got yet: the import pushes them. */
    events: z.array(eventEnvelopeSchema).max(200_000),
    /** Facts the ledger judged final (rejected, conflict); absent in files from older tills. */
    rejected: z.array(judgedFactSchema).max(200_000).optional(),
    /** Hex HMAC-SHA256 of the file's other fields (see canonicalBody). */
    signature: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .refine((f) => f.events.length + (f.rejected?.length ?? 0) > 0, {
    message: 'The file holds no facts.',
    path: ['events'],
  });
export type SyncFile = z.infer<typeof syncFileSchema>;

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The exact bytes that are signed: the fields in a fixed order (a file without a rejected section signs as before). */
export function canonicalBody(file: Omit<SyncFile, 'signature'>): string {
  return JSON.stringify([
    file.format,
    file.deviceId,
    file.storeId,
    file.exportedAt,
    file.events,
    ...(file.rejected ? [file.rejected] : []),
  ]);
}

async function hmac(keyHex: string, text: string): Promise<string> {
  const keyBytes = new Uint8Array(keyHex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
  const key = await crypto.subtle.importKey(
    'raw',
    keyBytes,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
}

/** Sign with the device's key: SHA-256 of its token, hex. */
export async function signSyncFile(
  file: Omit<SyncFile, 'signature'>,
  tokenHashHex: string,
): Promise<SyncFile> {
  return { ...file, signature: await hmac(tokenHashHex, canonicalBody(file)) };
}

export async function verifySyncFile(file: SyncFile, tokenHashHex: string): Promise<boolean> {
  const expected = await hmac(tokenHashHex, canonicalBody(file));
  if (expected.length !== file.signature.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++)
    diff |= expected.charCodeAt(i) ^ file.signature.charCodeAt(i);
  return diff === 0;
}
