import { describe, expect, it } from 'vitest';
import { instantToWallClock, wallClockToInstant } from './drop-time';

const at = (local: string, zone: string) => wallClockToInstant(local, zone);

describe('drop times across daylight-saving changes', () => {
  describe('Europe/Dublin (springs forward 01:00 → 02:00, falls back 02:00 → 01:00)', () => {
    const zone = 'Europe/Dublin';
    it('reads ordinary winter and summer days with their own offsets', () => {
      expect(at('2026-12-05T18:30', zone)).toEqual({
        ok: true,
        instant: '2026-12-05T18:30:00.000Z',
      });
      expect(at('2026-07-05T18:30', zone)).toEqual({
        ok: true,
        instant: '2026-07-05T17:30:00.000Z',
      });
    });
    it('refuses 01:30 on the spring-forward day, naming the gap', () => {
      expect(at('2026-03-29T01:30', zone)).toEqual({
        ok: false,
        code: 'no-such-time',
        message:
          '01:30 on 29 March 2026 does not exist in Europe/Dublin: clocks go from 01:00 to 02:00.',
      });
      // Either side of the gap is fine.
      expect(at('2026-03-29T00:59', zone)).toMatchObject({ instant: '2026-03-29T00:59:00.000Z' });
      expect(at('2026-03-29T02:00', zone)).toMatchObject({ instant: '2026-03-29T01:00:00.000Z' });
    });
    it('takes the first 01:30 on the fall-back day and says which one', () => {
      const r = at('2026-10-25T01:30', zone);
      expect(r).toEqual({
        ok: true,
        instant: '2026-10-25T00:30:00.000Z',
        note: '01:30 on 25 October 2026 happens twice in Europe/Dublin (clocks go back from 02:00 to 01:00): this is the first one, at UTC+01:00 (00:30 UTC).',
      });
    });
  });

  describe('America/New_York (springs forward 02:00 → 03:00, falls back 02:00 → 01:00)', () => {
    const zone = 'America/New_York';
    it('reads ordinary days', () => {
      expect(at('2026-12-05T18:59', zone)).toMatchObject({ instant: '2026-12-05T23:59:00.000Z' });
      expect(at('2026-07-04T21:00', zone)).toMatchObject({ instant: '2026-07-05T01:00:00.000Z' });
    });
    it('refuses 02:30 on the spring-forward day instead of opening at 01:30', () => {
      expect(at('2026-03-08T02:30', zone)).toEqual({
        ok: false,
        code: 'no-such-time',
        message:
          '02:30 on 8 March 2026 does not exist in America/New_York: clocks go from 02:00 to 03:00.',
      });
      expect(at('2026-03-08T02:00', zone)).toMatchObject({ code: 'no-such-time' });
      expect(at('2026-03-08T03:00', zone)).toMatchObject({ instant: '2026-03-08T07:00:00.000Z' });
    });
    it('takes the first (daylight-time) 01:30 on the fall-back day', () => {
      const r = at('2026-11-01T01:30', zone);
      expect(r).toMatchObject({ ok: true, instant: '2026-11-01T05:30:00.000Z' });
      expect(r.ok && r.note).toBe(
        '01:30 on 1 November 2026 happens twice in America/New_York (clocks go back from 02:00 to 01:00): this is the first one, at UTC−04:00 (05:30 UTC).',
      );
      // The hour after the repeat is plain again.
      expect(at('2026-11-01T02:00', zone)).toEqual({
        ok: true,
        instant: '2026-11-01T07:00:00.000Z',
      });
    });
  });

  describe('Australia/Lord_Howe (a 30-minute shift: 02:00 → 02:30 and back to 01:30)', () => {
    const zone = 'Australia/Lord_Howe';
    it('reads ordinary summer (+11:00) and winter (+10:30) days', () => {
      expect(at('2026-01-15T12:00', zone)).toMatchObject({ instant: '2026-01-15T01:00:00.000Z' });
      expect(at('2026-07-15T12:00', zone)).toMatchObject({ instant: '2026-07-15T01:30:00.000Z' });
    });
    it('refuses 02:15 on the spring-forward day: a half-hour gap', () => {
      expect(at('2026-10-04T02:15', zone)).toEqual({
        ok: false,
        code: 'no-such-time',
        message:
          '02:15 on 4 October 2026 does not exist in Australia/Lord_Howe: clocks go from 02:00 to 02:30.',
      });
      expect(at('2026-10-04T02:30', zone)).toMatchObject({ instant: '2026-10-03T15:30:00.000Z' });
    });
    it('takes the first 01:45 when the half hour from 01:30 repeats', () => {
      const r = at('2026-04-05T01:45', zone);
      expect(r).toMatchObject({ ok: true, instant: '2026-04-04T14:45:00.000Z' });
      expect(r.ok && r.note).toBe(
        '01:45 on 5 April 2026 happens twice in Australia/Lord_Howe (clocks go back from 02:00 to 01:30): this is the first one, at UTC+11:00 (14:45 UTC).',
      );
      // 01:15 is before the repeated half hour: one instant, no note.
      expect(at('2026-04-05T01:15', zone)).toEqual({
        ok: true,
        instant: '2026-04-04T14:15:00.000Z',
      });
    });
  });

  it('shows every accepted instant back on the wall clock it was typed on', () => {
    const typed: [string, string][] = [
      ['2026-10-25T01:30', 'Europe/Dublin'],
      ['2026-11-01T01:30', 'America/New_York'],
      ['2026-04-05T01:45', 'Australia/Lord_Howe'],
      ['2026-03-08T03:00', 'America/New_York'],
      ['2026-12-05T18:30', 'Europe/Dublin'],
    ];
    for (const [local, zone] of typed) {
      const r = at(local, zone);
      if (!r.ok) throw new Error(r.message);
      expect(instantToWallClock(r.instant, zone)).toBe(local);
    }
  });

  it('refuses text that is not a minute, a day that does not exist and an unknown zone', () => {
    expect(at('tomorrow', 'Europe/Dublin')).toMatchObject({ ok: false, code: 'not-a-time' });
    expect(at('2026-02-30T10:00', 'Europe/Dublin')).toEqual({
      ok: false,
      code: 'not-a-time',
      message: '2026-02-30 10:00 is not a date.',
    });
    expect(at('2026-12-05T18:30', 'Mars/Olympus_Mons')).toMatchObject({
      ok: false,
      code: 'unknown-time-zone',
    });
  });
});
