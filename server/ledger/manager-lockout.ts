// Manager PIN guesses per store and client address: counted before any check (so parallel guesses cannot race past), locked with doubling back-off.
import { LOCKOUT_MS, MAX_PIN_FAILURES } from '../../shared/pin';

/** The longest a store+client pair stays locked after repeated lockouts. */
export const MAX_LOCKOUT_MS = 60 * 60_000;
/** Beyond this many tracked pairs, settled ones are forgotten first. */
const MAX_TRACKED = 10_000;

interface Guesses {
  /** Wrong PINs since the last lock or success. */
  failures: number;
  /** Checks under way: they count against the limit until they end. */
  checking: number;
  lockedUntil: number;
  /** Lockouts so far; each doubles the next. */
  locks: number;
}

export type Admission =
  | { ok: true; settle: (correct: boolean) => void }
  | { ok: false; retryInMs: number };

/**
 * One process's count: with several ledger instances behind a balancer each keeps its own, so a
 * client gets at most MAX_PIN_FAILURES guesses per instance per lock (written down in
 * docs/threat-model.md). Everything between `admit` and `settle` that matters is synchronous:
 * a guess is admitted and counted in one step, never read and then written after an await.
 */
export function createManagerLockout(maxFailures = MAX_PIN_FAILURES, baseMs = LOCKOUT_MS) {
  const pairs = new Map<string, Guesses>();

  const forgetSettled = (now: number) => {
    for (const [key, g] of pairs)
      if (g.checking === 0 && g.lockedUntil <= now && g.failures === 0) pairs.delete(key);
  };

  return function admit(storeId: string, client: string, now: number): Admission {
    const key = `${storeId}\n${client}`;
    let g = pairs.get(key);
    if (!g) {
      if (pairs.size >= MAX_TRACKED) forgetSettled(now);
      g = { failures: 0, checking: 0, lockedUntil: 0, locks: 0 };
      pairs.set(key, g);
    }
    if (g.lockedUntil > now) return { ok: false, retryInMs: g.lockedUntil - now };
    // Guesses already under way count as wrong until they end: the 6th parallel guess waits.
    if (g.failures + g.checking >= maxFailures) return { ok: false, retryInMs: 1_000 };
    g.checking += 1;
    const guesses = g;
    let settled = false;
    return {
      ok: true,
      settle: (correct) => {
        if (settled) return;
        settled = true;
        guesses.checking -= 1;
        if (correct) {
          guesses.failures = 0;
          guesses.locks = 0;
          return;
        }
        guesses.failures += 1;
        if (guesses.failures >= maxFailures) {
          guesses.failures = 0;
          guesses.lockedUntil = now + Math.min(baseMs * 2 ** guesses.locks, MAX_LOCKOUT_MS);
          guesses.locks += 1;
        }
      },
    };
  };
}
