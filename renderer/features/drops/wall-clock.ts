// A manager types drop times on the store's wall clock ("2026-12-05T18:30" in Europe/Dublin); the ledger keeps UTC. The conversion and its daylight-saving policy live in shared/drop-time.ts.
import { instantToWallClock, wallClockToInstant } from '../../../shared/drop-time';

/** "2026-12-05T18:30" (what a datetime-local input shows) for a UTC instant, in the time zone. */
export function toWallClock(iso: string, timeZone: string): string {
  return instantToWallClock(iso, timeZone);
}

/**
 * The UTC instant of a wall-clock minute in the time zone; null for text that is not one or a
 * time the clocks skip (the drop form says why, through wallClockToInstant).
 */
export function fromWallClock(local: string, timeZone: string): string | null {
  const r = wallClockToInstant(local, timeZone);
  return r.ok ? r.instant : null;
}
