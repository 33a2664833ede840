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

export interface LedgerDb {
  ledger_state: LedgerStateTable;
  stores: StoresTable;
  tax_classes: TaxClassesTable;
  products: ProductsTable;
  staff: StaffTable;
  devices: DevicesTable;
  pairing_codes: PairingCodesTable;
  manager_sessions: ManagerSessionsTable;
  events: EventsTable;
  sales: SalesTable;
  sale_lines: SaleLinesTable;
  voids: VoidsTable;
  shifts: ShiftsTable;
  stock_movements: StockMovementsTable;
  stock_levels: StockLevelsTable;
  exceptions: ExceptionsTable;
}
