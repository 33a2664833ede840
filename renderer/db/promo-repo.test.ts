// Promo codes at the till against a real IndexedDB (fake-indexeddb): redeemed and issued in the sale's own transaction.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import demo from '../../assets/demo-catalog.json';
import { type CartLine, priceCart } from '../../shared/cart';
import type { Campaign, PromoKey } from '../../shared/promo';
import { issueCode, issueQr, promoSigningKeyPair, verifyCode } from '../../shared/promo-code';
import { settle } from '../../shared/tender';
import { loadCatalog } from './catalog-repo';
import { openPosDb, type PosDb } from './db';
import { issueCodeBatch } from './promo-issue-repo';
import {
  type CartPromoInput,
  checkCartPromo,
  ensurePromoDevice,
  promoKeyId,
  withPromo,
} from './promo-repo';
import { committedSale, recordSale, type SaleDraft } from './sales-repo';
import { openShift } from './shift-repo';

let db: PosDb;
let dbCount = 0;
let shiftId: string;
const now = new Date('2026-12-02T10:00:00.000Z');
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
const tee = demo.products.find((p) => p.price >= 1000)!;
const storeKey: PromoKey = {
  kind: 'hmac',
  id: 'store-k1',
  secret: 'c2VjcmV0LXN0b3JlLWtleS0xMjM0NTY3OA',
  retired: false,
};
const campaign: Campaign = {
  id: 'next-visit',
  name: 'Next visit 10%',
  prefix: 'NEXT',
  offer: { kind: 'percent', bp: 1000 },
  scope: { kind: 'all' },
  startsAt: '2026-12-01T00:00:00.000Z',
  endsAt: '2027-01-31T00:00:00.000Z',
  audience: { kind: 'anyone' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: null,
  budget: null,
  channel: 'receipt',
  promoter: null,
  promoterCost: 0,
  tillsMayIssue: true,
  status: 'active',
};
const lines: CartLine[] = [
  {
    lineId: 'a',
    sku: tee.sku,
    name: tee.name,
    unitPrice: tee.price,
    qty: 2,
    taxClassId: tee.taxClassId,
  },
];

/** Price the cart with its code the way the till does, and pay it in exact cash. */
async function paidDraft(promo: Omit<CartPromoInput, 'lines' | 'memberId'>, issue?: string[]) {
  const checked = await checkCartPromo(db, { ...promo, lines, memberId: null }, now);
  const cart = priceCart(withPromo(lines, checked), undefined, {
    pricesIncludeTax: true,
    taxRatesPpm,
  });
  const s = settle(cart.total, [{ kind: 'card', amount: cart.total, reference: 'R1' }], 1);
  if (!s.ok) throw new Error(s.message);
  const draft: SaleDraft = {
    cart,
    tenders: [{ kind: 'card', amount: cart.total, reference: 'R1' }],
    settlement: s.value,
    staff: { id: 'staff-aoife', name: 'Aoife' },
    shiftId,
    promo,
    ...(issue ? { issue } : {}),
  };
  return { checked, draft };
}

beforeEach(async () => {
  db = openPosDb(`promo-${++dbCount}`);
  await db.settings.put({
    key: 'device',
    value: { deviceId: 'device-1', prefix: 'T1', name: 'Till 1' },
  });
  expect((await loadCatalog(db, demo, 'demo')).ok).toBe(true);
  await db.campaigns.put(campaign);
  await db.promoKeys.put(storeKey);
  const shift = await openShift(db, 'staff-aoife', 0);
  if (!shift.ok) throw new Error(shift.message);
  shiftId = shift.shift.id;
});

afterEach(async () => {
  await db.delete();
});

describe('redeeming a code at checkout', () => {
  const code = () => issueCode({ campaign, deviceNo: 2, seq: 7, key: storeKey });

  it('takes the discount off the sale and records the redemption as the next fact, once', async () => {
    const { checked, draft } = await paidDraft({ promoCode: code(), claimCampaignId: null });
    expect(checked).toMatchObject({ state: 'applied', total: Math.round(tee.price * 0.2) });
    const sale = committedSale(await recordSale(db, draft, now));
    expect(sale.discountTotal).toBe(Math.round(tee.price * 0.2));
    expect(sale.total).toBe(tee.price * 2 - Math.round(tee.price * 0.2));
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((o) => [o.seq, o.type])).toEqual([
      [1, 'shift.opened'],
      [2, 'sale.completed'],
      [3, 'promo.redeemed'],
    ]);
    expect(outbox[2]?.payload).toEqual({
      saleId: sale.id,
      deviceId: 'device-1',
      code: code(),
      campaignId: campaign.id,
      memberId: null,
      discount: sale.discountTotal,
    });
    expect(await db.redemptions.where('saleId').equals(sale.id).count()).toBe(1);

    // Single use: the same code on this till is now refused, offline, with the reason.
    const again = await checkCartPromo(
      db,
      { promoCode: code(), claimCampaignId: null, lines, memberId: null },
      now,
    );
    expect(again).toMatchObject({ state: 'refused', code: 'used-up' });
  });

  it('sends the scanned QR with the redemption, so the ledger can check its signature', async () => {
    const pair = promoSigningKeyPair(new Uint8Array(32).fill(5));
    const tillKey: PromoKey = {
      kind: 'ed25519',
      id: 'key-till-2',
      deviceId: 'device-2',
      publicKey: pair.publicKeyHex,
    };
    await db.promoKeys.put(tillKey);
    const scanned = issueQr({
      campaign,
      deviceNo: 2,
      seq: 8,
      key: storeKey,
      signer: { keyId: 'key-till-2', secretKeyHex: pair.secretKeyHex },
    });
    const { checked, draft } = await paidDraft({ promoCode: scanned.qr, claimCampaignId: null });
    expect(checked).toMatchObject({ state: 'applied', via: 'qr', code: scanned.code });
    const sale = committedSale(await recordSale(db, draft, now));
    const redemption = (await db.outbox.orderBy('seq').toArray()).find(
      (o) => o.type === 'promo.redeemed',
    );
    expect(redemption?.payload).toMatchObject({
      saleId: sale.id,
      code: scanned.code,
      qr: scanned.qr,
    });
  });

  it('still counts a redemption after it was pushed: locally until a pull, then through the ledger usage', async () => {
    const { draft } = await paidDraft({ promoCode: code(), claimCampaignId: null });
    committedSale(await recordSale(db, draft, now));
    // The push took the fact but its pull failed: the till still counts its own use.
    await db.outbox.clear();
    const input = { promoCode: code(), claimCampaignId: null, lines, memberId: null };
    expect(await checkCartPromo(db, input, now)).toMatchObject({
      state: 'refused',
      code: 'used-up',
    });
    // A later pull brings the ledger's count instead (here: as if another till's use replaced it).
    const later = new Date(now.getTime() + 60_000).toISOString();
    await db.settings.put({
      key: 'sync',
      value: {
        cursor: 'c1',
        lastSuccessAt: later,
        lastAttemptAt: later,
        lastError: null,
        needsEnrolment: false,
        snapshot: null,
        nextAttemptAt: null,
      },
    });
    expect((await checkCartPromo(db, input, now)).state).toBe('applied');
    await db.codeUsage.add({
      code: code(),
      campaignId: campaign.id,
      memberId: null,
      uses: 1,
      discount: 1,
    });
    expect(await checkCartPromo(db, input, now)).toMatchObject({
      state: 'refused',
      code: 'used-up',
    });
  });

  it('refuses, inside the transaction, a code used up after the cart was priced; nothing is written and no receipt number is lost', async () => {
    const first = await paidDraft({ promoCode: code(), claimCampaignId: null });
    const second = await paidDraft({ promoCode: code(), claimCampaignId: null });
    const sale = committedSale(await recordSale(db, first.draft, now));
    expect(await recordSale(db, second.draft, now)).toMatchObject({
      ok: false,
      code: 'promo-refused',
      message: expect.stringContaining('already been used'),
    });
    expect(await db.sales.count()).toBe(1);
    expect(await db.redemptions.count()).toBe(1);
    const plain = await paidDraft({ promoCode: null, claimCampaignId: null });
    const next = committedSale(await recordSale(db, plain.draft, now));
    expect([sale.receiptNumber, next.receiptNumber]).toEqual(['T1-000001', 'T1-000002']);
  });

  it('says a typo is a typo, and never prices it', async () => {
    const good = code();
    const typo = `${good.slice(0, 6)}${good[6] === 'X' ? 'Y' : 'X'}${good.slice(7)}`;
    const checked = await checkCartPromo(
      db,
      { promoCode: typo, claimCampaignId: null, lines, memberId: null },
      now,
    );
    expect(checked).toMatchObject({ state: 'refused', code: 'typo' });
    expect(withPromo(lines, checked)).toEqual(lines);
  });
});

