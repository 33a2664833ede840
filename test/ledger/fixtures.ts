// Test fixtures for the ledger: a running ledger over real HTTP (SQLite file or PostgreSQL schema) and sale facts built like a till builds them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { monotonicFactory, ulid } from 'ulid';
import { buildLedger, type LedgerOptions } from '../../server/app';
import { dropPgSchema, type LedgerDatabase, openDatabase } from '../../server/db/database';
import { DEMO_CATALOG, loadDemo } from '../../server/demo';
import { type CartLine, type Discount, priceCart } from '../../shared/cart';
import { catalogSchema } from '../../shared/catalog';
import type { EventEnvelope } from '../../shared/events';
import type { Campaign } from '../../shared/promo';
import { type Sale, saleSchema, voidSchema } from '../../shared/sale';
import type { PushResponse } from '../../shared/sync';
import { settle, type Tender } from '../../shared/tender';

export const ADMIN_TOKEN = 'pt_adm_test-admin-token';

/** A members-only 15% campaign a member claims from their personal link (one code each). */
export const membersCampaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'members-15',
  name: 'Members 15% off',
  prefix: 'MEMB',
  offer: { kind: 'percent', bp: 1500 },
  scope: { kind: 'all' },
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2030-01-01T00:00:00.000Z',
  audience: { kind: 'members' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: 1,
  budget: null,
  channel: 'member',
  promoter: null,
  promoterCost: 0,
  tillsMayIssue: false,
  status: 'active',
  ...over,
});
export const engines: ('sqlite' | 'postgres')[] = process.env.DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface TestLedger {
  url: string;
  app: FastifyInstance;
  database: LedgerDatabase;
  storeId: string;
  /** JSON request with an optional bearer token; returns status and parsed body. */
  call: (
    method: string,
    url: string,
    token?: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests read many response shapes; each asserts the fields it checks
  ) => Promise<{ status: number; body: any }>;
  close: () => Promise<void>;
}

