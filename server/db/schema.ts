// Table types of the ledger database (the same on SQLite and PostgreSQL). Booleans are 0/1, times ISO strings, JSON text.
import type { ColumnType, Generated } from 'kysely';

type Int = ColumnType<number, number, number>;

export interface LedgerStateTable {
  id: number;
  /** Bumped inside every write transaction; pull cursors compare against it. */
  version: Int;
}

export interface StoresTable {
  id: string;
  name: string;
  /** StoreSettings as JSON. */
  settings: string;
  time_zone: string;
  version: Int;
  created_at: string;
}

export interface TaxClassesTable {
  id: string;
  name: string;
  rate_ppm: Int;
  version: Int;
}

export interface ProductsTable {
  sku: string;
  name: string;
  price: Int;
  tax_class_id: string;
  category: string;
  barcodes: string;
  active: 0 | 1;
  drop_name: string | null;
  image: string | null;
  version: Int;
  updated_at: string;
}

export interface StaffTable {
  id: string;
  store_id: string;
  name: string;
  role: string;
  pin_hash: string;
  active: 0 | 1;
  version: Int;
}

export interface DevicesTable {
  id: string;
  store_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  status: 'active' | 'revoked';
  /** Highest sequence up to which every fact of this device is stored. */
  watermark: Int;
  created_at: string;
  last_seen_at: string | null;
  last_push_at: string | null;
  /** Device time of the newest sale received from it. */
  last_sale_at: string | null;
  /** 'till', or 'hub' for a stall hub enrolled at the central ledger (migration 0011). */
  kind: ColumnType<'till' | 'hub', 'till' | 'hub' | undefined, 'till' | 'hub'>;
  /** At the central ledger: the hub that enrolled this till and may push its facts. */
  hub_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** At a stall hub: its one link to the central ledger (id 1). */
export interface HubLinkTable {
  id: number;
  upstream_url: string;
  /** The hub's own device id at the central ledger. */
  device_id: string;
  store_id: string;
  /** The hub's device token at the central ledger. */
  token: string;
  cursor: string | null;
  linked_at: string;
  last_push_at: string | null;
  last_pull_at: string | null;
}

/** At a stall hub: per till, the highest sequence number whose fact the central ledger has judged. */
export interface UpstreamProgressTable {
  device_id: string;
  forwarded_seq: Int;
  forwarded_at: string;
}

/** At a stall hub: the central ledger's verdict on each forwarded fact. */
export interface UpstreamVerdictsTable {
  device_id: string;
  seq: Int;
  event_id: string;
  status: 'accepted' | 'duplicate' | 'conflict' | 'rejected';
  reason: string | null;
  at: string;
}

export interface PairingCodesTable {
  code_hash: string;
  store_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  device_id: string | null;
}

export interface ManagerSessionsTable {
  token_hash: string;
  staff_id: string;
  store_id: string;
  expires_at: string;
  /** The till the session was opened on (PIN + its device token); null for a password sign-in. */
  device_id: ColumnType<string | null, string | null | undefined, never>;
}

/** A store's secrets kept at the ledger; the member key is pulled to the store's tills. */
export interface StoreSecretsTable {
  store_id: string;
  /** 32 random bytes, hex: the key of members' contact hashes. */
  member_key: string;
  created_at: string;
}

/** A manager's ledger password (scrypt), set by the admin; never sent to tills. */
export interface ManagerPasswordsTable {
  staff_id: string;
  store_id: string;
  password_hash: string;
  updated_at: string;
}

export interface EventsTable {
  id: string;
  device_id: string;
  store_id: string;
  seq: Int;
  type: string;
  device_time: string;
  received_at: string;
  status: 'accepted' | 'rejected';
  reason: string | null;
  payload: string;
  /** sha256 of the canonical fact (type, seq, createdAt, payload); null for facts stored before 0005 (computed on demand). */
  content_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * Facts the ledger keeps but does not apply, so nothing a till sends is lost: another
 * version of an id it already holds (conflict), a new id under a sequence number already
 * used (seq-reused) and envelopes too broken to enter the event log (malformed).
 */
export interface HeldFactsTable {
  id: string;
  event_id: string;
  device_id: string;
  store_id: string;
  seq: Int | null;
  type: string;
  device_time: string | null;
  received_at: string;
  content_hash: string;
  payload: string;
  kind: 'conflict' | 'seq-reused' | 'malformed';
  reason: string;
}

export interface SalesTable {
  id: string;
  store_id: string;
  device_id: string;
  shift_id: string;
  receipt_number: string;
  staff_id: string;
  device_time: string;
  received_at: string;
  business_date: string;
  subtotal: Int;
  discount_total: Int;
  tax: Int;
  total: Int;
  rounding: Int;
  change_given: Int;
  cash: Int;
  card: Int;
  item_count: Int;
  member_id: string | null;
  /** walk-in, member-early or promo. */
  channel: string | null;
  campaign_id: string | null;
  promo_code: string | null;
  /** Paid from credit notes and by exchange credit (0007): neither is cash nor card. */
  store_credit: ColumnType<number, number | undefined, number>;
  exchange: ColumnType<number, number | undefined, number>;
  /** The ledger version of the push that stored it (0 before 0007), for other tills' pulls. */
  version: ColumnType<number, number | undefined, number>;
}

export interface SaleLinesTable {
  sale_id: string;
  line_no: Int;
  store_id: string;
  sku: string;
  qty: Int;
  unit_price: Int;
  gross: Int;
  discount: Int;
  net: Int;
  tax: Int;
  total: Int;
  tax_class_id: string;
  rate_ppm: Int;
  drop_id: string | null;
  price_step: Int | null;
  access_tier: string | null;
}

export interface VoidsTable {
  id: string;
  store_id: string;
  device_id: string;
  shift_id: string;
  staff_id: string;
  device_time: string;
  business_date: string;
  value: Int;
  item_count: Int;
}

export interface ShiftsTable {
  id: string;
  store_id: string;
  device_id: string;
  opened_at: string;
  opened_by: string;
  float: Int;
  closed_at: string | null;
  closed_by: string | null;
  counted_total: Int | null;
  z_report: string | null;
}

export type MovementKind =
  | 'receive'
  | 'sale'
  | 'void'
  | 'return'
  | 'adjustment'
  | 'transfer'
  | 'allotment';

export interface StockMovementsTable {
  id: Generated<number>;
  store_id: string;
  sku: string;
  delta: Int;
  kind: MovementKind;
  /** The event or request that caused it. */
  ref: string | null;
  note: string | null;
  created_at: string;
  version: Int;
}

/** Every movement a stock level is the sum of: stored movements, and one 'sale' movement per sale line (a view, read only). */
export type StockJournalView = Omit<StockMovementsTable, 'id'>;

export interface StockLevelsTable {
  store_id: string;
  sku: string;
  /** Sum of the SKU's movements in the store, kept in the same transaction as each movement. */
  qty: Int;
  version: Int;
}

export interface ExceptionsTable {
  id: string;
  store_id: string;
  kind: string;
  device_id: string | null;
  event_id: string | null;
  message: string;
  details: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface MembersTable {
  id: string;
  store_id: string;
  name: string;
  /** JSON array of tier names. */
  tiers: string;
  phone_hash: string | null;
  email_hash: string | null;
  active: 0 | 1;
  version: Int;
  created_at: string;
}

export interface DropsTable {
  id: string;
  store_id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  /** JSON AccessTier[]. */
  access: string;
  per_customer_limit: Int | null;
  restock_at: string | null;
  allotment_mode: 'auto' | 'manual' | 'off';
  status: 'scheduled' | 'cancelled';
  version: Int;
  created_at: string;
}

export interface DropItemsTable {
  drop_id: string;
  sku: string;
  quantity: Int;
  /** JSON LadderStep[]. */
  ladder: string;
}

export interface AllotmentsTable {
  drop_id: string;
  sku: string;
  device_id: string;
  qty: Int;
  version: Int;
}

export interface AllotmentMovementsTable {
  id: Generated<number>;
  drop_id: string;
  sku: string;
  device_id: string;
  delta: Int;
  /** allot, request, return, rebalance… */
  reason: string;
  actor: string | null;
  created_at: string;
}

export interface CampaignsTable {
  id: string;
  store_id: string;
  name: string;
  prefix: string;
  /** JSON Offer. */
  offer: string;
  /** JSON Scope. */
  scope: string;
  starts_at: string;
  ends_at: string;
  /** JSON Audience. */
  audience: string;
  max_uses_per_code: Int | null;
  max_uses_per_customer: Int | null;
  budget: Int | null;
  channel: string;
  promoter: string | null;
  promoter_cost: Int;
  tills_may_issue: 0 | 1;
  /** 1: only the signed QR form of its codes is taken (migration 0009). */
  signed_only: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
  status: 'active' | 'paused';
  version: Int;
  created_at: string;
}

export interface PromoKeysTable {
  id: string;
  store_id: string;
  kind: 'hmac' | 'ed25519';
  secret: string | null;
  device_id: string | null;
  public_key: string | null;
  retired: 0 | 1;
  /** 1: withdrawn, nothing made with it verifies (migration 0009). */
  revoked: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
  version: Int;
  created_at: string;
}

export interface PromoCodesTable {
  code: string;
  store_id: string;
  campaign_id: string;
  device_id: string | null;
  sale_id: string | null;
  member_id: string | null;
  issued_at: string;
}

export interface RedemptionsTable {
  event_id: string;
  store_id: string;
  code: string;
  campaign_id: string;
  sale_id: string;
  device_id: string;
  member_id: string | null;
  discount: Int;
  device_time: string;
  received_at: string;
}

export interface ComplaintsTable {
  event_id: string;
  store_id: string;
  sale_id: string;
  device_id: string;
  category: string;
  note: string;
  staff_id: string;
  device_time: string;
  received_at: string;
}

/** A `sale.returned` fact: goods of one sale came back at a till and money (or credit) went back. */
export interface ReturnsTable {
  id: string;
  store_id: string;
  device_id: string;
  sale_id: string;
  /** 1 once the sale is in this store's ledger; 0 while it is still on an offline till (a `return-sale-unknown` exception is open). */
  sale_known: 0 | 1;
  return_number: string;
  sale_receipt_number: string;
  shift_id: string;
  staff_id: string;
  device_time: string;
  received_at: string;
  /** The store's calendar day of device_time, like sales. */
  business_date: string;
  refund_total: Int;
  /** Money handed back, by tender. */
  cash: Int;
  card: Int;
  store_credit: Int;
  /** JSON RefundTender[] as sent (card references, credit-note codes). */
  tenders: string;
  item_count: Int;
  exchange_sale_id: string | null;
  override_by: string | null;
  override_reason: string | null;
}

export interface ReturnLinesTable {
  return_id: string;
  store_id: string;
  sale_id: string;
  line_no: Int;
  sku: string;
  qty: Int;
  reason: string;
  condition: 'resaleable' | 'damaged';
  refund: Int;
  method: string;
  /** From the sale's line when the ledger has it, for the drop KPIs and allotments. */
  drop_id: string | null;
  access_tier: string | null;
  device_time: string;
}

/** A credit note issued by a return's `store-credit` refund (the first return to issue a code owns it). */
export interface CreditNotesTable {
  store_id: string;
  code: string;
  currency: string;
  amount: Int;
  return_id: string;
  device_id: string;
  /** Device time of the return. */
  issued_at: string;
  received_at: string;
  /** The last time the ledger stored an issue or a spend of it. */
  last_activity_at: string;
}

/** A `store-credit` tender of a sale: money taken from a credit note (known or not yet). */
export interface CreditSpendsTable {
  sale_id: string;
  /** 0-based position of the tender in the sale. */
  tender_no: number;
  store_id: string;
  code: string;
  /** The sale's currency. */
  currency: string;
  amount: Int;
  device_id: string;
  device_time: string;
  received_at: string;
}

/** An `exchange` tender of a sale: the value of a return moved onto it. */
export interface ExchangeTendersTable {
  sale_id: string;
  tender_no: number;
  store_id: string;
  return_id: string;
  amount: Int;
  device_id: string;
}

export interface LedgerDb {
  ledger_state: LedgerStateTable;
  stores: StoresTable;
  tax_classes: TaxClassesTable;
  products: ProductsTable;
  staff: StaffTable;
  devices: DevicesTable;
  pairing_codes: PairingCodesTable;
  manager_sessions: ManagerSessionsTable;
  manager_passwords: ManagerPasswordsTable;
  store_secrets: StoreSecretsTable;
  events: EventsTable;
  held_facts: HeldFactsTable;
  sales: SalesTable;
  sale_lines: SaleLinesTable;
  voids: VoidsTable;
  shifts: ShiftsTable;
  stock_movements: StockMovementsTable;
  stock_levels: StockLevelsTable;
  stock_journal: StockJournalView;
  exceptions: ExceptionsTable;
  members: MembersTable;
  drops: DropsTable;
  drop_items: DropItemsTable;
  allotments: AllotmentsTable;
  allotment_movements: AllotmentMovementsTable;
  campaigns: CampaignsTable;
  promo_keys: PromoKeysTable;
  promo_codes: PromoCodesTable;
  redemptions: RedemptionsTable;
  complaints: ComplaintsTable;
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  credit_notes: CreditNotesTable;
  credit_spends: CreditSpendsTable;
  exchange_tenders: ExchangeTendersTable;
  hub_link: HubLinkTable;
  upstream_progress: UpstreamProgressTable;
  upstream_verdicts: UpstreamVerdictsTable;
}
