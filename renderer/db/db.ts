// The till's IndexedDB (Dexie): catalog snapshot, stock, staff, shifts, sales, voids and the outbox of facts to sync.
import Dexie, { type EntityTable } from 'dexie';
import type { CartLine, Discount } from '../../shared/cart';
import type { Product, Staff, StoreSettings, TaxClass } from '../../shared/catalog';
import type { Complaint } from '../../shared/complaints';
import type { Allotment, Drop, DropProgress, MemberPurchase } from '../../shared/drops';
import type { EventType } from '../../shared/events';
import type { Member } from '../../shared/members';
import type { Campaign, CodeUsage, PromoKey, PromoRedeemed } from '../../shared/promo';
import type { CreditNoteBalance } from '../../shared/returns/credit-note';
import type { SaleReturn } from '../../shared/returns/return-fact';
import type { Sale, SaleVoid } from '../../shared/sale';
import type { Shift, ShiftReport } from '../../shared/shift';
import type { PendingExchange } from '../state/exchange';
import type { SyncProblem } from '../sync/problems';
import { pagesOf } from './product-pages';
import { stockPagesOf } from './stock-levels';

/** A product as stored: plus lower-case search words (multi-entry index). */
export interface ProductRow extends Product {
  words: string[];
}

/** Products stored together (renderer/db/product-pages.ts): one record per page, not per product. */
export interface ProductPage {
  page: number;
  rows: ProductRow[];
}

export interface StockRow {
  sku: string;
  qty: number;
}

/** Stock levels stored together (renderer/db/stock-levels.ts), on the same pages as their products. */
export interface StockPage {
  page: number;
  levels: Record<string, number>;
}

export interface ShiftRow extends Shift {
  /** 1 while open, 0 once closed (booleans cannot be indexed). */
  open: 0 | 1;
  /** The Z report, frozen at close. */
  zReport?: ShiftReport;
}

/** A fact waiting to be pushed to the ledger, in device sequence order. */
export interface OutboxRow {
  seq: number;
  eventId: string;
  type: EventType;
  createdAt: string;
  payload: unknown;
}

/**
 * Before v5 a fact the till set aside itself (never judged by the ledger). The v5 upgrade
 * puts every such row back in the outbox; the table is kept, empty, for code that still reads it.
 */
export interface QuarantineRow extends OutboxRow {
  reason: string;
  quarantinedAt: string;
}

/** A fact the ledger judged and will not apply (its final verdict): kept with the ledger's reason. */
export interface RejectedRow extends OutboxRow {
  /** rejected: stored by the ledger as refused; conflict: the ledger holds this id with other content. */
  verdict: 'rejected' | 'conflict';
  reason: string;
  judgedAt: string;
}

/** The last export of this till's unsynced and rejected facts to a file. */
export interface ExportRecord {
  exportedAt: string;
  fileName: string;
  /** Every fact in the outbox or the rejected list with a seq up to this one was in the file. */
  throughSeq: number;
  events: number;
  rejected: number;
}

export interface ParkedSaleRow {
  id: string;
  parkedAt: string;
  staffId: string;
  label: string;
  lines: CartLine[];
  orderDiscount?: Discount;
  approvedBy?: string;
}

/** The basket being built, written on every change so a reload or a crash does not lose it. */
export interface KeptBasketRow {
  key: 'basket';
  savedAt: string;
  lines: CartLine[];
  orderDiscount?: Discount;
  approvedBy?: string;
  memberId: string | null;
  promoCode: string | null;
  claimCampaignId: string | null;
  /** An exchange's goods coming back and their credit, while the new items are rung up. */
  exchange: PendingExchange | null;
  /** The name it had while parked, if it was taken back from the parked list. */
  parkedName?: string | null;
}

/** Who was logged in: after a reload the till opens locked with their name (any staff PIN unlocks). */
export interface KeptSessionRow {
  key: 'session';
  staffId: string;
  name: string;
  since: string;
}

export type KeptRow = KeptBasketRow | KeptSessionRow;

/** Device identity and counters, one row each in `settings`. */
export interface DeviceSettings {
  deviceId: string;
  /** Receipt prefix, e.g. "T1". */
  prefix: string;
  name: string;
}

export interface Counters {
  /** Last receipt number used (gap-free). */
  receipt: number;
  /** Last event sequence number used. */
  seq: number;
}

/** How this till talks to a ledger; absent while it runs standalone. */
export interface LedgerLink {
  url: string;
  deviceId: string;
  storeId: string;
  prefix: string;
  enrolledAt: string;
  /** Browser mode keeps the device token here; Electron keeps it in the OS keychain (safeStorage). */
  token?: string;
}

