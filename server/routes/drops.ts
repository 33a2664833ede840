// The ledger's /api/v1 routes for drops, allotments and members (issue 6); registered by server/app.ts next to the core routes.
import { z } from 'zod';
import { dropPutSchema } from '../../shared/drop-time';
import {
  allotmentAskSchema,
  allotmentGrantSchema,
  allotmentReturnSchema,
  dropListResponseSchema,
  dropWithProgressSchema,
  setAllotmentsSchema,
} from '../../shared/drops';
import { memberSchema, memberUpsertSchema } from '../../shared/members';
import { HttpError, type Principal, type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { moveForTill, setAllotments } from '../ledger/allotments';
import { listDrops, upsertDrop } from '../ledger/drops';
import { upsertMember } from '../ledger/members';
import type { RouteDeps } from '../routes';

const storeDrop = z.object({ storeId: z.string().min(1), dropId: z.string().min(1) });
const tillDrop = z.object({ dropId: z.string().min(1) });

/** Who changed an allotment, for its movement row. */
const actorOf = (p: Principal | null) =>
  p?.kind === 'manager' ? `manager:${p.staffId}` : p?.kind === 'device' ? p.deviceId : 'admin';

const device = (p: Principal | null) => {
  if (p?.kind !== 'device') throw new HttpError(403, 'forbidden', 'This needs a device token.');
  return { id: p.deviceId, storeId: p.storeId };
};

export function dropsRoutes({ database, now, hub }: RouteDeps): Route[] {
  const { db, engine } = database;
  return [
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/drops/:dropId',
      summary: 'Create or update a drop; auto allotments are split again from the pool',
      access: 'manager',
      params: storeDrop,
      body: dropPutSchema,
      response: dropWithProgressSchema,
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        if (body.id !== params.dropId)
          throw new HttpError(400, 'bad-request', 'The drop id in the body must match the path.');
        return upsertDrop(db, engine, params.storeId, body, actorOf(principal), now());
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/drops',
      summary: "The store's drops with sold, allotted and unallotted units per item",
      access: 'manager',
      params: z.object({ storeId: z.string().min(1) }),
      response: dropListResponseSchema,
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return { drops: await listDrops(db, params.storeId) };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/drops/:dropId/allotments',
      summary: "Set tills' allotments of drop items; 409 when they exceed the unsold units",
      access: 'manager',
      params: storeDrop,
      body: setAllotmentsSchema,
      response: setAllotmentsSchema,
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        const allotments = await setAllotments(
          db,
          engine,
          params.storeId,
          params.dropId,
          body.allotments,
          actorOf(principal),
          now(),
        );
        return { allotments };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/drops/:dropId/allotments/request',
      summary:
        'A till asks for more units of a drop item from the pool (may get fewer, or 0 with a reason)',
      access: 'device',
      params: tillDrop,
      body: allotmentAskSchema,
      response: allotmentGrantSchema,
      handler: async ({ params, body, principal }) => {
        // At a stall hub, what the stall's pool lacks is asked of the central ledger first.
        const r = hub
          ? await hub.requestForTill(device(principal), params.dropId, body)
          : await moveForTill(db, engine, device(principal), params.dropId, body, 'request', now());
        return {
          granted: r.moved,
          allotment: r.allotment,
          ...(r.reason ? { reason: r.reason } : {}),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/drops/:dropId/allotments/return',
      summary: 'A till gives unsold units of a drop item back to the pool',
      access: 'device',
      params: tillDrop,
      body: allotmentAskSchema,
      response: allotmentReturnSchema,
      handler: async ({ params, body, principal }) => {
        const r = await moveForTill(
          db,
          engine,
          device(principal),
          params.dropId,
          body,
          'return',
          now(),
        );
        return { returned: r.moved, allotment: r.allotment };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/members/:memberId',
      summary: 'Create or update a member; phone and e-mail are stored only as store-salted hashes',
      access: 'manager',
      params: z.object({ storeId: z.string().min(1), memberId: memberSchema.shape.id }),
      body: memberUpsertSchema,
      response: memberSchema,
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return upsertMember(db, params.storeId, params.memberId, body, now());
      },
    }),
  ];
}
