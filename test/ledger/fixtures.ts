// Test fixtures for the ledger: a running ledger over real HTTP (SQLite file or PostgreSQL schema) and sale facts built like a till builds them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { monotonicFactory } from 'ulid';
import demo from '../../assets/demo-catalog.json';
import { buildLedger } from '../../server/app';
import { dropPgSchema, type LedgerDatabase, openDatabase } from '../../server/db/database';
import { loadDemo } from '../../server/demo';
import { priceCart } from '../../shared/cart';
import type { EventEnvelope } from '../../shared/events';
import { saleSchema } from '../../shared/sale';
import { settle } from '../../shared/tender';

export const ADMIN_TOKEN = 'pt_adm_test-admin-token';
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
  ) => Promise<{ status: number; body: any }>;
  close: () => Promise<void>;
}

export async function startLedger(
  engine: 'sqlite' | 'postgres',
  opts: { rateLimitPerMinute?: number } = {},
): Promise<TestLedger> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-ledger-'));
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const database = await openDatabase(
    engine === 'postgres'
      ? { databaseUrl: process.env.DATABASE_URL, dataDir, pgSchema: schema }
      : { dataDir },
  );
  const { storeId } = await loadDemo(database.db);
  const app = await buildLedger({
    database,
    adminToken: ADMIN_TOKEN,
    rateLimitPerMinute: opts.rateLimitPerMinute,
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
    const cart = priceCart(lines, undefined, { pricesIncludeTax: true, taxRatesPpm });
    const tenders =
      i % 2 === 0
        ? [{ kind: 'cash' as const, amount: Math.ceil(cart.total / 500) * 500 + 500 }]
        : [{ kind: 'card' as const, amount: cart.total, reference: `AUTH${i}` }];
    const s = settle(cart.total, tenders, 5);
    if (!s.ok) throw new Error(s.message);
    const id = ids(at.getTime());
    const seq = (opts.startSeq ?? 1) + i;
    const sale = saleSchema.parse({
      id,
      receiptNumber: `${prefix}-${String(seq).padStart(6, '0')}`,
      deviceId,
      seq,
      shiftId: `shift-${deviceId}`,
      staffId: 'staff-aoife',
      staffName: 'Aoife',
      createdAt: at.toISOString(),
      currency: 'EUR',
      pricesIncludeTax: true,
      lines: cart.lines,
      subtotal: cart.subtotal,
      discountTotal: cart.discountTotal,
      tax: cart.tax,
      taxBands: cart.taxBands,
      total: cart.total,
      rounding: s.value.rounding,
      tenders,
      change: s.value.change,
    });
    events.push({ id, seq, type: 'sale.completed', createdAt: sale.createdAt, payload: sale });
  }
  return events;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