describe('a member offer with one tap', () => {
  const memberOffer: Campaign = {
    ...campaign,
    id: 'members-5',
    name: 'Members €5 off',
    prefix: 'MEMB',
    offer: { kind: 'amount', amount: 500 },
    audience: { kind: 'members' },
    maxUsesPerCustomer: 1,
  };
  const member = {
    id: 'M7K3MQ9XT',
    name: 'Róisín',
    tiers: ['members'],
    phoneHash: null,
    emailHash: null,
    active: true,
  };

  it('issues the member a code and redeems it in the sale; the member cannot claim it twice', async () => {
    await db.campaigns.put(memberOffer);
    await db.members.put(member);
    const promo = { promoCode: null, claimCampaignId: memberOffer.id };
    const checked = await checkCartPromo(db, { ...promo, lines, memberId: member.id }, now);
    expect(checked).toMatchObject({ state: 'applied', via: 'member', total: 500, code: null });
    const cart = priceCart(withPromo(lines, checked), undefined, {
      pricesIncludeTax: true,
      taxRatesPpm,
    });
    const s = settle(cart.total, [{ kind: 'card', amount: cart.total, reference: 'R2' }], 1);
    if (!s.ok) throw new Error(s.message);
    const sale = committedSale(
      await recordSale(
        db,
        {
          cart,
          tenders: [{ kind: 'card', amount: cart.total, reference: 'R2' }],
          settlement: s.value,
          staff: { id: 'staff-aoife', name: 'Aoife' },
          shiftId,
          memberId: member.id,
          promo,
        },
        now,
      ),
    );
    const [issued] = await db.issuedCodes.where('saleId').equals(sale.id).toArray();
    expect(issued).toMatchObject({ campaignId: memberOffer.id, memberId: member.id });
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.slice(1).map((o) => o.type)).toEqual([
      'sale.completed',
      'promo.issued',
      'promo.redeemed',
    ]);
    expect(outbox[3]?.payload).toMatchObject({
      code: issued!.code,
      memberId: member.id,
      discount: 500,
    });
    const again = await checkCartPromo(db, { ...promo, lines, memberId: member.id }, now);
    expect(again).toMatchObject({ state: 'refused', code: 'customer-limit' });
  });

  it('is refused without a member', async () => {
    await db.campaigns.put(memberOffer);
    const checked = await checkCartPromo(
      db,
      { promoCode: null, claimCampaignId: memberOffer.id, lines, memberId: null },
      now,
    );
    expect(checked).toMatchObject({ state: 'refused', code: 'members-only' });
  });
});

