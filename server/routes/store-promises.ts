// The ledger's /api/v1 routes for a store's returns and shipping promises, which every receipt prints.
import { z } from 'zod';
import { storePromisesSchema } from '../../shared/catalog';
import { type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { setStorePromises, storePromises } from '../ledger/admin';
import type { RouteDeps } from '../routes';

const storeParams = z.object({ storeId: z.string().min(1) });

export function storePromisesRoutes({ database }: RouteDeps): Route[] {
  const { db } = database;
  return [
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/promises',
      summary: "The store's returns and shipping promises (manager)",
      access: 'manager',
      params: storeParams,
      response: storePromisesSchema,
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return storePromises(db, params.storeId);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/promises',
      summary:
        "Set the store's returns and shipping promises (manager): both texts, at most 300 characters each, '' for none; tills get them at their next pull",
      access: 'manager',
      params: storeParams,
      body: storePromisesSchema,
      response: storePromisesSchema,
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return setStorePromises(db, params.storeId, body);
      },
    }),
  ];
}
