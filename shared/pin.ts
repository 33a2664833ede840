// Staff PINs: PBKDF2-SHA256 hashes (WebCrypto) in one stored format, and the wrong-PIN lockout rule.
//
// A 4–8 digit PIN has little entropy, so the hash only keeps PINs out of plain
// sight in the database and in sync payloads; the lockout is what stops guessing
// at the till. WebCrypto runs PBKDF2 natively in Chromium, Electron and Node, so
// checking one PIN against a whole staff list stays quick at a high iteration count.
import { z } from 'zod';

export const pinSchema = z.string().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits');

export const PIN_ITERATIONS = 120_000;
/** A damaged or hostile stored hash must not freeze the till: refuse absurd iteration counts. */
export const MAX_PIN_ITERATIONS = 5_000_000;
export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 30_000;

const PREFIX = 'pbkdf2-sha256';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function derive(
  pin: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/** Hash a PIN as `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. The salt is passed in (16 random bytes). */
export async function hashPin(
  pin: string,
  salt: Uint8Array,
  iterations = PIN_ITERATIONS,
): Promise<string> {
  pinSchema.parse(pin);
  if (salt.length < 16) throw new RangeError('salt must be at least 16 bytes');
  const s = new Uint8Array(salt);
  const hash = await derive(pin, s, iterations);
  return `${PREFIX}$${iterations}$${toBase64(s)}$${toBase64(hash)}`;
}

/** True when `pin` matches `stored`. A malformed stored hash never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  if (!pinSchema.safeParse(pin).success) return false;
  const [prefix, iter, salt, hash] = stored.split('$');
  const iterations = Number(iter);
  if (
    prefix !== PREFIX ||
    !salt ||
    !hash ||
    !Number.isSafeInteger(iterations) ||
    iterations < 1 ||
    iterations > MAX_PIN_ITERATIONS
  ) {
    return false;
  }
  let expected: Uint8Array;
  let saltBytes: Uint8Array<ArrayBuffer>;
  try {
    expected = fromBase64(hash);
    saltBytes = fromBase64(salt);
  } catch {
    return false; // not base64: a damaged record never matches (atob throws InvalidCharacterError)
  }
  const actual = await derive(pin, saltBytes, iterations);
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ expected[i]!;
  return diff === 0;
}

export const lockoutSchema = z.object({
  failures: z.number().int().min(0),
  lockedUntil: z.number().nullable(),
});
export type Lockout = z.infer<typeof lockoutSchema>;

export const noLockout: Lockout = { failures: 0, lockedUntil: null };

/** Milliseconds left on a lockout at `now` (0 when not locked). */
export function lockRemainingMs(state: Lockout, now: number): number {
  return state.lockedUntil !== null && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** The lockout after one PIN attempt: success clears it; the 5th failure in a row locks for 30 s. */
export function afterAttempt(state: Lockout, ok: boolean, now: number): Lockout {
  if (lockRemainingMs(state, now) > 0) return state;
  if (ok) return noLockout;
  const failures = state.failures + 1;
  return failures >= MAX_PIN_FAILURES
    ? { failures: 0, lockedUntil: now + LOCKOUT_MS }
    : { failures, lockedUntil: null };
}
