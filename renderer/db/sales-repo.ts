// Committing sales and voids: one strict transaction re-checks the drop rules and the promo, then writes the sale, its facts and the stock decrement.
import type { CartLine, Discount, PricedCart } from '../../shared/cart';
import { checkDropCart, type DropCartCode } from '../../shared/drop-cart';
import { promoRedeemedSchema } from '../../shared/promo';
import { formatReceiptNumber } from '../../shared/receipt-number';
import type { SaleReturn } from '../../shared/returns/return-fact';
import { type Sale, type SaleVoid, saleSchema, voidSchema } from '../../shared/sale';
import type { Settlement, Tender } from '../../shared/tender';
import {
  checkCreditTenders,
  creditTables,
  type IssuedCreditNote,
  recordCreditSpends,
} from './credit-notes-repo';
import { getSetting, type PosDb, type RedemptionRow } from './db';
import { dropReadTables, loadDropData } from './drops-repo';
import { newId, nextCounters } from './event-seq';
import { checkExchange } from './exchange-check';
import { issueCodesInTransaction, issueTables } from './promo-issue-repo';
import {
  type CartPromo,
  checkCartPromo,
  ensurePromoDevice,
  promoReadTables,
  withPromo,
} from './promo-repo';
import { returnTables, writeReturnIn } from './return-commit';
import type { ReturnDraft } from './returns-repo';
import { adjustStock, stockTables } from './stock-levels';

export { exchangeTenderAmount } from './exchange-check';
export { newId, nextCounters };

export interface SaleDraft {
  cart: PricedCart;
  orderDiscount?: Discount;
  tenders: Tender[];
  settlement: Settlement;
  staff: { id: string; name: string };
  approvedBy?: string;
  shiftId: string;
  /** The identified member, if any. */
  memberId?: string;
  /** The promo code (or member claim) the cart was priced with: checked again as the sale commits. */
  promo?: { promoCode: string | null; claimCampaignId: string | null };
  /** Campaigns to give the customer a next-visit code for (printed on the receipt). */
  issue?: string[];
  /**
   * Goods coming back in exchange for this sale: the return is written in the same transaction
   * (method `exchange`, its `exchangeSaleId` this sale), and the sale's tenders must hold one
   * `{ kind: 'exchange', amount, returnId }` (any returnId: the new return's id replaces it) whose
   * amount is `exchangeTenderAmount(quote.refundTotal, cart.total)` = min(return value, new
   * total). When the returned goods are worth more than the new goods the difference goes back
   * as a store-credit note, never as cash (an exchange-only item must not turn into money).
   */
  exchange?: Omit<ReturnDraft, 'method' | 'staff' | 'shiftId'>;
}

/** Why a paid cart was not recorded: a rule that no longer holds at the moment of commit. */
export type SaleRefusalCode =
  | DropCartCode
  | 'promo-refused'
  | 'promo-changed'
  /** A store-credit tender's note is unknown, tampered, spent or short. */
  | 'credit-refused'
  /** The goods coming back in an exchange may not (or no longer) come back. */
  | 'exchange-refused'
  /** The exchange tender does not match what the returned goods are worth now. */
  | 'exchange-changed';

export type SaleCommit =
  | {
      ok: true;
      sale: Sale;
      /** The exchange's return, when the draft carried one. */
      saleReturn?: SaleReturn;
      /** Store credit for returned goods worth more than the new ones. */
      creditNote?: IssuedCreditNote | null;
    }
  | { ok: false; code: SaleRefusalCode; message: string };

type Refusal = Extract<SaleCommit, { ok: false }>;

async function deviceAndStore(db: PosDb) {
  const device = await getSetting(db, 'device');
  const store = await getSetting(db, 'store');
  if (!device || !store)
    throw new Error('This till is not set up yet (no device or store settings).');
  return { device, store };
}

/**
 * The drop rules on the whole cart against this till's data at this very moment: a sale synced
 * since the cart was built (the member's limit reached on another till), units sold here since,
 * a window not yet open or a ladder step that moved on are caught here, not only in the cart.
 */
async function checkDrops(
  db: PosDb,
  cart: { lines: readonly CartLine[]; memberId?: string | null },
  now: Date,
): Promise<Refusal | null> {
  // Most sales happen with no drop on the till: skip reading the unsynced sales then.
  if ((await db.drops.count()) === 0) return null;
  const { store } = await deviceAndStore(db);
  const data = await loadDropData(db);
  const found = cart.memberId ? await db.members.get(cart.memberId) : undefined;
  // A member id this till has not pulled yet still counts for limits; it opens no early access.
  const member = cart.memberId
    ? { id: cart.memberId, tiers: found?.tiers ?? [], name: found?.name }
    : null;
  const checked = checkDropCart(data, {
    lines: cart.lines,
    member,
    now,
    timeZone: store.timeZone,
    currency: store.currency,
    locale: store.locale,
  });
  return checked.ok ? null : { ok: false, code: checked.code, message: checked.message };
}

