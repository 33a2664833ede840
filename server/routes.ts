// The ledger's HTTP API under /api/v1: each route's schemas, who may call it, and which ledger function it runs.
import { z } from 'zod';
import {
  productSchema,
  staffRoleSchema,
  storeSettingsSchema,
  taxClassSchema,
} from '../shared/catalog';
import {
  managerPasswordSchema,
  managerSessionSchema,
  managerSignInSchema,
} from '../shared/manager-auth';
import { pinSchema } from '../shared/pin';
import { dayReportSchema } from '../shared/reports';
import { saleSchema } from '../shared/sale';
import {
  enrollRequestSchema,
  enrollResponseSchema,
  LEDGER_MAX_PUSH_BYTES,
  LEDGER_PUSH_LIMITS,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '../shared/sync';
import { syncFileSchema } from '../shared/sync-file';
import type { LedgerDatabase } from './db/database';
import { HttpError, type Principal, type Route, route } from './http/api';
import { assertStoreAccess } from './http/auth';
import {
  moveStock,
  upsertProducts,
  upsertStaff,
  upsertStore,
  upsertTaxClasses,
} from './ledger/admin';
import {
  createPairingCode,
  deviceStore,
  enrollDevice,
  listDevices,
  revokeDevice,
  usablePairingCode,
} from './ledger/devices';
import { importSyncFile } from './ledger/import';
import { createManagerLockout } from './ledger/manager-lockout';
import { setManagerPassword } from './ledger/manager-passwords';
import { managerLogin } from './ledger/managers';
import { pull } from './ledger/pull';
import { gzipWhenAccepted } from './ledger/pull-response';
import { applyPush } from './ledger/push';
import { dayReport } from './ledger/reports';
import { storedSale } from './ledger/sales';
import type { Metrics } from './metrics';
import type { StallHub } from './upstream/hub';

const ok = z.object({ ok: z.literal(true) });
const storeParams = z.object({ storeId: z.string().min(1) });
const stockLines = z
  .array(z.object({ sku: z.string().min(1), qty: z.number().int() }))
  .min(1)
  .max(10_000);
const device = (p: Principal | null) => {
  if (p?.kind !== 'device') throw new HttpError(403, 'forbidden', 'This needs a device token.');
  return { id: p.deviceId, storeId: p.storeId };
};

export interface RouteDeps {
  database: LedgerDatabase;
  metrics: Metrics;
  version: string;
  hashPin: (pin: string) => Promise<string>;
  now: () => Date;
  /** At a stall hub: registers a till pairing here with the central ledger (its id and prefix). */
  hub?: Pick<StallHub, 'registerTill' | 'requestForTill' | 'returnToCentral'>;
}

export function ledgerRoutes({
  database,
  metrics,
  version,
  hashPin,
  now,
  hub,
}: RouteDeps): Route[] {
  const { db, engine } = database;
  const managerLockout = createManagerLockout();
  return [
    route({
      method: 'GET',
      url: '/api/v1/health',
      summary: 'Liveness and which database the ledger runs on',
      access: 'public',
      response: z.object({
        ok: z.boolean(),
        db: z.enum(['sqlite', 'postgres']),
        version: z.string(),
      }),
      handler: async () => {
        await db.selectFrom('ledger_state').select('version').executeTakeFirst();
        return { ok: true, db: engine, version };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/manager',
      summary:
        "Manager sign-in: PIN with the till's device token (session bound to the till), or PIN and ledger password; a bearer token valid for 12 hours",
      access: 'public',
      guessable: true,
      body: managerSignInSchema,
      response: managerSessionSchema,
      handler: async ({ body, request, principal }) =>
        managerLogin(db, managerLockout, { ...body, client: request.ip, principal }, now()),
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId',
      summary: 'Create or update a store (admin)',
      access: 'admin',
      params: storeParams,
      body: storeSettingsSchema,
      response: ok,
      handler: async ({ params, body }) => {
        if (body.storeId !== params.storeId)
          throw new HttpError(400, 'bad-request', 'storeId in the body must match the path');
        await upsertStore(db, body, now());
        return { ok: true as const };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/tax-classes',
      summary: 'Create or update tax classes (admin)',
      access: 'admin',
      body: z.object({ taxClasses: z.array(taxClassSchema).min(1).max(100) }),
      response: ok,
      handler: async ({ body }) => {
        await upsertTaxClasses(db, body.taxClasses);
        return { ok: true as const };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/products',
      summary: 'Bulk upsert of products (admin), up to 100,000 in one call',
      access: 'admin',
      bodyLimit: 64 * 1024 * 1024,
      body: z.object({ products: z.array(productSchema).min(1).max(100_000) }),
      response: z.object({ upserted: z.number().int() }),
      handler: async ({ body }) => {
        const result = await upsertProducts(db, body.products, now());
        if (result.unknownTaxClasses.length > 0) {
          throw new HttpError(
            400,
            'bad-request',
            `Unknown tax class: ${result.unknownTaxClasses.join(', ')}`,
            {
              unknownTaxClasses: result.unknownTaxClasses,
            },
          );
        }
        return { upserted: result.upserted };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/staff/:staffId',
      summary: 'Create or update a staff member; the PIN is hashed by the ledger',
      access: 'manager',
      params: storeParams.extend({ staffId: z.string().min(1) }),
      body: z.object({
        name: z.string().min(1).max(60),
        role: staffRoleSchema,
        pin: pinSchema,
        active: z.boolean().default(true),
      }),
      response: ok,
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        await upsertStaff(db, params.storeId, {
          id: params.staffId,
          ...body,
          pinHash: await hashPin(body.pin),
        });
        return { ok: true as const };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/staff/:staffId/password',
      summary:
        "Set a manager's ledger password (admin); hashed with scrypt at the ledger and never sent to tills",
      access: 'admin',
      params: storeParams.extend({ staffId: z.string().min(1) }),
      body: z.object({ password: managerPasswordSchema }),
      response: ok,
      handler: async ({ params, body }) => {
        await setManagerPassword(db, params.storeId, params.staffId, body.password, now());
        return { ok: true as const };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/stores/:storeId/stock/receive',
      summary: 'Record goods received (positive quantities)',
      access: 'manager',
      params: storeParams,
      body: z.object({
        lines: stockLines,
        note: z.string().max(200).optional(),
        ref: z.string().max(80).optional(),
      }),
      response: z.object({ levels: z.array(z.object({ sku: z.string(), qty: z.number().int() })) }),
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        if (body.lines.some((l) => l.qty <= 0))
          throw new HttpError(400, 'bad-request', 'Received quantities must be positive.');
        return {
          levels: await moveStock(
            db,
            params.storeId,
            'receive',
            body.lines,
            body.note,
            body.ref ?? 'receive',
            now(),
          ),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/stores/:storeId/stock/adjust',
      summary: 'Correct stock by a signed quantity (a new adjustment movement)',
      access: 'manager',
      params: storeParams,
      body: z.object({ lines: stockLines, note: z.string().min(1).max(200) }),
      response: z.object({ levels: z.array(z.object({ sku: z.string(), qty: z.number().int() })) }),
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return {
          levels: await moveStock(
            db,
            params.storeId,
            'adjustment',
            body.lines,
            body.note,
            'adjust',
            now(),
          ),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/stock',
      summary: 'Stock levels of a store (optionally one SKU)',
      access: 'manager',
      params: storeParams,
      query: z.object({ sku: z.string().optional() }),
      response: z.object({ levels: z.array(z.object({ sku: z.string(), qty: z.number().int() })) }),
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        let q = db
          .selectFrom('stock_levels')
          .select(['sku', 'qty'])
          .where('store_id', '=', params.storeId);
        if (query.sku) q = q.where('sku', '=', query.sku);
        const rows = await q.orderBy('sku').execute();
        return { levels: rows.map((r) => ({ sku: r.sku, qty: Number(r.qty) })) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/stores/:storeId/pairing-codes',
      summary: 'A one-time pairing code for a new till, valid 15 minutes',
      access: 'manager',
      params: storeParams,
      response: z.object({ code: z.string(), expiresAt: z.string() }),
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return createPairingCode(db, params.storeId, now());
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/devices',
      summary: "The store's tills and when each last synced",
      access: 'manager',
      params: storeParams,
      response: z.object({ devices: z.array(z.record(z.string(), z.unknown())) }),
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return { devices: await listDevices(db, params.storeId) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/devices/:deviceId/revoke',
      summary: 'Revoke a till: its token stops working at once',
      access: 'manager',
      params: z.object({ deviceId: z.string().min(1) }),
      response: ok,
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, await deviceStore(db, params.deviceId));
        await revokeDevice(db, params.deviceId);
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/reports/day',
      summary: 'End-of-day totals for a store, per till and combined',
      access: 'manager',
      query: z.object({ storeId: z.string().min(1), date: z.iso.date() }),
      response: dayReportSchema,
      handler: async ({ query, principal }) => {
        assertStoreAccess(principal, query.storeId);
        return dayReport(db, query.storeId, query.date);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/sales/:saleId',
      summary: 'One sale exactly as the till recorded it, with its store settings (for reprints)',
      access: 'manager',
      params: z.object({ saleId: z.string().min(1).max(40) }),
      response: z.object({ sale: saleSchema, store: storeSettingsSchema }),
      handler: async ({ params, principal }) => {
        const { storeId, sale, store } = await storedSale(db, params.saleId);
        assertStoreAccess(principal, storeId);
        return { sale, store };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/devices/enroll',
      summary: 'Enrol a till with a one-time pairing code; returns its device token',
      access: 'public',
      guessable: true,
      body: enrollRequestSchema,
      response: enrollResponseSchema,
      handler: async ({ body }) => {
        if (!hub || body.deviceId)
          return enrollDevice(db, body.pairingCode, body.name, now(), engine, {
            ...(body.deviceId ? { deviceId: body.deviceId } : {}),
          });
        // A stall hub: the code is checked before central is asked, so a wrong code costs central nothing.
        await usablePairingCode(db, body.pairingCode, now(), engine);
        const assigned = await hub.registerTill(body.name);
        return enrollDevice(db, body.pairingCode, body.name, now(), engine, { assigned });
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/sync/push',
      summary:
        'Push a batch of facts (≤ 2,000 events, ≤ 4 MiB, gzip allowed, each ≤ 256 KiB); a verdict per fact (docs/sync-rules.md)',
      access: 'device',
      bodyLimit: LEDGER_MAX_PUSH_BYTES,
      body: pushRequestSchema,
      response: pushResponseSchema,
      handler: async ({ body, principal }) => {
        const outcome = await applyPush(db, engine, device(principal), body.events, now());
        metrics.pushBatches.inc();
        for (const [status, count] of Object.entries(outcome.counts))
          metrics.events.inc({ status }, count);
        // Said on every answer, so a till sends more than an older ledger takes only to one that says so.
        return {
          results: outcome.results,
          watermark: outcome.watermark,
          pushLimits: LEDGER_PUSH_LIMITS,
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/sync/import',
      summary:
        "Apply a till's exported events file (sneakernet), with the same idempotency as a push",
      access: 'manager',
      bodyLimit: 256 * 1024 * 1024,
      body: syncFileSchema,
      response: z.object({
        deviceId: z.string(),
        accepted: z.number(),
        duplicate: z.number(),
        conflict: z.number(),
        rejected: z.number(),
        watermark: z.number(),
      }),
      handler: async ({ body, principal }) => {
        assertStoreAccess(principal, body.storeId);
        return importSyncFile(db, engine, body, now);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/sync/pull',
      summary: "Changes since a cursor (or a full snapshot) of the device's store",
      access: 'device',
      query: z.object({ cursor: z.string().max(100).optional() }),
      response: pullResponseSchema,
      handler: async ({ query, principal, request, reply }) =>
        gzipWhenAccepted(request, reply, await pull(db, device(principal), query.cursor, now())),
    }),
  ];
}
