// Sneakernet: a till's unsynced facts as a signed file, carried to the ledger on a USB stick when there is no internet.
//
// The signature is HMAC-SHA256 keyed with SHA-256(device token): the ledger stores exactly
// that hash for each device, so it can check a file came from that till (and was not edited)
// without ever holding the token itself. WebCrypto does both sides (browser and Node).
import { z } from 'zod';
import { eventEnvelopeSchema } from './events';

export const SYNC_FILE_FORMAT = 'poptill-events/1';

export const syncFileSchema = z.object({
  format: z.literal(SYNC_FILE_FORMAT),
  deviceId: z.string().min(1),
  storeId: z.string().min(1),
  exportedAt: z.iso.datetime(),
  events: z.array(eventEnvelopeSchema).min(1).max(200_000),
  /** Hex HMAC-SHA256 of the file's other fields (see canonicalBody). */
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SyncFile = z.infer<typeof syncFileSchema>;

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The exact bytes that are signed: the fields in a fixed order. */
export function canonicalBody(file: Omit<SyncFile, 'signature'>): string {
  return JSON.stringify([file.format, file.deviceId, file.storeId, file.exportedAt, file.events]);
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
