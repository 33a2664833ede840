// The ledger's /api/v1 routes for the addresses a till shows as QR codes: a member's personal offers link and the store's public drop page (its sign).
import { z } from 'zod';
import { memberSchema } from '../../shared/members';
import { publicStoreParamsSchema } from '../../shared/public-drops';
import { memberLinkSchema, storePublicPageSchema } from '../../shared/public-links';
import { notFound, type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { memberLinkPath } from '../ledger/member-claims';
import { storePageUrl } from '../public/sign';
import type { RouteDeps } from '../routes';

/** The address phones use: the configured public one (a CDN's), else the one this request came to, as the sign does. */
const baseUrl = (publicUrl: string | undefined, request: { protocol: string; host: string }) =>
  (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');

export function memberLinkRoutes(
  { database }: RouteDeps,
  linkSecret: string,
  publicUrl: string | undefined,
): Route[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/members/:memberId/link',
      summary:
        "A member's personal offers page (its path, and its address for phones): one-tap claims of member offers, keyed so a member id alone opens nothing",
      access: 'manager',
      params: z.object({ storeId: z.string().min(1), memberId: memberSchema.shape.id }),
      response: memberLinkSchema,
      handler: async ({ params, principal, request }) => {
        assertStoreAccess(principal, params.storeId);
        const member = await database.db
          .selectFrom('members')
          .select('id')
          .where('store_id', '=', params.storeId)
          .where('id', '=', params.memberId)
          .executeTakeFirst();
        if (!member) throw notFound(`Member ${params.memberId}`);
        const path = memberLinkPath(linkSecret, params.storeId, params.memberId);
        return { path, url: baseUrl(publicUrl, request) + path };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/public-page',
      summary:
        "The store's public drop page as phones should open it (the stall sign's QR) and the printable sign",
      access: 'manager',
      params: publicStoreParamsSchema,
      response: storePublicPageSchema,
      handler: async ({ params, principal, request }) => {
        assertStoreAccess(principal, params.storeId);
        const storePage = storePageUrl(baseUrl(publicUrl, request), params.storeId);
        return { storePage, sign: `${storePage}/sign` };
      },
    }),
  ];
}
