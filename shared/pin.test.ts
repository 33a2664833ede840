import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterAttempt,
  hashPin,
  LOCKOUT_MS,
  type Lockout,
  lockRemainingMs,
  MAX_PIN_FAILURES,
  noLockout,
  PIN_ITERATIONS,
  verifyPin,
} from './pin';

// Low iteration count keeps these tests fast; the stored hash carries its own count.
const FAST = 1_000;
const SALT = new Uint8Array(16).fill(7);
const OTHER_SALT = new Uint8Array(16).fill(9);
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('hashPin / verifyPin', () => {
  it('stores algorithm, iterations, salt and hash in one string', async () => {
    const stored = await hashPin('1234', SALT, FAST);
    const [prefix, iterations, salt, hash] = stored.split('$');
    expect(prefix).toBe('pbkdf2-sha256');
    expect(iterations).toBe('1000');
    expect(salt).toBe(b64(SALT));
    expect(hash).toMatch(/^[A-Za-z0-9+/]{43}=$/); // 32 bytes
  });

  it('is standard PBKDF2-HMAC-SHA256, so the ledger or another tool can check it', async () => {
    const expected = pbkdf2(sha256, '2468', SALT, { c: FAST, dkLen: 32 });
    expect(await hashPin('2468', SALT, FAST)).toBe(
      `pbkdf2-sha256$1000$${b64(SALT)}$${b64(expected)}`,
    );
    const fromElsewhere = `pbkdf2-sha256$7$${b64(OTHER_SALT)}$${b64(pbkdf2(sha256, '97531', OTHER_SALT, { c: 7, dkLen: 32 }))}`;
    expect(await verifyPin('97531', fromElsewhere)).toBe(true);
  });

  it('uses 120 000 iterations unless told otherwise', async () => {
    expect(PIN_ITERATIONS).toBe(120_000);
    expect(await hashPin('1234', SALT)).toMatch(/^pbkdf2-sha256\$120000\$/);
  });

  it('refuses, without working on it, a stored hash that asks for an absurd iteration count', async () => {
    const good = await hashPin('1234', SALT, FAST);
    const hostile = good.replace('$1000$', '$1000000000000$');
    // Without the cap this would run for days and the test would time out.
    expect(await verifyPin('1234', hostile)).toBe(false);
  });

  it('accepts the right PIN and refuses a wrong one', async () => {
    const stored = await hashPin('1234', SALT, FAST);
    expect(await verifyPin('1234', stored)).toBe(true);
    expect(await verifyPin('1235', stored)).toBe(false);
    expect(await verifyPin('12340', stored)).toBe(false);
    expect(await verifyPin('4321', stored)).toBe(false);
  });

  it('gives the same PIN a different hash under a different salt', async () => {
    const a = await hashPin('0000', SALT, FAST);
    const b = await hashPin('0000', OTHER_SALT, FAST);
    expect(a).not.toBe(b);
    expect(await verifyPin('0000', a)).toBe(true);
    expect(await verifyPin('0000', b)).toBe(true);
  });

  it('refuses to hash something that is not a 4–8 digit PIN, or with a short salt', async () => {
    for (const bad of ['123', '123456789', '12a4', ' 1234', '']) {
      await expect(hashPin(bad, SALT, FAST), bad).rejects.toThrow();
    }
    await expect(hashPin('1234', new Uint8Array(15), FAST)).rejects.toThrow(RangeError);
  });

  it('never accepts a non-PIN as input', async () => {
    const stored = await hashPin('1234', SALT, FAST);
    for (const bad of ['', '123', '1234 ', 'abcd', '123456789']) {
      expect(await verifyPin(bad, stored), bad).toBe(false);
    }
  });

  it('answers false (never throws) for a malformed stored hash', async () => {
    const good = await hashPin('1234', SALT, FAST);
    const [, , salt, hash] = good.split('$');
    const malformed = [
      '',
      'garbage',
      good.replace('pbkdf2-sha256', 'pbkdf2-sha1'),
      `pbkdf2-sha256$abc$${salt}$${hash}`,
      `pbkdf2-sha256$0$${salt}$${hash}`,
      `pbkdf2-sha256$-5$${salt}$${hash}`,
      `pbkdf2-sha256$1000$$${hash}`,
      `pbkdf2-sha256$1000$${salt}$`,
      `pbkdf2-sha256$1000$${salt}`,
      `pbkdf2-sha256$1000$!!not base64!!$${hash}`,
      `pbkdf2-sha256$1000$${salt}$%%%`,
      `pbkdf2-sha256$1000$${salt}$${hash!.slice(0, 20)}`, // truncated hash
    ];
    for (const stored of malformed) {
      await expect(verifyPin('1234', stored), stored).resolves.toBe(false);
    }
  });
});