/** What the sync engine last did, for the status bar. */
export interface SyncState {
  cursor: string | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  /** The ledger refused the device token: a manager must enrol this till again. */
  needsEnrolment: boolean;
  /** Set while a full snapshot is loading. */
  snapshot: { done: number; total: number } | null;
  nextAttemptAt: string | null;
  /** Why the last sync did not get through, as a stable code and words (absent in rows older than v5). */
  problem?: SyncProblem | null;
  /** When the ledger stopped answering (null while it answers; absent in older rows). */
  offlineSince?: string | null;
}

/** A code this till redeemed, kept so local limits count it before (and after) it syncs. */
export interface RedemptionRow extends PromoRedeemed {
  /** The promo.redeemed event id. */
  id: string;
  createdAt: string;
}

/** A code this till issued (next-visit coupon, creator batch, member claim). */
export interface IssuedCodeRow {
  code: string;
  campaignId: string;
  saleId: string | null;
  memberId: string | null;
  issuedAt: string;
  /** The signed QR form printed for it, if any. */
  qr?: string;
}

export interface ComplaintRow extends Complaint {
  id: string;
  createdAt: string;
}

/** Units of a sale line returned at every till of the store, as the ledger counted them at the last pull. */
export interface ReturnedLineRow {
  saleId: string;
  lineNo: number;
  qty: number;
}

/** A credit note this till issued (a return's store credit): its face value and signed QR form. */
export interface CreditIssuedRow {
  code: string;
  qr: string;
  amount: number;
  currency: string;
  returnId: string;
  issuedAt: string;
}

/** Part of a credit note this till took as a tender, kept so its later balance checks count it. */
export interface CreditSpendRow {
  /** `<saleId>:<tender index>`. */
  id: string;
  code: string;
  amount: number;
  saleId: string;
  createdAt: string;
}

export type SettingsRow =
  | { key: 'store'; value: StoreSettings }
  | { key: 'device'; value: DeviceSettings }
  | { key: 'counters'; value: Counters }
  | { key: 'lockout'; value: { failures: number; lockedUntil: number | null } }
  | { key: 'catalog'; value: { source: string; loadedAt: string; productCount: number } }
  | { key: 'mode'; value: 'standalone' | 'ledger' }
  | { key: 'ledger'; value: LedgerLink }
  | { key: 'sync'; value: SyncState }
  | { key: 'promo'; value: PromoDeviceSettings }
  | { key: 'export'; value: ExportRecord }
  | { key: 'returns'; value: { returnNo: number } }
  /** The store's member-contact key from the last pull (shared/members.ts `contactHash`). */
  | { key: 'memberKey'; value: string };

/** This till's promo-code state: its own code sequence and Ed25519 key (hex) for signed QR codes. */
export interface PromoDeviceSettings {
  codeSeq: number;
  privateKey: string;
  publicKey: string;
  /** When the ledger accepted the public key; null until then (sent again after each pull). */
  registeredAt: string | null;
  /**
   * A MAC key (base64url) this till made itself, for credit notes issued while it has no store
   * key (standalone, or before its first pull): their typed codes check only on this till, their
   * signed QR form everywhere the till's public key is known.
   */
  localCreditKey?: string;
}

export type SettingsKey = SettingsRow['key'];
export type SettingsValue<K extends SettingsKey> = Extract<SettingsRow, { key: K }>['value'];

export type PosDb = Dexie & {
  productPages: EntityTable<ProductPage, 'page'>;
  stockPages: EntityTable<StockPage, 'page'>;
  staff: EntityTable<Staff, 'id'>;
  taxClasses: EntityTable<TaxClass, 'id'>;
  settings: EntityTable<SettingsRow, 'key'>;
  shifts: EntityTable<ShiftRow, 'id'>;
  sales: EntityTable<Sale, 'id'>;
  voids: EntityTable<SaleVoid, 'id'>;
  outbox: EntityTable<OutboxRow, 'seq'>;
  parked: EntityTable<ParkedSaleRow, 'id'>;
  quarantine: EntityTable<QuarantineRow, 'seq'>;
  rejected: EntityTable<RejectedRow, 'seq'>;
  drops: EntityTable<Drop, 'id'>;
  allotments: Dexie.Table<Allotment, [string, string]>;
  dropProgress: Dexie.Table<DropProgress, [string, string]>;
  members: EntityTable<Member, 'id'>;
  memberPurchases: Dexie.Table<MemberPurchase, [string, string]>;
  campaigns: EntityTable<Campaign, 'id'>;
  promoKeys: EntityTable<PromoKey, 'id'>;
  codeUsage: Dexie.Table<CodeUsage, number>;
  redemptions: EntityTable<RedemptionRow, 'id'>;
  issuedCodes: EntityTable<IssuedCodeRow, 'code'>;
  complaints: EntityTable<ComplaintRow, 'id'>;
  returns: EntityTable<SaleReturn, 'id'>;
  storeSales: EntityTable<Sale, 'id'>;
  returnedLines: Dexie.Table<ReturnedLineRow, [string, number]>;
  creditNotes: EntityTable<CreditNoteBalance, 'code'>;
  creditIssued: EntityTable<CreditIssuedRow, 'code'>;
  creditSpends: EntityTable<CreditSpendRow, 'id'>;
  kept: Dexie.Table<KeptRow, KeptRow['key']>;
};