export async function startLedger(
  engine: 'sqlite' | 'postgres',
  opts: {
    rateLimitPerMinute?: number;
    now?: () => Date;
    dataDir?: string;
    /** Other ledger options (rate limits for strangers, proxy trust, the metrics token). */
    ledger?: Omit<LedgerOptions, 'database' | 'adminToken'>;
  } = {},
): Promise<TestLedger> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'poptill-ledger-'));
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const database = await openDatabase(
    engine === 'postgres'
      ? { databaseUrl: process.env.DATABASE_URL, dataDir, pgSchema: schema }
      : { dataDir },
  );
  const { storeId } = await loadDemo(database.db);
  const app = await buildLedger({
    ...opts.ledger,
    database,
    adminToken: ADMIN_TOKEN,
    rateLimitPerMinute: opts.rateLimitPerMinute,
    now: opts.now,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const call = async (method: string, route: string, token?: string, body?: unknown) => {
    const res = await fetch(url + route, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    url,
    app,
    database,
    storeId,
    call,
    close: async () => {
      await app.close();
      await database.close();
      if (engine === 'postgres') await dropPgSchema(process.env.DATABASE_URL!, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Enrol a till through the API with a fresh pairing code. */
export async function enrolTill(ledger: TestLedger, name = 'Till') {
  const code = await ledger.call(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  const res = await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
    pairingCode: code.body.code,
    name,
  });
  if (res.status !== 200) throw new Error(`enrol failed: ${JSON.stringify(res.body)}`);
  return res.body as { deviceId: string; storeId: string; prefix: string; token: string };
}

// Read, not imported: Playwright's loader (the e2e tests use these fixtures too) needs JSON import attributes.
export const demo = catalogSchema.parse(JSON.parse(readFileSync(DEMO_CATALOG, 'utf8')));
const taxRatesPpm = Object.fromEntries(demo.taxClasses.map((t) => [t.id, t.ratePpm]));
export const products = demo.products.filter((p) => p.active);

/** A small deterministic PRNG so generated sales are the same on every run. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A till's sales as events, priced with the shared cart rules: `count` sales of 1–3 lines,
 * numbered seq 1… and receipts prefix-000001…, half cash, half card.
 */
export function makeSales(
  deviceId: string,
  prefix: string,
  count: number,
  opts: { seed?: number; startSeq?: number; at?: Date; linesPerSale?: number } = {},
): EventEnvelope[] {
  const random = rng(opts.seed ?? 1);
  const ids = monotonicFactory(() => random());
  const start = opts.at ?? new Date('2026-11-25T10:00:00Z');
  const events: EventEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(start.getTime() + i * 1000);
    const lineCount = opts.linesPerSale ?? 1 + Math.floor(random() * 3);
    const lines = Array.from({ length: lineCount }, (_, j) => {
      const p = products[Math.floor(random() * products.length)]!;
      return {
        lineId: `L${j}`,
        sku: p.sku,
        name: p.name,
        unitPrice: p.price,
        qty: 1 + Math.floor(random() * 2),
        taxClassId: p.taxClassId,
      };
    });
    const seq = (opts.startSeq ?? 1) + i;
    events.push(
      saleEvent(ids(at.getTime()), deviceId, prefix, seq, lines, {
        at,
        tender: i % 2 === 0 ? 'cash' : 'card',
      }),
    );
  }
  return events;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Opening stock per SKU as the demo store loads it. */
export const openingStock: Readonly<Record<string, number>> = demo.stock ?? {};

/** Settings for another store, like the demo one but with its own id and name. */
export function storeSettings(storeId: string, name = `Store ${storeId}`) {
  return { ...demo.store, storeId, name };
}

export interface SaleLineSpec {
  sku: string;
  qty: number;
  /** Defaults to the demo catalog's price (1000 for a SKU it does not have). */
  unitPrice?: number;
  /** Defaults to the demo catalog's tax class ('standard' for a SKU it does not have). */
  taxClassId?: string;
  discount?: Discount;
}

/**
 * One `sale.completed` event of chosen lines, priced and settled like a till does it.
 * Tender: cash (rounded up to a €5 note, with change), card, or split (half card, rest in cash).
 */
export function makeSale(
  deviceId: string,
  prefix: string,
  seq: number,
  specs: readonly SaleLineSpec[],
  opts: {
    at?: Date;
    tender?: 'cash' | 'card' | 'split';
    orderDiscount?: Discount;
    staffId?: string;
  } = {},
): EventEnvelope {
  const at = opts.at ?? new Date('2026-11-25T10:00:00Z');
  const lines = specs.map((l, j) => {
    const p = demo.products.find((x) => x.sku === l.sku);
    return {
      lineId: `L${j}`,
      sku: l.sku,
      name: p?.name ?? l.sku,
      unitPrice: l.unitPrice ?? p?.price ?? 1000,
      qty: l.qty,
      taxClassId: l.taxClassId ?? p?.taxClassId ?? 'standard',
      ...(l.discount ? { discount: l.discount } : {}),
    };
  });
  return saleEvent(ulid(at.getTime()), deviceId, prefix, seq, lines, { ...opts, at });
}

type SaleEventOptions = {
  at: Date;
  tender?: 'cash' | 'card' | 'split';
  orderDiscount?: Discount;
  staffId?: string;
};

/** Price, settle and wrap cart lines as a till does: cash rounded up to a €5 note (with change), card, or half and half. */
function saleEvent(
  id: string,
  deviceId: string,
  prefix: string,
  seq: number,
  lines: CartLine[],
  opts: SaleEventOptions,
): EventEnvelope {
  const at = opts.at;
  const cart = priceCart(lines, opts.orderDiscount, { pricesIncludeTax: true, taxRatesPpm });
  const tender = opts.tender ?? 'cash';
  const card = tender === 'card' ? cart.total : tender === 'split' ? Math.floor(cart.total / 2) : 0;
  const cashDue = cart.total - card;
  const tenders: Tender[] = [
    ...(card > 0 ? [{ kind: 'card' as const, amount: card, reference: `AUTH${seq}` }] : []),
    ...(cashDue > 0
      ? [{ kind: 'cash' as const, amount: Math.ceil(cashDue / 500) * 500 + 500 }]
      : []),
  ];
  const s = settle(cart.total, tenders, 5);
  if (!s.ok) throw new Error(s.message);
  const sale = saleSchema.parse({
    id,
    receiptNumber: `${prefix}-${String(seq).padStart(6, '0')}`,
    deviceId,
    seq,
    shiftId: `shift-${deviceId}`,
    staffId: opts.staffId ?? 'staff-aoife',
    staffName: 'Aoife',
    createdAt: at.toISOString(),
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: cart.lines,
    ...(opts.orderDiscount ? { orderDiscount: opts.orderDiscount } : {}),
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: s.value.rounding,
    tenders,
    change: s.value.change,
  });
  return { id, seq, type: 'sale.completed', createdAt: sale.createdAt, payload: sale };
}

/** A `sale.voided` event: a cart abandoned with `itemCount` items worth `value`. */
export function makeVoid(
  deviceId: string,
  seq: number,
  opts: { at?: Date; itemCount?: number; value?: number } = {},
): EventEnvelope {
  const at = opts.at ?? new Date('2026-11-25T10:00:00Z');
  const id = ulid(at.getTime());
  const payload = voidSchema.parse({
    id,
    deviceId,
    seq,
    shiftId: `shift-${deviceId}`,
    staffId: 'staff-aoife',
    createdAt: at.toISOString(),
    itemCount: opts.itemCount ?? 2,
    value: opts.value ?? 4990,
  });
  return { id, seq, type: 'sale.voided', createdAt: payload.createdAt, payload };
}

/** Units of each SKU the given events sold (sale.completed only). */
export function unitsSold(events: readonly EventEnvelope[]): Map<string, number> {
  const sold = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'sale.completed') continue;
    for (const l of (e.payload as Sale).lines) sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.qty);
  }
  return sold;
}

/** Push a batch as a till does; throws unless the ledger answered 200. */
export async function push(
  ledger: TestLedger,
  token: string,
  events: readonly EventEnvelope[],
): Promise<PushResponse> {
  const res = await ledger.call('POST', '/api/v1/sync/push', token, { events });
  if (res.status !== 200) throw new Error(`push failed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as PushResponse;
}

/** A store's stock levels as a manager reads them. */
export async function stockLevels(
  ledger: TestLedger,
  storeId = ledger.storeId,
): Promise<Map<string, number>> {
  const res = await ledger.call('GET', `/api/v1/stores/${storeId}/stock`, ADMIN_TOKEN);
  if (res.status !== 200)
    throw new Error(`stock failed ${res.status}: ${JSON.stringify(res.body)}`);
  return new Map(res.body.levels.map((l: { sku: string; qty: number }) => [l.sku, l.qty]));
}

/** Make `staffId` a manager of the store with this PIN (admin token) and log them in; returns their token. */
/** The ledger password `loginManager` gives a manager. */
export const managerPassword = (staffId: string) => `ledger-password-of-${staffId}`;

/** Create (or update) a manager with a PIN and a ledger password, and sign in with both. */
export async function loginManager(
  ledger: TestLedger,
  storeId: string,
  staffId: string,
  pin: string,
): Promise<string> {
  const staff = await ledger.call(
    'PUT',
    `/api/v1/stores/${storeId}/staff/${staffId}`,
    ADMIN_TOKEN,
    {
      name: `Manager ${staffId}`,
      role: 'manager',
      pin,
    },
  );
  if (staff.status !== 200) throw new Error(`staff failed: ${JSON.stringify(staff.body)}`);
  const password = managerPassword(staffId);
  const set = await ledger.call(
    'PUT',
    `/api/v1/stores/${storeId}/staff/${staffId}/password`,
    ADMIN_TOKEN,
    { password },
  );
  if (set.status !== 200) throw new Error(`password failed: ${JSON.stringify(set.body)}`);
  const login = await ledger.call('POST', '/api/v1/auth/manager', undefined, {
    storeId,
    pin,
    password,
  });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return login.body.token as string;
}
