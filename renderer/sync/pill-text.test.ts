// The sync pill's words and colour: never green with anything waiting or the ledger away, and Offline says since when in the store's time.
import { describe, expect, it } from 'vitest';
import { pillText } from './pill-text';

const store = { locale: 'en-IE', timeZone: 'Europe/Dublin' };
const now = Date.parse('2026-12-04T14:07:00Z');
const calm = {
  unsyncedSales: 0,
  unsyncedFacts: 0,
  rejected: 0,
  lastSuccessAt: '2026-12-04T14:06:50Z',
  problem: null,
  needsEnrolment: false,
  offlineSince: null,
};

describe('the sync pill', () => {
  it('is green and Online only when the ledger answers and nothing waits', () => {
    expect(pillText(calm, now, store)).toEqual({
      level: 'ok',
      parts: ['0 unsynced sales', 'synced just now', 'Online'],
    });
  });

  it('says Offline since the store’s local time when the ledger stops answering, never "synced just now"', () => {
    const t = pillText(
      {
        ...calm,
        unsyncedSales: 2,
        unsyncedFacts: 2,
        offlineSince: '2026-12-04T14:05:00Z',
        problem: { code: 'unreachable', message: 'The ledger cannot be reached' },
      },
      now,
      store,
    );
    expect(t.level).toBe('waiting');
    expect(t.parts).toEqual(['2 unsynced sales', 'Offline since 14:05']);
    // A ledger that answers with a fault is not offline: the pill names the fault instead.
    expect(
      pillText(
        {
          ...calm,
          unsyncedSales: 1,
          unsyncedFacts: 1,
          problem: { code: 'ledger-fault', message: '' },
        },
        now,
        store,
      ).parts,
    ).toEqual(['1 unsynced sale', 'not sent: ledger fault', 'Online']);
    // Summer time in Dublin: 13:05 UTC is 14:05 there; in Berlin (de-DE) 15:05.
    expect(
      pillText(
        { ...calm, offlineSince: '2026-07-01T13:05:00Z' },
        Date.parse('2026-07-01T13:10:00Z'),
        {
          locale: 'de-DE',
          timeZone: 'Europe/Berlin',
        },
      ).parts.at(-1),
    ).toBe('Offline since 15:05');
  });

  it('is amber while offline even with nothing waiting, and names the day when it is not today', () => {
    const t = pillText({ ...calm, offlineSince: '2026-12-03T18:30:00Z' }, now, store);
    expect(t.level).toBe('waiting');
    expect(t.parts.at(-1)).toMatch(/^Offline since 3 Dec.* 18:30$/);
  });

  it('says what else waits when no sale does (a shift opened, a void)', () => {
    const t = pillText({ ...calm, unsyncedFacts: 2 }, now, store);
    expect(t.level).toBe('waiting');
    expect(t.parts.slice(0, 2)).toEqual(['0 unsynced sales', '2 other records to send']);
  });

  it('is red when the ledger refused facts or the till must be enrolled again', () => {
    expect(pillText({ ...calm, rejected: 1 }, now, store).level).toBe('bad');
    expect(pillText({ ...calm, needsEnrolment: true }, now, store).parts[0]).toBe(
      'till must be enrolled again',
    );
  });
});