/**
 * Strict durability: a sale the UI shows as paid has reached the disk, not just the OS cache.
 * 'relaxed' only for a second connection that writes what the ledger can send again (the catalog).
 */
export function openPosDb(name = 'poptill', durability: 'strict' | 'relaxed' = 'strict'): PosDb {
  const db = new Dexie(name, { chromeTransactionDurability: durability }) as PosDb;
  db.version(1).stores({
    products: 'sku, *barcodes, *words, category',
    stock: 'sku',
    staff: 'id',
    taxClasses: 'id',
    settings: 'key',
    shifts: 'id, open, openedAt',
    sales: 'id, &receiptNumber, shiftId, createdAt',
    voids: 'id, shiftId',
    outbox: 'seq, &eventId',
    parked: 'id, parkedAt',
  });
  db.version(2).stores({
    quarantine: 'seq, &eventId',
  });
  // The status bar counts unsynced sales after every sale: by index, not by reading the queue.
  db.version(3).stores({
    outbox: 'seq, &eventId, type',
  });
  // Drops, members and promo codes from the ledger; redemptions, issued codes and complaints made here.
  db.version(4).stores({
    sales: 'id, &receiptNumber, shiftId, createdAt, memberId',
    drops: 'id, startsAt',
    allotments: '[dropId+sku]',
    dropProgress: '[dropId+sku]',
    members: 'id, phoneHash, emailHash',
    memberPurchases: '[dropId+memberId]',
    campaigns: 'id',
    promoKeys: 'id',
    // Replaced whole at each pull (the ledger sends the usage of every active campaign).
    codeUsage: '++, code, campaignId, memberId',
    redemptions: 'id, code, saleId, campaignId, memberId',
    issuedCodes: 'code, campaignId, saleId',
    complaints: 'id, saleId',
  });
  // Only the ledger's per-fact verdict is final: facts the till once set aside itself go back to
  // the outbox (they were never judged), and the ledger's rejections get their own list.
  db.version(5)
    .stores({ rejected: 'seq, &eventId' })
    .upgrade(async (tx) => {
      const outbox = tx.table<OutboxRow, number>('outbox');
      const quarantine = tx.table<QuarantineRow, number>('quarantine');
      const queued = new Set(await outbox.toCollection().primaryKeys());
      const ids = new Set(await outbox.orderBy('eventId').keys());
      const back = (await quarantine.orderBy('seq').toArray())
        // A row already queued again must not abort the upgrade (the database would not open).
        .filter((r) => !queued.has(r.seq) && !ids.has(r.eventId))
        .map(({ reason: _r, quarantinedAt: _q, ...row }) => row);
      await outbox.bulkAdd(back);
      await quarantine.clear();
    });
  // Returns made here; other tills' recent sales, returned units and credit notes from the pull;
  // credit notes issued and spent here.
  db.version(6).stores({
    returns: 'id, saleId, shiftId, createdAt',
    storeSales: 'id, &receiptNumber, createdAt',
    returnedLines: '[saleId+lineNo], saleId',
    creditNotes: 'code',
    creditIssued: 'code, returnId',
    creditSpends: 'id, code, saleId',
  });
  // The open basket and who was logged in, kept across a reload or a crash.
  db.version(7).stores({ kept: 'key' });
  // Products are scanned and searched in memory (renderer/db/code-map.ts): their words and
  // barcodes indexes were most of the time a 50k catalog took to write.
  db.version(8).stores({ products: 'sku, category' });
  // Products in pages of ~50 (by a hash of the SKU): a 50k snapshot is ~1k records to write, not
  // 50k. Every read is served from the in-memory map, which warms from the pages.
  db.version(9)
    .stores({ productPages: 'page' })
    .upgrade(async (tx) => {
      const rows = await tx.table<ProductRow, string>('products').toArray();
      await tx.table<ProductPage, number>('productPages').bulkPut(pagesOf(rows));
    });
  db.version(10).stores({ products: null });
  // Stock levels in the same pages: a snapshot's 50k levels are ~1k records to write.
  db.version(11)
    .stores({ stockPages: 'page' })
    .upgrade(async (tx) => {
      const rows = await tx.table<StockRow, string>('stock').toArray();
      await tx
        .table<StockPage, number>('stockPages')
        .bulkPut(stockPagesOf(rows.map((r) => [r.sku, r.qty])));
    });
  db.version(12).stores({ stock: null });
  return db;
}

export async function getSetting<K extends SettingsKey>(
  db: PosDb,
  key: K,
): Promise<SettingsValue<K> | undefined> {
  const row = await db.settings.get(key);
  return row?.value as SettingsValue<K> | undefined;
}