describe('issuing codes', () => {
  it('gives a next-visit code with the sale: a signed QR another till verifies, and a promo.issued fact', async () => {
    const { draft } = await paidDraft({ promoCode: null, claimCampaignId: null }, [campaign.id]);
    const sale = committedSale(await recordSale(db, draft, now));
    const issued = await db.issuedCodes.where('saleId').equals(sale.id).toArray();
    expect(issued).toHaveLength(1);
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((o) => o.type)).toEqual(['shift.opened', 'sale.completed', 'promo.issued']);
    expect(outbox[2]?.payload).toMatchObject({ codes: [issued[0]!.code], saleId: sale.id });

    // Another till that pulled this till's public key checks the QR offline.
    const mine = await ensurePromoDevice(db);
    const keys: PromoKey[] = [
      storeKey,
      {
        kind: 'ed25519',
        id: promoKeyId(mine.publicKey),
        deviceId: 'device-1',
        publicKey: mine.publicKey,
      },
    ];
    const verified = verifyCode(issued[0]!.qr!, { keys, campaigns: [campaign], now });
    expect(verified).toMatchObject({ ok: true, code: issued[0]!.code, via: 'qr', deviceNo: 1 });
  });

  it('issues batches from its own sequence: never the same code twice', async () => {
    const a = await issueCodeBatch(db, { campaignId: campaign.id, count: 50 }, now);
    const b = await issueCodeBatch(db, { campaignId: campaign.id, count: 50 }, now);
    const codes = [...a, ...b].map((r) => r.code);
    expect(new Set(codes).size).toBe(100);
    expect((await db.outbox.where('type').equals('promo.issued').toArray()).length).toBe(2);
    expect((await db.settings.get('promo'))?.value).toMatchObject({ codeSeq: 100 });
  });

  it('refuses to issue for a campaign tills may not issue for', async () => {
    await db.campaigns.put({ ...campaign, id: 'ledger-only', tillsMayIssue: false });
    await expect(issueCodeBatch(db, { campaignId: 'ledger-only', count: 1 }, now)).rejects.toThrow(
      'may not issue',
    );
    expect(await db.issuedCodes.count()).toBe(0);
  });
});
