// The public drop pages and their JSON and live stream: no login, cacheable by any CDN (s-maxage, stale-while-revalidate, ETag → 304), shed before the tills slow down.
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import {
  publicCounts,
  publicDropParamsSchema,
  publicStoreParamsSchema,
} from '../../shared/public-drops';
import type { LedgerDb } from '../db/schema';
import { HttpError, type RouteConfig } from '../http/api';
import { ASSET_VERSION, PAGE_CSS, PAGE_JS } from './assets';
import { dropPageHtml, esc, storePageHtml } from './page';
import { createLoadShedder, type ShedOptions } from './shed';
import { installSign } from './sign';
import { createSnapshotCache, etagOf, type TaggedSnapshot } from './snapshot';
import { createLiveStreams } from './stream';

/**
 * Shared caches may serve a page for a second and then, while one request revalidates, the
 * stale copy for half a minute more (or five if the ledger is failing): a crowd's refreshes
 * reach the ledger as about one request per second per edge, never one per phone.
 */
export const PUBLIC_CACHE_CONTROL =
  'public, max-age=1, s-maxage=1, stale-while-revalidate=30, stale-if-error=300';

/** The pages run only their own files: no inline script, no third party, nothing to track. */
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Read by the gate (server/http/gate.ts); Fastify's own config type knows only its plugins' keys.
const crowd = { access: 'public', crowd: true } satisfies RouteConfig as FastifyContextConfig;

function parse<T>(
  schema: { safeParse: (v: unknown) => { success: boolean; data?: T } },
  v: unknown,
): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new HttpError(404, 'not-found', 'No such store or drop.');
  return r.data as T;
}

/** Answers 304 when the client already holds this version; otherwise sends it with its tag. */
function sendTagged(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  etag: string,
  type: string,
) {
  reply
    .header('cache-control', PUBLIC_CACHE_CONTROL)
    .header('etag', etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return reply.status(304).send();
  }
  return reply.type(type).send(body);
}

function notFoundPage(reply: FastifyReply, what: string) {
  return reply
    .status(404)
    .header('cache-control', 'public, max-age=10, s-maxage=10')
    .header('content-security-policy', PAGE_CSP)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found</title><main><h1>Not found</h1><p>${esc(what)}</p></main></html>`,
    );
}

export interface PublicPagesOptions extends Partial<ShedOptions> {
  /** Live streams one ledger process keeps open; above it the page polls instead. */
  maxStreams?: number;
  /** The address phones use (https://drops.example.ie, a CDN's), for the stall's sign; else the request's host. */
  publicUrl?: string;
}

export function installPublicPages(
  app: FastifyInstance,
  deps: { db: Kysely<LedgerDb>; now: () => Date; registry: Registry },
  options: PublicPagesOptions = {},
) {
  const reads = new Counter({
    name: 'ledger_public_snapshot_reads_total',
    help: 'Reads of the public drop snapshot from the database (at most about one per store and second)',
    registers: [deps.registry],
  });
  const snapshots = createSnapshotCache(deps.db, deps.now, () => reads.inc());
  const shed = createLoadShedder(options);
  new Gauge({
    name: 'ledger_public_shed_total',
    help: 'Public page requests answered 503 (shed) since start',
    registers: [deps.registry],
    collect() {
      this.set(shed.stats().shed);
    },
  });
  const streams = createLiveStreams(snapshots, options.maxStreams ?? 2_000);
  app.addHook('preClose', async () => {
    streams.closeAll();
    shed.stop();
  });
  const guarded = { config: crowd, onRequest: shed.onRequest, onResponse: shed.onResponse };

  const assets = [
    ['/s/assets/page.css', PAGE_CSS, 'text/css; charset=utf-8'],
    ['/s/assets/page.js', PAGE_JS, 'text/javascript; charset=utf-8'],
  ] as const;
  for (const [url, body, type] of assets) {
    const etag = etagOf(`${ASSET_VERSION}${body}`);
    app.get(url, guarded, async (request, reply) => {
      reply.header('cache-control', 'public, max-age=86400, s-maxage=86400, immutable');
      reply.header('etag', etag).header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type(type).send(body);
    });
  }

  // Each page is rendered and hashed once per snapshot, not once per request.
  const rendered = new WeakMap<object, Map<string, { html: string; etag: string } | null>>();
  const page = (tagged: TaggedSnapshot, key: string, render: () => string | null) => {
    let pages = rendered.get(tagged);
    if (!pages) {
      pages = new Map();
      rendered.set(tagged, pages);
    }
    if (!pages.has(key)) {
      const html = render();
      pages.set(key, html === null ? null : { html, etag: etagOf(html) });
    }
    return pages.get(key) ?? null;
  };

  app.get('/s/:storeId', guarded, async (request, reply) => {
    const { storeId } = parse(publicStoreParamsSchema, request.params);
    const tagged = await snapshots.get(storeId);
    if (!tagged) return notFoundPage(reply, 'This store has no drop page.');
    const html = page(tagged, '', () => storePageHtml(tagged.snapshot))!;
    reply.header('content-security-policy', PAGE_CSP).header('referrer-policy', 'no-referrer');
    return sendTagged(request, reply, html.html, html.etag, 'text/html; charset=utf-8');
  });

  app.get('/s/:storeId/drops/:dropId', guarded, async (request, reply) => {
    const { storeId, dropId } = parse(publicDropParamsSchema, request.params);
    const tagged = await snapshots.get(storeId);
    const html = tagged ? page(tagged, dropId, () => dropPageHtml(tagged.snapshot, dropId)) : null;
    if (!html) return notFoundPage(reply, 'This drop is not on sale, or has ended.');
    reply.header('content-security-policy', PAGE_CSP).header('referrer-policy', 'no-referrer');
    return sendTagged(request, reply, html.html, html.etag, 'text/html; charset=utf-8');
  });

  installSign(app, snapshots, options.publicUrl);

  app.get('/api/v1/public/stores/:storeId/drops', guarded, async (request, reply) => {
    const { storeId } = parse(publicStoreParamsSchema, request.params);
    const tagged = await snapshots.get(storeId);
    if (!tagged) throw new HttpError(404, 'not-found', 'No such store.');
    return sendTagged(request, reply, tagged.json, tagged.etag, 'application/json; charset=utf-8');
  });

  app.get(
    '/api/v1/public/stores/:storeId/drops/events',
    { config: crowd },
    async (request, reply) => {
      const { storeId } = parse(publicStoreParamsSchema, request.params);
      const tagged = await snapshots.get(storeId);
      if (!tagged) throw new HttpError(404, 'not-found', 'No such store.');
      if (!streams.hasRoom()) {
        reply.header('retry-after', '5');
        throw new HttpError(
          503,
          'unavailable',
          'Too many live pages right now: poll the JSON instead.',
        );
      }
      streams.open(storeId, request, reply, publicCounts(tagged.snapshot, tagged.etag));
    },
  );

  return {
    /** Requests answered 503 so far, and public requests being answered now (for metrics and the bench). */
    stats: () => ({ ...shed.stats(), streams: streams.count() }),
  };
}
