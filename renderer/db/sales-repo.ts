// Committing sales and voids: one strict transaction re-checks the drop rules and the promo, then writes the sale, its facts and the stock decrement, waiting on IndexedDB as few times as it can.
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
import {
  type Counters,
  getSetting,
  type PosDb,
  type RedemptionRow,
  type SettingsValue,
} from './db';
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
import { adjusted, adjustStock, stockPagesFor, stockTables } from './stock-levels';

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
  return checkDropsFor(db, cart, now, store);
}

/** `checkDrops` once the till is known to have a drop and its store settings are read. */
async function checkDropsFor(
  db: PosDb,
  cart: { lines: readonly CartLine[]; memberId?: string | null },
  now: Date,
  store: SettingsValue<'store'>,
): Promise<Refusal | null> {
  const [data, found] = await Promise.all([
    loadDropData(db),
    cart.memberId ? db.members.get(cart.memberId) : undefined,
  ]);
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

/** Whether each database had a drop at its last sale: which tables the next sale names. */
const hadDrops = new WeakMap<PosDb, boolean>();
/** A commit that found a drop it had not named the drop check's tables for: run it again with them. */
const AGAIN = Symbol('again');

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
  // The drop check's tables are named only while the till has a drop (a plain sale then holds
  // five tables); a drop that arrived since the last sale is found inside, and the sale runs again.
  const first = await commitSale(db, draft, now, hadDrops.get(db) ?? true);
  return first === AGAIN ? ((await commitSale(db, draft, now, true)) as SaleCommit) : first;
}

async function commitSale(
  db: PosDb,
  draft: SaleDraft,
  now: Date,
  withDrops: boolean,
): Promise<SaleCommit | typeof AGAIN> {
  const claim = draft.promo?.claimCampaignId ?? null;
  // Only the tables this sale can touch: a plain sale does not wait behind a sync writing
  // returns, credit notes or promo usage (each check reads nothing when its part is absent).
  const tables = new Set([
    db.settings,
    db.sales,
    db.outbox,
    db.drops,
    ...stockTables(db),
    ...(withDrops ? dropReadTables(db) : []),
    ...(draft.exchange ? returnTables(db) : []),
    ...(draft.tenders.some((t) => t.kind === 'store-credit') ? creditTables(db) : []),
    ...(draft.promo ? [db.redemptions, ...promoReadTables(db)] : []),
    ...(claim || draft.issue?.length ? issueTables(db) : []),
  ]);
  const skus = new Set(draft.cart.lines.map((l) => l.sku));
  return db.transaction('rw', [...tables], async (): Promise<SaleCommit | typeof AGAIN> => {
    // Everything a plain sale reads, asked for at once: one wait for IndexedDB, not one per read
    // (each wait lets the UI's other work in before the sale goes on).
    const [settings, dropCount, pages] = await Promise.all([
      db.settings.bulkGet(['device', 'store', 'counters']),
      db.drops.count(),
      stockPagesFor(db, skus),
    ]);
    const device = settings[0]?.value as SettingsValue<'device'> | undefined;
    const store = settings[1]?.value as SettingsValue<'store'> | undefined;
    const counted = settings[2]?.value as SettingsValue<'counters'> | undefined;
    if (!device || !store)
      throw new Error('This till is not set up yet (no device or store settings).');
    hadDrops.set(db, dropCount > 0);
    if (dropCount > 0 && !withDrops) return AGAIN;
    const drops =
      dropCount > 0
        ? await checkDropsFor(db, { lines: draft.cart.lines, memberId: draft.memberId }, now, store)
        : null;
    if (drops) return drops;
    const checked = await checkPromo(db, draft, now);
    if (!checked.ok) return checked;
    const { promo } = checked;
    const exchange = await checkExchange(db, draft, now);
    if (!exchange.ok) return exchange;
    const credit = await checkCreditTenders(db, draft.tenders);
    if (!credit.ok) return credit;
    const id = newId(now.getTime());
    // Every check is done: from here on only writes. The return goes first (its fact names this
    // sale, and it takes a sequence number and changes stock: both are read again after it).
    const returned = exchange.prepared ? await writeReturnIn(db, exchange.prepared, now, id) : null;
    const tenders = credit.tenders.map((t) =>
      t.kind === 'exchange' && returned ? { ...t, returnId: returned.saleReturn.id } : t,
    );
    const writes: Promise<unknown>[] = [];
    let counters: Counters;
    if (returned) counters = await nextCounters(db, true);
    else {
      const last = counted ?? { receipt: 0, seq: 0 };
      counters = { receipt: last.receipt + 1, seq: last.seq + 1 };
      writes.push(db.settings.put({ key: 'counters', value: counters }));
    }
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
    // IndexedDB carries out a transaction's requests in the order they were made: these go out
    // together and the sale waits once for all of them.
    writes.push(
      db.sales.add(sale),
      recordCreditSpends(db, sale),
      db.outbox.add({
        seq: sale.seq,
        eventId: id,
        type: 'sale.completed',
        createdAt: sale.createdAt,
        payload: sale,
      }),
    );
    const qtyBySku = new Map<string, number>();
    for (const line of sale.lines) qtyBySku.set(line.sku, (qtyBySku.get(line.sku) ?? 0) + line.qty);
    const deltas = new Map([...qtyBySku].map(([sku, qty]) => [sku, -qty]));
    // The pages read above, unless the exchange's return changed them since (or a line's SKU
    // came out of the schema other than it went in).
    writes.push(
      returned || [...deltas.keys()].some((sku) => !skus.has(sku))
        ? adjustStock(db, deltas)
        : db.stockPages.bulkPut(adjusted(pages, deltas)),
    );
    await Promise.all(writes);
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
          // The scanned QR itself, so the ledger can check a signed-only offer's signature too.
          ...(promo.via === 'qr' && draft.promo?.promoCode
            ? { qr: draft.promo.promoCode.trim() }
            : {}),
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
