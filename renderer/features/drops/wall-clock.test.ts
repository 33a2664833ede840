import { describe, expect, it } from 'vitest';
import { fromWallClock, toWallClock } from './wall-clock';

describe('drop times on the store wall clock', () => {
  it('reads 18:30 in Dublin in winter as 18:30 UTC and in summer as 17:30 UTC', () => {
    expect(fromWallClock('2026-12-05T18:30', 'Europe/Dublin')).toBe('2026-12-05T18:30:00.000Z');
    expect(fromWallClock('2026-07-05T18:30', 'Europe/Dublin')).toBe('2026-07-05T17:30:00.000Z');
  });
  it('shows a UTC instant back on the same wall clock', () => {
    expect(toWallClock('2026-07-05T17:30:00.000Z', 'Europe/Dublin')).toBe('2026-07-05T18:30');
    expect(toWallClock('2026-12-05T23:59:00.000Z', 'America/New_York')).toBe('2026-12-05T18:59');
  });
  it('refuses text that is not a minute', () => {
    expect(fromWallClock('tomorrow', 'Europe/Dublin')).toBeNull();
  });
});
