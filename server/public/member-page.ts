// A member's personal offers page: claim a member offer with one tap, then show its code as a QR any till redeems offline. Never cached, never indexed, no name on it.
import bwipjs from 'bwip-js/node';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { memberClaimParamsSchema, memberLinkParamsSchema } from '../../shared/member-claim';
import { describeOffer } from '../../shared/promo';
import type { Engine } from '../db/migrations';
import type { LedgerDb } from '../db/schema';
import { HttpError, type RouteConfig } from '../http/api';
import { readSettings } from '../ledger/admin';
import { claimOffer, type MemberOffer, memberOffers, memberOfLink } from '../ledger/member-claims';
import { ASSET_VERSION } from './assets';
import { esc } from './page';

const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A QR of the code as inline SVG (bwip-js draws it; a quiet zone keeps phone cameras happy). */
function qrSvg(text: string): string {
  return bwipjs.toSVG({ bcid: 'qrcode', text, paddingwidth: 4, paddingheight: 4 });
}

/** The store as its member page shows it: its name, and money in its own currency. */
interface PageStore {
  name: string;
  currency: string;
  locale: string;
}

function offerBlock(offer: MemberOffer, claimPath: string, store: PageStore): string {
  const { campaign } = offer;
  const words = describeOffer(campaign, store.currency, store.locale);
  const what = `<h2>${esc(campaign.name)}</h2><p>${esc(words)}</p>`;
  if (offer.code) {
    return `<section class="offer" aria-label="${esc(campaign.name)}">${what}
<p>Show this at the till:</p>
<div class="qr" role="img" aria-label="QR code of your code">${qrSvg(offer.code)}</div>
<p class="code" data-testid="claimed-code">${esc(offer.code)}</p></section>`;
  }
  if (!offer.check.ok)
    return `<section class="offer">${what}<p>${esc(offer.check.message)}</p></section>`;
  return `<section class="offer" aria-label="${esc(campaign.name)}">${what}
<form class="claim" method="post" action="${esc(`${claimPath}/claim/${encodeURIComponent(campaign.id)}`)}">
<button type="submit">Claim ${esc(campaign.name)}</button></form></section>`;
}

function memberPage(offers: MemberOffer[], linkPath: string, store: PageStore, note = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Your member offers</title>
<link rel="stylesheet" href="/s/assets/page.css?v=${ASSET_VERSION}">
</head>
<body>
<header><p class="store">${esc(store.name)}</p></header>
<main>
<h1>Your member offers</h1>
${note ? `<p role="alert">${esc(note)}</p>` : ''}
${offers.length ? offers.map((o) => offerBlock(o, linkPath, store)).join('') : '<p>No member offers right now. Check back before the next drop.</p>'}
</main>
</body>
</html>`;
}

function sendPrivate(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', PAGE_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(html);
}

const guessable = { access: 'public', guessable: true } satisfies RouteConfig as object;

function parse<T>(
  schema: { safeParse: (v: unknown) => { success: boolean; data?: T } },
  v: unknown,
) {
  const r = schema.safeParse(v);
  if (!r.success) throw new HttpError(404, 'not-found', 'This member link is not valid.');
  return r.data as T;
}

/** GET /m/:storeId/:memberId/:tag (the offers) and POST …/claim/:campaignId (one tap, then back to the offers). */
export function installMemberPages(
  app: FastifyInstance,
  deps: { db: Kysely<LedgerDb>; engine: Engine; now: () => Date; linkSecret: string },
) {
  const storeOf = async (storeId: string): Promise<PageStore> => {
    const settings = await readSettings(deps.db, storeId);
    return settings
      ? { name: settings.name, currency: settings.currency, locale: settings.locale }
      : { name: '', currency: 'EUR', locale: 'en-IE' };
  };

  app.register(async (scope) => {
    // The claim button is a plain form (works without script); its body carries nothing we read.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, _body, done) => done(null, {}),
    );

    scope.get('/m/:storeId/:memberId/:tag', { config: guessable }, async (request, reply) => {
      const parsed = memberLinkParamsSchema.safeParse(request.params);
      const member = parsed.success
        ? await memberOfLink(deps.db, deps.linkSecret, parsed.data).catch((error) => {
            if (error instanceof HttpError && error.status === 404) return null;
            throw error;
          })
        : null;
      // A person with a mistyped or old link gets words, not JSON.
      if (!parsed.success || !member)
        return sendPrivate(
          reply,
          404,
          '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link not valid</title><main><h1>This link is not valid</h1><p>Ask at the stall for your member link.</p></main></html>',
        );
      const link = parsed.data;
      const offers = await memberOffers(deps.db, member, deps.now());
      const path = `/m/${encodeURIComponent(link.storeId)}/${link.memberId}/${link.tag}`;
      return sendPrivate(reply, 200, memberPage(offers, path, await storeOf(link.storeId)));
    });

    scope.post(
      '/m/:storeId/:memberId/:tag/claim/:campaignId',
      { config: guessable, bodyLimit: 1024 },
      async (request, reply) => {
        const params = parse(memberClaimParamsSchema, request.params);
        const member = await memberOfLink(deps.db, deps.linkSecret, params);
        const path = `/m/${encodeURIComponent(params.storeId)}/${params.memberId}/${params.tag}`;
        try {
          await claimOffer(deps.db, deps.engine, member, params.campaignId, deps.now());
        } catch (error) {
          if (!(error instanceof HttpError) || error.status >= 500) throw error;
          const offers = await memberOffers(deps.db, member, deps.now());
          return sendPrivate(
            reply,
            error.status,
            memberPage(offers, path, await storeOf(params.storeId), error.message),
          );
        }
        // Back to the offers page (POST, redirect, GET), which now shows the code.
        return reply.header('cache-control', 'no-store').redirect(path, 303);
      },
    );
  });
}