/**
 * The code is checked again against this till's usage at this very moment: a code used up
 * since the cart was priced (another sale on this till) never goes through twice.
 */
async function checkPromo(
  db: PosDb,
  draft: SaleDraft,
  now: Date,
): Promise<{ ok: true; promo: CartPromo } | Refusal> {
  const promoTotal = draft.cart.lines.reduce((n, l) => n + (l.promoDiscount ?? 0), 0);
  const promo = draft.promo
    ? await checkCartPromo(
        db,
        {
          ...draft.promo,
          memberId: draft.memberId ?? null,
          lines: withPromo(draft.cart.lines, undefined),
        },
        now,
      )
    : ({ state: 'none' } as const);
  if (promo.state === 'refused') {
    return {
      ok: false,
      code: 'promo-refused',
      message: `The promo code no longer applies: ${promo.message}`,
    };
  }
  if ((promo.state === 'applied' ? promo.total : 0) !== promoTotal) {
    return {
      ok: false,
      code: 'promo-changed',
      message:
        'The promo discount changed since the cart was priced: check the cart and pay again.',
    };
  }
  return { ok: true, promo };
}

/**
 * A cart coming back from the parked list, checked as its sale will be: the drop rules and the
 * code as they stand now (a limit reached or a code used up elsewhere while it was parked).
 */
export async function checkParkedCart(
  db: PosDb,
  cart: {
    lines: readonly CartLine[];
    memberId: string | null;
    promoCode: string | null;
    claimCampaignId: string | null;
  },
  now = new Date(),
): Promise<{ code: SaleRefusalCode; message: string }[]> {
  const reasons: { code: SaleRefusalCode; message: string }[] = [];
  const drops = await checkDrops(db, cart, now);
  if (drops) reasons.push({ code: drops.code, message: drops.message });
  if (cart.promoCode?.trim() || cart.claimCampaignId) {
    const promo = await checkCartPromo(db, cart, now);
    if (promo.state === 'refused') {
      reasons.push({
        code: 'promo-refused',
        message: `The promo code no longer applies: ${promo.message}`,
      });
    }
  }
  return reasons;
}

/**
 * Commit a paid sale. Either everything is written (sale, outbox entry, stock
 * decrement, next receipt number) or nothing is: the receipt numbers stay gap-free.
 * A cart the drop rules or the promo no longer allow is refused with a reason, and nothing
 * is written; a broken draft (not paid, no items, fails the schema) throws.
 * Store-credit tenders are checked again (verified, balance enough) and recorded as spent here.
 * With `exchange`, the return is written in the same transaction (see `SaleDraft.exchange`) and
 * the result carries it and any credit note for the difference.
 */
