// The ledger's /api/v1 route for a member's personal offers link (a manager sends it in a message or prints it as the member's QR).
import { z } from 'zod';
import { memberSchema } from '../../shared/members';
import { notFound, type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { memberLinkPath } from '../ledger/member-claims';
import type { RouteDeps } from '../routes';

export function memberLinkRoutes({ database }: RouteDeps, linkSecret: string): Route[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/members/:memberId/link',
      summary:
        "A member's personal offers page (path under the ledger's address): one-tap claims of member offers, keyed so a member id alone opens nothing",
      access: 'manager',
      params: z.object({ storeId: z.string().min(1), memberId: memberSchema.shape.id }),
      response: z.object({ path: z.string() }),
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        const member = await database.db
          .selectFrom('members')
          .select('id')
          .where('store_id', '=', params.storeId)
          .where('id', '=', params.memberId)
          .executeTakeFirst();
        if (!member) throw notFound(`Member ${params.memberId}`);
        return { path: memberLinkPath(linkSecret, params.storeId, params.memberId) };
      },
    }),
  ];
}
