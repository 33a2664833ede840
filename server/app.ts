// Assembles the ledger HTTP service: routes, auth, rate limits, metrics, OpenAPI and the one error shape.
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { hashPin } from '../shared/pin';
import type { LedgerDatabase } from './db/database';
import {
  clientErrorHandler,
  frameworkErrors,
  HttpError,
  installErrorHandling,
  openApiDocument,
  registerRoutes,
} from './http/api';
import { hashToken, makeIdentifier } from './http/auth';
import { defaultRateLimits, installGate, type RateLimits } from './http/gate';
import { inflateGzipBodies } from './http/gzip-bodies';
import { createMetrics } from './metrics';
import { installMemberPages } from './public/member-page';
import { installPublicPages, type PublicPagesOptions } from './public/routes';
import { ledgerRoutes, type RouteDeps } from './routes';
import { dropsRoutes } from './routes/drops';
import { hubRoutes } from './routes/hub';
import { memberLinkRoutes } from './routes/member-links';
import { promoRoutes } from './routes/promo';
import { reportsRoutes } from './routes/reports';
import { salesLookupRoutes } from './routes/sales-lookup';
import { storePromisesRoutes } from './routes/store-promises';

export const LEDGER_VERSION = '0.1.0';

export interface LedgerOptions {
  database: LedgerDatabase;
  adminToken: string;
  /** pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
  now?: () => Date;
  /** Requests per minute per device, manager or admin (default 1,200). */
  rateLimitPerMinute?: number;
  /** The limits for strangers (requests without a known token); see `RateLimits`. */
  rateLimits?: Partial<RateLimits>;
  /**
   * Which proxies may name the client in X-Forwarded-For: addresses or CIDRs ("10.0.0.1,10.0.0.0/8").
   * Off by default: the client is the socket's address, whatever headers it sends.
   */
  trustProxy?: string | string[];
  /** Bearer token for /metrics (the admin token also works); without one only the admin reads them. */
  metricsToken?: string;
  /** Set when this ledger is a stall hub: tills pairing here are registered with the central ledger first. */
  hub?: RouteDeps['hub'];
  /** The public drop pages' load shedding and live streams (defaults in server/public/shed.ts). */
  publicPages?: PublicPagesOptions;
  /**
   * Key of members' personal offer links (every ledger process of a cluster needs the same one);
   * by default derived from the admin token, so a new admin token also retires the old links.
   */
  memberLinkSecret?: string;
}

/**
 * JSON bodies. Everywhere a `__proto__` or `constructor.prototype` key refuses the request
 * (Fastify's default); a push keeps such keys as plain data, since JSON.parse makes them own
 * properties, so the one fact holding them is rejected alone instead of failing its batch.
 */
const PUSH_ROUTES = new Set(['/api/v1/sync/push', '/api/v1/hub/push']);

function parsePushBodiesAsData(app: FastifyInstance): void {
  const strict = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (!PUSH_ROUTES.has(request.routeOptions.url ?? '')) return strict(request, text, done);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new HttpError(400, 'bad-request', `The body is not JSON: ${(error as Error).message}`));
    }
  });
}

/** Whether an Authorization header carries the metrics token or the admin token (compared in constant time). */
function metricsReaders(adminToken: string, metricsToken?: string) {
  const allowed = [adminToken, metricsToken].flatMap((t) =>
    t ? [Buffer.from(hashToken(t), 'hex')] : [],
  );
  return (header: string | undefined) => {
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) return false;
    const presented = Buffer.from(hashToken(token), 'hex');
    return allowed.some((a) => timingSafeEqual(a, presented));
  };
}

export async function buildLedger(options: LedgerOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const metrics = createMetrics();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    frameworkErrors,
    clientErrorHandler,
  });
  installErrorHandling(app);
  parsePushBodiesAsData(app);
  inflateGzipBodies(app);

  // Tills call from their own origin (http://127.0.0.1:5173 in browser mode, file:// in Electron).
  // Auth is a bearer header, never a cookie, so answering any origin gives a page nothing extra.
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT'], maxAge: 600 });
  await installGate(app, makeIdentifier(options.database.db, hashToken(options.adminToken), now), {
    ...defaultRateLimits,
    ...(options.rateLimitPerMinute ? { perPrincipal: options.rateLimitPerMinute } : {}),
    ...options.rateLimits,
  });

  // Once shutting down, tell keep-alive clients to hang up after their answer: close() would
  // otherwise wait for those idle connections until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  const deps: RouteDeps = {
    database: options.database,
    metrics,
    version: LEDGER_VERSION,
    now,
    hashPin: (pin) => hashPin(pin, crypto.getRandomValues(new Uint8Array(16))),
    ...(options.hub ? { hub: options.hub } : {}),
  };
  const linkSecret =
    options.memberLinkSecret ??
    createHash('sha256').update(`poptill-member-links|${options.adminToken}`).digest('base64url');
  const routes = [
    ...ledgerRoutes(deps),
    ...dropsRoutes(deps),
    ...promoRoutes(deps),
    ...reportsRoutes(deps),
    ...storePromisesRoutes(deps),
    ...salesLookupRoutes(deps),
    ...hubRoutes(deps),
    ...memberLinkRoutes(deps, linkSecret, options.publicPages?.publicUrl),
  ];
  registerRoutes(app, routes);
  installPublicPages(
    app,
    { db: options.database.db, now, registry: metrics.registry },
    options.publicPages,
  );
  installMemberPages(app, { ...options.database, now, linkSecret });
  const openapi = openApiDocument(routes, LEDGER_VERSION);
  app.get('/api/v1/openapi.json', async () => openapi);
  const mayReadMetrics = metricsReaders(options.adminToken, options.metricsToken);
  app.get('/metrics', async (request, reply) => {
    if (!mayReadMetrics(request.headers.authorization))
      throw new HttpError(401, 'unauthorized', 'Send the metrics token as a bearer token.');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}