export async function recordSale(
  db: PosDb,
  draft: SaleDraft,
  now = new Date(),
): Promise<SaleCommit> {
  if (!draft.settlement.complete) throw new Error('The sale is not fully paid.');
  if (draft.cart.lines.length === 0) throw new Error('The sale has no items.');
  const claim = draft.promo?.claimCampaignId ?? null;
  if (claim || draft.issue?.length) await ensurePromoDevice(db);
  // Only the tables this sale can touch: a plain sale does not wait behind a sync writing
  // returns, credit notes or promo usage (each check reads nothing when its part is absent).
  const tables = new Set([
    db.settings,
    db.sales,
    db.outbox,
    ...stockTables(db),
    ...dropReadTables(db),
    ...(draft.exchange ? returnTables(db) : []),
    ...(draft.tenders.some((t) => t.kind === 'store-credit') ? creditTables(db) : []),
    ...(draft.promo ? [db.redemptions, ...promoReadTables(db)] : []),
    ...(claim || draft.issue?.length ? issueTables(db) : []),
  ]);
  return db.transaction('rw', [...tables], async (): Promise<SaleCommit> => {
    const drops = await checkDrops(db, { lines: draft.cart.lines, memberId: draft.memberId }, now);
    if (drops) return drops;
    const checked = await checkPromo(db, draft, now);
    if (!checked.ok) return checked;
    const { promo } = checked;
    const exchange = await checkExchange(db, draft, now);
    if (!exchange.ok) return exchange;
    const credit = await checkCreditTenders(db, draft.tenders);
    if (!credit.ok) return credit;
    const { device, store } = await deviceAndStore(db);
    const id = newId(now.getTime());
    // Every check is done: from here on only writes. The return goes first (its fact names this sale).
    const returned = exchange.prepared ? await writeReturnIn(db, exchange.prepared, now, id) : null;
    const tenders = credit.tenders.map((t) =>
      t.kind === 'exchange' && returned ? { ...t, returnId: returned.saleReturn.id } : t,
    );
    const counters = await nextCounters(db, true);
    const sale: Sale = saleSchema.parse({
      id,
      receiptNumber: formatReceiptNumber(device.prefix, counters.receipt),
      deviceId: device.deviceId,
      seq: counters.seq,
      shiftId: draft.shiftId,
      staffId: draft.staff.id,
      staffName: draft.staff.name,
      approvedBy: draft.approvedBy,
      createdAt: now.toISOString(),
      memberId: draft.memberId,
      currency: store.currency,
      pricesIncludeTax: store.pricesIncludeTax,
      lines: draft.cart.lines,
      orderDiscount: draft.orderDiscount,
      subtotal: draft.cart.subtotal,
      discountTotal: draft.cart.discountTotal,
      tax: draft.cart.tax,
      taxBands: draft.cart.taxBands,
      total: draft.cart.total,
      rounding: draft.settlement.rounding,
      tenders,
      change: draft.settlement.change,
    });
    await db.sales.add(sale);
    await recordCreditSpends(db, sale);
    await db.outbox.add({
      seq: sale.seq,
      eventId: id,
      type: 'sale.completed',
      createdAt: sale.createdAt,
      payload: sale,
    });
    const memberId = draft.memberId ?? null;
    if (promo.state === 'applied' && promo.total > 0) {
      // A member's one-tap claim is a code issued to them here and redeemed at once.
      const code =
        promo.code ??
        (
          await issueCodesInTransaction(
            db,
            { campaignId: promo.campaign.id, count: 1, saleId: id, memberId },
            now,
          )
        )[0]!.code;
      const { seq } = await nextCounters(db, false);
      const redemption: RedemptionRow = {
        ...promoRedeemedSchema.parse({
          saleId: id,
          deviceId: device.deviceId,
          code,
          campaignId: promo.campaign.id,
          memberId,
          discount: promo.total,
        }),
        id: newId(now.getTime()),
        createdAt: sale.createdAt,
      };
      await db.redemptions.add(redemption);
      const { id: eventId, createdAt, ...payload } = redemption;
      await db.outbox.add({ seq, eventId, type: 'promo.redeemed', createdAt, payload });
    }
    for (const campaignId of draft.issue ?? []) {
      await issueCodesInTransaction(db, { campaignId, count: 1, saleId: id, memberId }, now);
    }
    const qtyBySku = new Map<string, number>();
    for (const line of sale.lines) qtyBySku.set(line.sku, (qtyBySku.get(line.sku) ?? 0) + line.qty);
    await adjustStock(db, new Map([...qtyBySku].map(([sku, qty]) => [sku, -qty])));
    return returned ? { ok: true, sale, ...returned } : { ok: true, sale };
  });
}

/** Record a cart abandoned with items in it, for the Z report and the ledger. */
export async function recordVoid(
  db: PosDb,
  input: { cart: PricedCart; staffId: string; shiftId: string },
  now = new Date(),
): Promise<SaleVoid> {
  return db.transaction('rw', [db.settings, db.voids, db.outbox], async () => {
    const { device } = await deviceAndStore(db);
    const counters = await nextCounters(db, false);
    const id = newId(now.getTime());
    const v: SaleVoid = voidSchema.parse({
      id,
      deviceId: device.deviceId,
      seq: counters.seq,
      shiftId: input.shiftId,
      staffId: input.staffId,
      createdAt: now.toISOString(),
      itemCount: input.cart.itemCount,
      value: input.cart.total,
    });
    await db.voids.add(v);
    await db.outbox.add({
      seq: v.seq,
      eventId: id,
      type: 'sale.voided',
      createdAt: v.createdAt,
      payload: v,
    });
    return v;
  });
}

/** The sale of a commit that must not be refused (seeding, tests): a refusal throws with its reason. */
export function committedSale(commit: SaleCommit): Sale {
  if (!commit.ok) throw new Error(`${commit.code}: ${commit.message}`);
  return commit.sale;
}
