// Drop KPIs read rollups the pushes keep: after sales, a later redemption and a member's later sale, they equal a full recount.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildKpiRollups } from '../../server/ledger/kpi-rollups';
import type { EventEnvelope } from '../../shared/events';
import type { Sale } from '../../shared/sale';
import { createDrop, liveDrop, type Till } from './drop-fixtures';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  push,
  startLedger,
  type TestLedger,
} from './fixtures';

const MINUTE = 60_000;

describe.each(engines)('KPI rollups kept by pushes on %s', (engine) => {
  let ledger: TestLedger;
  let till: Till;
  let seq = 0;
  const dropA = liveDrop('roll-a', {
    name: 'Rollup Night #1',
    items: [
      { sku: 'HAT-CAP-REF', quantity: 40, ladder: [] },
      { sku: 'TEE-LOGO-BLK-M', quantity: 40, ladder: [] },
    ],
  });
  const dropB = liveDrop('roll-b', {
    name: 'Rollup Night #2',
    items: [{ sku: 'HAT-CAP-REF', quantity: 40, ladder: [] }],
  });
  const start = Date.parse(dropA.startsAt);

  /** A sale at `minute` since drop A's start; each line [sku, qty, dropId, tier]. */
  const sale = (
    minute: number,
    lines: [string, number, string | null, string][],
    memberId?: string,
  ): EventEnvelope => {
    seq += 1;
    const event = makeSale(
      till.deviceId,
      till.prefix,
      seq,
      lines.map(([sku, qty]) => ({ sku, qty })),
      { at: new Date(start + minute * MINUTE + 5_000) },
    );
    const s = event.payload as Sale;
    const withDrops = s.lines.map((l, i) => {
      const [, , dropId, tier] = lines[i]!;
      return dropId ? { ...l, drop: { dropId, step: -1, tier, fastFulfilment: false } } : l;
    });
    return { ...event, payload: { ...s, lines: withDrops, ...(memberId ? { memberId } : {}) } };
  };
  const redeem = (saleEvent: EventEnvelope, code: string): EventEnvelope => {
    seq += 1;
    const s = saleEvent.payload as Sale;
    return {
      id: ulid(Date.parse(s.createdAt) + 1),
      seq,
      type: 'promo.redeemed',
      createdAt: s.createdAt,
      payload: {
        saleId: s.id,
        deviceId: till.deviceId,
        code,
        campaignId: 'roll-campaign',
        memberId: s.memberId ?? null,
        discount: 0,
      },
    };
  };
  const get = async (path: string) => {
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/reports/kpis/${path}`,
      ADMIN_TOKEN,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const all = async () => ({
    sell: await get('sell-through?family=Rollup+Night'),
    sellSku: await get('sell-through?family=Rollup+Night&sku=HAT-CAP-REF'),
    channels: await get('channels?family=Rollup+Night'),
    channelsA: await get('channels?dropId=roll-a'),
    channelsSku: await get('channels?family=Rollup+Night&sku=HAT-CAP-REF'),
    repeat: await get('repeat?family=Rollup+Night&days=1'),
    aftercare: await get('aftercare?family=Rollup+Night'),
  });

  let first: EventEnvelope;
  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger, 'Rollup till');
    await createDrop(ledger, dropA);
    await createDrop(ledger, dropB);
    first = sale(
      -5,
      [
        ['HAT-CAP-REF', 2, 'roll-a', 'members'],
        ['TEE-LOGO-BLK-M', 1, 'roll-a', 'members'],
      ],
      'MROLL1',
    );
    await push(ledger, till.token, [
      first,
      sale(3, [['HAT-CAP-REF', 1, 'roll-a', 'everyone']]),
      // One sale with lines in both drops of the family, and one with a line outside any drop.
      sale(
        4,
        [
          ['HAT-CAP-REF', 1, 'roll-a', 'everyone'],
          ['HAT-CAP-REF', 3, 'roll-b', 'everyone'],
          ['TEE-LOGO-BLK-M', 1, null, 'everyone'],
        ],
        'MROLL2',
      ),
    ]);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('moves a sale to the promo channel when its redemption arrives in a later push', async () => {
    const before = await get('channels?dropId=roll-a');
    expect(before.channels.map((c: { channel: string }) => c.channel).sort()).toEqual([
      'member-early',
      'walk-in',
    ]);
    await push(ledger, till.token, [redeem(first, 'ROLL-000001')]);
    const after = await get('channels?dropId=roll-a');
    const promo = after.channels.find((c: { channel: string }) => c.channel === 'promo');
    expect(promo).toMatchObject({ campaignId: 'roll-campaign', units: 3, sales: 1, buyers: 1 });
    expect(after.channels.some((c: { channel: string }) => c.channel === 'member-early')).toBe(
      false,
    );
    // The sale spanning both drops counts once in the family.
    const fam = await get('channels?family=Rollup+Night');
    expect(fam).toMatchObject({ units: 3 + 1 + 4, buyers: 3 });
    expect(fam.channels.find((c: { channel: string }) => c.channel === 'walk-in')).toMatchObject({
      units: 5,
      sales: 2,
      buyers: 2,
    });
  });

  it("counts a member's later sale, pushed afterwards, as a repeat purchase", async () => {
    expect(await get('repeat?family=Rollup+Night&days=1')).toMatchObject({
      buyers: 2,
      repeaters: 0,
    });
    await push(ledger, till.token, [sale(60, [['TEE-LOGO-BLK-M', 1, null, 'everyone']], 'MROLL1')]);
    expect(await get('repeat?family=Rollup+Night&days=1')).toMatchObject({
      buyers: 2,
      repeaters: 1,
      rateBp: 5_000,
    });
  });

  it('counts the units sold per channel and tier behind the returns rate as the sale lines say', async () => {
    const { db } = ledger.database;
    const scopes = [
      ['aftercare?family=Rollup+Night', null],
      ['aftercare?family=Rollup+Night&sku=HAT-CAP-REF', 'HAT-CAP-REF'],
      ['aftercare?dropId=roll-b', null],
    ] as const;
    for (const [query, sku] of scopes) {
      const kpi = await get(query);
      const drops = query.includes('roll-b') ? ['roll-b'] : ['roll-a', 'roll-b'];
      let lines = db
        .selectFrom('sale_lines as l')
        .innerJoin('sales as s', 's.id', 'l.sale_id')
        .where('l.drop_id', 'in', drops);
      if (sku) lines = lines.where('l.sku', '=', sku);
      const byChannel = await lines
        .select((eb) => ['s.channel as key', eb.fn.sum<number>('l.qty').as('units')])
        .groupBy('s.channel')
        .execute();
      const byTier = await lines
        .select((eb) => ['l.access_tier as key', eb.fn.sum<number>('l.qty').as('units')])
        .groupBy('l.access_tier')
        .execute();
      const counted = (rows: { key: string | null; units: unknown }[]) =>
        Object.fromEntries(rows.map((r) => [r.key, Number(r.units)]));
      const shown = (rates: { key: string; soldUnits: number }[]) =>
        Object.fromEntries(rates.map((r) => [r.key, r.soldUnits]));
      expect(shown(kpi.returnRateByChannel), query).toEqual(counted(byChannel));
      expect(shown(kpi.returnRateByTier), query).toEqual(counted(byTier));
    }
    // The family's member early-access sale was moved to promo by its redemption; walk-ins stay.
    const family = await get('aftercare?family=Rollup+Night');
    const keys = (rates: { key: string }[]) => rates.map((r) => r.key).sort();
    expect(keys(family.returnRateByChannel)).toEqual(['promo', 'walk-in']);
    expect(keys(family.returnRateByTier)).toEqual(['everyone', 'members']);
  });

  it('gives the same figures as a recount of every sale', async () => {
    const kept = await all();
    expect(kept.sell).toMatchObject({ sold: 8 });
    expect(kept.sellSku.points).toEqual([
      { dropId: 'roll-a', tier: 'members', minute: -5, units: 2 },
      { dropId: 'roll-a', tier: 'everyone', minute: 3, units: 1 },
      { dropId: 'roll-a', tier: 'everyone', minute: 4, units: 1 },
      // Drop B opened when drop A did (both "an hour ago", a few ms apart).
      expect.objectContaining({ dropId: 'roll-b', tier: 'everyone', units: 3 }),
    ]);
    await rebuildKpiRollups(ledger.database.db, engine);
    expect(await all()).toEqual(kept);
  });

  it('moves the curve when a drop starts later than planned', async () => {
    const later = { ...dropA, startsAt: new Date(start + 2 * MINUTE).toISOString() };
    const res = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/drops/roll-a`,
      ADMIN_TOKEN,
      later,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = await get('sell-through?dropId=roll-a&sku=HAT-CAP-REF');
    expect(got.points.map((p: { minute: number }) => p.minute)).toEqual([-7, 1, 2]);
  });
});