describe('wrong-PIN lockout', () => {
  const T0 = 1_700_000_000_000;

  function fail(times: number, state: Lockout = noLockout, now = T0): Lockout {
    let s = state;
    for (let i = 0; i < times; i++) s = afterAttempt(s, false, now + i * 1000);
    return s;
  }

  it('does not lock on the 4th wrong PIN', () => {
    const s = fail(4);
    expect(s).toEqual({ failures: 4, lockedUntil: null });
    expect(lockRemainingMs(s, T0 + 4000)).toBe(0);
  });

  it('locks on the 5th wrong PIN for 30 s from that attempt', () => {
    const s = fail(5); // the 5th attempt is at T0 + 4 s
    expect(s.lockedUntil).toBe(T0 + 4000 + 30_000);
    expect(lockRemainingMs(s, T0 + 4000)).toBe(30_000);
    expect(lockRemainingMs(s, T0 + 33_999)).toBe(1);
  });

  it('changes nothing for attempts during the lockout, right or wrong', () => {
    const locked = fail(5);
    const during = T0 + 10_000;
    expect(afterAttempt(locked, false, during)).toEqual(locked);
    expect(afterAttempt(locked, true, during)).toEqual(locked);
    // a storm of guesses does not extend it
    expect(fail(20, locked, during)).toEqual(locked);
  });

  it('lets the staff member try again once the 30 s are up', () => {
    const locked = fail(5);
    const expiry = locked.lockedUntil!;
    expect(lockRemainingMs(locked, expiry)).toBe(0);
    expect(afterAttempt(locked, true, expiry)).toEqual(noLockout);
    // a wrong PIN after the lockout starts a fresh count rather than locking again at once
    expect(afterAttempt(locked, false, expiry)).toEqual({ failures: 1, lockedUntil: null });
  });

  it('clears the count on a right PIN', () => {
    const s = afterAttempt(fail(4), true, T0 + 5000);
    expect(s).toEqual(noLockout);
    // so four more wrong PINs do not lock
    expect(lockRemainingMs(fail(4, s, T0 + 6000), T0 + 10_000)).toBe(0);
  });

  it('does not change the state it was given', () => {
    const s: Lockout = Object.freeze({ failures: 3, lockedUntil: null });
    expect(() => afterAttempt(s, false, T0)).not.toThrow();
    expect(s).toEqual({ failures: 3, lockedUntil: null });
  });

  it('never counts past 4, never locks for more than 30 s, and only locks after 5 failures in a row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ok: fc.boolean(), wait: fc.integer({ min: 0, max: 40_000 }) }), {
          maxLength: 40,
        }),
        (attempts) => {
          let s = noLockout;
          let now = T0;
          let streak = 0; // wrong PINs in a row that counted (not during a lockout)
          for (const { ok, wait } of attempts) {
            now += wait;
            const wasLocked = lockRemainingMs(s, now) > 0;
            s = afterAttempt(s, ok, now);
            if (!wasLocked) streak = ok ? 0 : streak + 1;
            expect(s.failures).toBeLessThan(MAX_PIN_FAILURES);
            expect(lockRemainingMs(s, now)).toBeLessThanOrEqual(LOCKOUT_MS);
            if (!wasLocked && lockRemainingMs(s, now) > 0) {
              expect(streak).toBe(MAX_PIN_FAILURES);
              streak = 0;
            }
          }
        },
      ),
    );
  });
});
