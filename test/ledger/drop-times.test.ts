// Drop times typed on the store's wall clock: the ledger converts them with the store's time zone, refuses a time the clocks skip and takes the first of a repeated one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveDrop, putDrop } from './drop-fixtures';
import { ADMIN_TOKEN, engines, startLedger, storeSettings, type TestLedger } from './fixtures';

describe.each(engines)('drop times across daylight-saving changes on %s', (engine) => {
  let ledger: TestLedger;
  const ny = 'store-nyc';

  beforeAll(async () => {
    ledger = await startLedger(engine);
    const res = await ledger.call('PUT', `/api/v1/stores/${ny}`, ADMIN_TOKEN, {
      ...storeSettings(ny, 'Brooklyn Pop-Up'),
      timeZone: 'America/New_York',
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  const put = (storeId: string, id: string, startsAt: string, endsAt: string) =>
    ledger.call('PUT', `/api/v1/stores/${storeId}/drops/${id}`, ADMIN_TOKEN, {
      ...liveDrop(id),
      startsAt,
      endsAt,
    });
  const stored = async (storeId: string, id: string) => {
    const res = await ledger.call('GET', `/api/v1/stores/${storeId}/drops`, ADMIN_TOKEN);
    return res.body.drops.find((d: { id: string }) => d.id === id);
  };

  it('refuses 02:30 on New York’s spring-forward day, naming the gap, and stores nothing', async () => {
    const res = await put(ny, 'spring-ny', '2026-03-08T02:30', '2026-03-08T05:00');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Drop spring-ny: Start: 02:30 on 8 March 2026 does not exist in America/New_York: clocks go from 02:00 to 03:00.',
    );
    expect(await stored(ny, 'spring-ny')).toBeUndefined();
  });

  it('takes the first 01:30 on New York’s fall-back day and reads ordinary times with the store’s zone', async () => {
    const res = await put(ny, 'fall-ny', '2026-11-01T01:30', '2026-11-01T04:00');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      startsAt: '2026-11-01T05:30:00.000Z',
      endsAt: '2026-11-01T09:00:00.000Z',
    });
    expect(await stored(ny, 'fall-ny')).toMatchObject({ startsAt: '2026-11-01T05:30:00.000Z' });
  });

  it('refuses Dublin’s skipped 01:30 for the Dublin store, and still takes UTC instants as they are', async () => {
    const gap = await put(ledger.storeId, 'spring-dub', '2026-03-28T22:00', '2026-03-29T01:30');
    expect(gap.status).toBe(400);
    expect(gap.body.error.message).toContain(
      'End: 01:30 on 29 March 2026 does not exist in Europe/Dublin: clocks go from 01:00 to 02:00.',
    );
    const utc = await putDrop(ledger, {
      ...liveDrop('utc-dub'),
      startsAt: '2026-03-29T00:30:00.000Z',
      endsAt: '2026-03-29T03:00:00.000Z',
    });
    expect(utc.status).toBe(200);
    expect(utc.body.startsAt).toBe('2026-03-29T00:30:00.000Z');
  });

  it('refuses text that is neither an instant nor a minute', async () => {
    const res = await put(ledger.storeId, 'bad-time', 'next friday', '2026-03-29T03:00');
    expect(res.status).toBe(400);
    expect(await stored(ledger.storeId, 'bad-time')).toBeUndefined();
  });
});
