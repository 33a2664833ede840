// The stall's sign: a printable label (100 × 150 mm, the common shipping-label size) with a QR code of the store's drop page, for the table or the queue.
import bwipjs from 'bwip-js/node';
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { publicStoreParamsSchema } from '../../shared/public-drops';
import type { RouteConfig } from '../http/api';
import { ASSET_VERSION } from './assets';
import { esc } from './page';
import type { SnapshotCache } from './snapshot';

const SIGN_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The drop page's address as phones should open it: the configured public address, else the one this request came to. */
export function storePageUrl(base: string, storeId: string): string {
  return `${base.replace(/\/+$/, '')}/s/${encodeURIComponent(storeId)}`;
}

export function signHtml(storeName: string, url: string): string {
  const qr = bwipjs.toSVG({ bcid: 'qrcode', text: url, paddingwidth: 4, paddingheight: 4 });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(storeName)}: sign</title>
<link rel="stylesheet" href="/s/assets/page.css?v=${ASSET_VERSION}">
</head>
<body class="sign">
<main class="sign-label">
<p class="sign-store">${esc(storeName)}</p>
<h1>Live drops</h1>
<p class="sign-lead">Scan for what is left, today's prices and when each drop opens.</p>
<div class="qr" role="img" aria-label="QR code of ${esc(url)}">${qr}</div>
<p class="sign-url">${esc(url.replace(/^https?:\/\//, ''))}</p>
</main>
</body>
</html>`;
}

export function installSign(
  app: FastifyInstance,
  snapshots: SnapshotCache,
  publicUrl: string | undefined,
) {
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl))
    throw new Error(`The public address must be http(s)://host[/path], not "${publicUrl}"`);
  const config = { access: 'public', crowd: true } satisfies RouteConfig as FastifyContextConfig;
  app.get('/s/:storeId/sign', { config }, async (request, reply) => {
    const parsed = publicStoreParamsSchema.safeParse(request.params);
    const tagged = parsed.success ? await snapshots.get(parsed.data.storeId) : null;
    if (!parsed.success || !tagged)
      return reply.status(404).type('text/plain; charset=utf-8').send('No such store.');
    // Without a configured address the request's own host is used, so the sign is never cached for others.
    const base = publicUrl ?? `${request.protocol}://${request.host}`;
    return reply
      .header('cache-control', publicUrl ? 'public, max-age=300' : 'private, no-store')
      .header('content-security-policy', SIGN_CSP)
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(signHtml(tagged.snapshot.name, storePageUrl(base, parsed.data.storeId)));
  });
}
