// Redemptions reconciled at the ledger: a code used too often across tills, members over their limit and spent budgets are flagged once; cost per promoter adds up.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { Campaign, PromoKey } from '../../shared/promo';
import { deviceNoFromPrefix, issueCode } from '../../shared/promo-code';
import type { Sale } from '../../shared/sale';
import {
  engines,
  enrolTill,
  loginManager,
  makeSale,
  push,
  rng,
  startLedger,
  type TestLedger,
} from './fixtures';

type Till = Awaited<ReturnType<typeof enrolTill>> & { seq: number; codeSeq: number };

interface Redemption {
  saleId: string;
  code: string;
  campaignId: string;
  memberId: string | null;
  discount: number;
  saleTotal: number;
}

const base: Omit<Campaign, 'id' | 'name' | 'prefix'> = {
  offer: { kind: 'amount', amount: 500 },
  scope: { kind: 'all' },
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
  audience: { kind: 'anyone' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: null,
  budget: null,
  channel: 'test',
  promoter: null,
  promoterCost: 0,
  tillsMayIssue: true,
  status: 'active',
};

describe.each(engines)('promo redemptions on %s', (engine) => {
  let ledger: TestLedger;
  let manager: string;
  let a: Till;
  let b: Till;
  let key: Extract<PromoKey, { kind: 'hmac' }>;
  const redemptions: Redemption[] = [];
  let minute = 0;

  const code = (till: Till, campaign: Pick<Campaign, 'id' | 'prefix'>) => {
    till.codeSeq += 1;
    return issueCode({
      campaign,
      deviceNo: deviceNoFromPrefix(till.prefix)!,
      seq: till.codeSeq,
      key,
    });
  };
  /** A sale on `till` that used `code`: the sale and its promo.redeemed fact, as the till records them. */
  const redeem = (
    till: Till,
    promo: { code: string; campaignId: string; memberId?: string | null; discount?: number },
  ): { events: EventEnvelope[]; sale: Sale; redemptionId: string } => {
    minute += 1;
    const at = new Date(Date.UTC(2026, 10, 25, 10, minute));
    const discount = promo.discount ?? 500;
    const memberId = promo.memberId ?? null;
    till.seq += 1;
    const saleEvent = makeSale(
      till.deviceId,
      till.prefix,
      till.seq,
      [{ sku: 'TEE-LOGO-BLK-M', qty: 1, discount: { kind: 'amount', amount: discount } }],
      { at },
    );
    const sale = { ...(saleEvent.payload as Sale), ...(memberId ? { memberId } : {}) };
    till.seq += 1;
    const redemptionId = ulid(at.getTime() + 1);
    const redeemed: EventEnvelope = {
      id: redemptionId,
      seq: till.seq,
      type: 'promo.redeemed',
      createdAt: at.toISOString(),
      payload: {
        saleId: sale.id,
        deviceId: till.deviceId,
        code: promo.code,
        campaignId: promo.campaignId,
        memberId,
        discount,
      },
    };
    redemptions.push({
      saleId: sale.id,
      code: promo.code,
      campaignId: promo.campaignId,
      memberId,
      discount,
      saleTotal: sale.total,
    });
    return { events: [{ ...saleEvent, payload: sale }, redeemed], sale, redemptionId };
  };
  const exceptions = async (kind: string) => {
    const rows = await ledger.database.db
      .selectFrom('exceptions')
      .selectAll()
      .where('store_id', '=', ledger.storeId)
      .where('kind', '=', kind)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details ?? 'null') }));
  };
  const saveCampaign = async (c: Campaign) => {
    const res = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/campaigns/${c.id}`,
      manager,
      c,
    );
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    ledger = await startLedger(engine);
    manager = await loginManager(ledger, ledger.storeId, 'staff-niamh', '9999');
    a = { ...(await enrolTill(ledger, 'Till A')), seq: 0, codeSeq: 0 };
    b = { ...(await enrolTill(ledger, 'Till B')), seq: 0, codeSeq: 0 };
    const pulled = await ledger.call('GET', '/api/v1/sync/pull', a.token);
    key = pulled.body.promoKeys.find((k: PromoKey) => k.kind === 'hmac' && !k.retired);
  });
  afterAll(async () => ledger?.close());

  it('a single-use code redeemed on two tills is flagged once, listing both sales', async () => {
    const nextVisit = { id: 'next-visit', prefix: 'BACK' };
    // Till A gives a next-visit code with a sale…
    const given = code(a, nextVisit);
    a.seq += 1;
    const giving = makeSale(a.deviceId, a.prefix, a.seq, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }]);
    a.seq += 1;
    const issued: EventEnvelope = {
      id: ulid(),
      seq: a.seq,
      type: 'promo.issued',
      createdAt: giving.createdAt,
      payload: {
        deviceId: a.deviceId,
        campaignId: 'next-visit',
        codes: [given],
        saleId: giving.id,
        memberId: null,
      },
    };
    // …the customer uses it on till A, and (both tills offline) again on till B.
    const onA = redeem(a, { code: given, campaignId: 'next-visit' });
    const onB = redeem(b, { code: given, campaignId: 'next-visit' });
    await push(ledger, a.token, [giving, issued, ...onA.events]);
    expect(await exceptions('double-redeemed')).toEqual([]);
    const res = await push(ledger, b.token, onB.events);
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    const flagged = await exceptions('double-redeemed');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ device_id: b.deviceId, event_id: onB.redemptionId });
    expect(flagged[0]!.details).toMatchObject({
      code: given,
      campaignId: 'next-visit',
      limit: 1,
      uses: 2,
      saleIds: [onA.sale.id, onB.sale.id],
      deviceIds: [a.deviceId, b.deviceId],
    });
    expect(flagged[0]!.message).toBe(
      `Code ${given} was used 2 times (allowed 1): ${onA.sale.receiptNumber}, ${onB.sale.receiptNumber}`,
    );

    // Sending the same batch again changes nothing.
    const again = await push(ledger, b.token, onB.events);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await exceptions('double-redeemed')).toHaveLength(1);

    const sales = await ledger.database.db
      .selectFrom('sales')
      .select(['id', 'channel', 'campaign_id', 'promo_code'])
      .where('id', 'in', [giving.id, onA.sale.id, onB.sale.id])
      .execute();
    const byId = new Map(sales.map((s) => [s.id, s]));
    expect(byId.get(onA.sale.id)).toMatchObject({
      channel: 'promo',
      campaign_id: 'next-visit',
      promo_code: given,
    });
    expect(byId.get(onB.sale.id)).toMatchObject({ channel: 'promo', promo_code: given });
    expect(byId.get(giving.id)).toMatchObject({ channel: 'walk-in', promo_code: null });
    const stored = await ledger.database.db
      .selectFrom('promo_codes')
      .selectAll()
      .where('code', '=', given)
      .execute();
    expect(stored).toMatchObject([
      { device_id: a.deviceId, sale_id: giving.id, campaign_id: 'next-visit' },
    ]);

    // Every till learns the code is used up at its next pull.
    const pulled = await ledger.call('GET', '/api/v1/sync/pull', b.token);
    expect(pulled.body.codeUsage).toContainEqual({
      code: given,
      campaignId: 'next-visit',
      memberId: null,
      uses: 2,
      discount: 1000,
    });
  });

  it('two tills pushing the same code at the same moment still raise exactly one flag', async () => {
    const before = (await exceptions('double-redeemed')).length;
    for (let round = 0; round < 5; round++) {
      const shared = code(a, { id: 'next-visit', prefix: 'BACK' });
      const onA = redeem(a, { code: shared, campaignId: 'next-visit' });
      const onB = redeem(b, { code: shared, campaignId: 'next-visit' });
      await Promise.all([push(ledger, a.token, onA.events), push(ledger, b.token, onB.events)]);
      const flagged = await exceptions('double-redeemed');
      expect(flagged).toHaveLength(before + round + 1);
      expect(flagged.at(-1)!.details.saleIds.sort()).toEqual([onA.sale.id, onB.sale.id].sort());
    }
  });

  it('flags a member who uses a once-per-customer offer twice, on different codes', async () => {
    await saveCampaign({
      ...base,
      id: 'vip-once',
      name: 'VIP once',
      prefix: 'VIP',
      maxUsesPerCode: null,
      maxUsesPerCustomer: 1,
    });
    const vip = { id: 'vip-once', prefix: 'VIP' };
    const first = redeem(a, { code: code(a, vip), campaignId: 'vip-once', memberId: 'M7K3MQ' });
    const other = redeem(a, { code: code(a, vip), campaignId: 'vip-once', memberId: 'M9XT4H' });
    const second = redeem(b, { code: code(b, vip), campaignId: 'vip-once', memberId: 'M7K3MQ' });
    await push(ledger, a.token, [...first.events, ...other.events]);
    await push(ledger, b.token, second.events);
    const flagged = (await exceptions('double-redeemed')).filter((e) => e.details.memberId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.details).toMatchObject({
      memberId: 'M7K3MQ',
      campaignId: 'vip-once',
      saleIds: [first.sale.id, second.sale.id],
      deviceIds: [a.deviceId, b.deviceId],
    });
  });

  it('counts the budget: each redemption past it is flagged once', async () => {
    await saveCampaign({ ...base, id: 'tiny', name: 'Tiny budget', prefix: 'TINY', budget: 1_000 });
    const tiny = { id: 'tiny', prefix: 'TINY' };
    await push(
      ledger,
      a.token,
      redeem(a, { code: code(a, tiny), campaignId: 'tiny', discount: 600 }).events,
    );
    expect(await exceptions('budget-exceeded')).toEqual([]);
    const over = redeem(b, { code: code(b, tiny), campaignId: 'tiny', discount: 600 });
    await push(ledger, b.token, over.events);
    const further = redeem(a, { code: code(a, tiny), campaignId: 'tiny', discount: 100 });
    await push(ledger, a.token, further.events);
    const flagged = await exceptions('budget-exceeded');
    expect(flagged.map((e) => [e.event_id, e.details.spent])).toEqual([
      [over.redemptionId, 1_200],
      [further.redemptionId, 1_300],
    ]);
    expect(flagged[0]!.message).toBe(
      '"Tiny budget" has given 1200 in discounts, over its budget of 1000',
    );
  });

  it('flags a redeemed code the store keys did not make, and codes issued where tills may not', async () => {
    const real = code(a, { id: 'next-visit', prefix: 'BACK' });
    const forged = issueCode({
      campaign: { id: 'next-visit', prefix: 'BACK' },
      deviceNo: 1,
      seq: 999,
      key: { secret: 'bm90LXRoZS1zdG9yZS1rZXktYXQtYWxsLTAwMA' },
    });
    const bad = redeem(a, { code: forged, campaignId: 'next-visit' });
    const good = redeem(a, { code: real, campaignId: 'next-visit' });
    await push(ledger, a.token, [...bad.events, ...good.events]);
    const invalid = await exceptions('promo-code-invalid');
    expect(invalid.map((e) => e.event_id)).toEqual([bad.redemptionId]);

    await saveCampaign({
      ...base,
      id: 'ledger-only',
      name: 'Ledger only',
      prefix: 'LEDG',
      tillsMayIssue: false,
    });
    a.seq += 1;
    await push(ledger, a.token, [
      {
        id: ulid(),
        seq: a.seq,
        type: 'promo.issued',
        createdAt: new Date().toISOString(),
        payload: {
          deviceId: a.deviceId,
          campaignId: 'ledger-only',
          codes: [code(a, { id: 'ledger-only', prefix: 'LEDG' })],
          saleId: null,
          memberId: null,
        },
      },
    ]);
    expect((await exceptions('promo-issue-refused')).map((e) => e.details.campaignId)).toEqual([
      'ledger-only',
    ]);
  });

  it("reports each promoter's cost against the buyers and sales their codes brought", async () => {
    await saveCampaign({
      ...base,
      id: 'cara-live',
      name: 'Cara live',
      prefix: 'CARA',
      promoter: 'Cara',
      promoterCost: 9_000,
      maxUsesPerCode: null,
    });
    const random = rng(7);
    const members = ['M1AAAA', 'M2BBBB', 'M3CCCC', null, null];
    for (let i = 0; i < 24; i++) {
      const till = i % 2 ? a : b;
      const campaign =
        random() < 0.5
          ? { id: 'maya-creates', prefix: 'MAYA' }
          : { id: 'cara-live', prefix: 'CARA' };
      const memberId = members[Math.floor(random() * members.length)] ?? null;
      const r = redeem(till, {
        code: code(till, campaign),
        campaignId: campaign.id,
        memberId,
        discount: 100 + i * 10,
      });
      await push(ledger, till.token, r.events);
    }
    const res = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/reports/promoters`,
      manager,
    );
    expect(res.status).toBe(200);

    // The same figures, worked out plainly from what the tills sent.
    const campaigns = [
      { promoter: 'Cara', campaignId: 'cara-live', campaignName: 'Cara live', cost: 9_000 },
      {
        promoter: 'Maya Creates',
        campaignId: 'maya-creates',
        campaignName: 'Maya Creates',
        cost: 15_000,
      },
    ];
    const expected = campaigns.map((c) => {
      const mine = redemptions.filter((r) => r.campaignId === c.campaignId);
      const buyers = new Set(mine.map((r) => r.memberId ?? `sale:${r.saleId}`)).size;
      const sales = new Map(mine.map((r) => [r.saleId, r.saleTotal]));
      return {
        ...c,
        redemptions: mine.length,
        buyers,
        sales: sales.size,
        salesTotal: [...sales.values()].reduce((n, t) => n + t, 0),
        discount: mine.reduce((n, r) => n + r.discount, 0),
        costPerBuyer: buyers === 0 ? null : Math.floor((c.cost * 2 + buyers) / (2 * buyers)),
      };
    });
    expect(expected.every((e) => e.redemptions > 3 && e.buyers > 2)).toBe(true);
    expect(res.body.rows).toEqual(expected);
  });
});
