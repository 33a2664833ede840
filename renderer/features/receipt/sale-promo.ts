// A sale's promo codes as its receipt prints them: the code it redeemed and the codes given with it.
import type { ReceiptPromo } from '../../../shared/receipt-promo';
import { getSetting, type PosDb } from '../../db/db';
import { couponHeadline } from '../../db/promo-issue-repo';

export type SalePromo = ReceiptPromo;

/** Reads Dexie only (usable inside useLiveQuery). */
export async function salePromo(db: PosDb, saleId: string): Promise<SalePromo> {
  const [redeemed, issued, store] = await Promise.all([
    db.redemptions.where('saleId').equals(saleId).first(),
    db.issuedCodes.where('saleId').equals(saleId).toArray(),
    getSetting(db, 'store'),
  ]);
  const ids = [...new Set([...issued.map((i) => i.campaignId), redeemed?.campaignId ?? ''])];
  const campaigns = new Map(
    (await db.campaigns.bulkGet(ids)).flatMap((c) => (c ? [[c.id, c] as const] : [])),
  );
  const currency = store?.currency ?? 'EUR';
  // A campaign ends at the start of endsAt: its last day is the one before.
  const lastDay = (iso: string) =>
    new Intl.DateTimeFormat(store?.locale ?? 'en-IE', {
      timeZone: store?.timeZone ?? 'UTC',
      dateStyle: 'medium',
    }).format(new Date(Date.parse(iso) - 1));
  const out: SalePromo = {};
  if (redeemed) {
    out.redeemed = {
      code: redeemed.code,
      label: campaigns.get(redeemed.campaignId)?.name ?? 'Promo',
      discount: redeemed.discount,
    };
  }
  // A member's one-tap claim is issued and redeemed at once: no coupon to take home.
  out.issuedCodes = issued
    .filter((i) => i.code !== redeemed?.code)
    .map((i) => {
      const c = campaigns.get(i.campaignId);
      return {
        code: i.code,
        qr: i.qr ?? i.code,
        headline: c ? couponHeadline(c, currency) : 'A code for your next visit',
        ...(c ? { validUntil: lastDay(c.endsAt) } : {}),
      };
    });
  return out;
}
