// Routes of the central ledger for stall hubs: a hub enrols with a pairing code, registers the tills it pairs, and forwards their facts.
import { z } from 'zod';
import {
  hubKeyRequestSchema,
  hubPushRequestSchema,
  hubReturnRequestSchema,
  hubReturnResponseSchema,
  hubStatusSchema,
  hubTillRequestSchema,
  hubTillResponseSchema,
} from '../../shared/hub';
import {
  enrollRequestSchema,
  enrollResponseSchema,
  LEDGER_MAX_PUSH_BYTES,
  pushResponseSchema,
} from '../../shared/sync';
import { HttpError, type Principal, type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { enrollDevice } from '../ledger/devices';
import {
  hubPush,
  registerHubTill,
  registerHubTillKey,
  requireHub,
  returnFromHub,
} from '../ledger/hubs';
import type { RouteDeps } from '../routes';
import { hubStatus } from '../upstream/forwarder';

const device = (p: Principal | null) => {
  if (p?.kind !== 'device') throw new HttpError(403, 'forbidden', 'This needs a device token.');
  return { id: p.deviceId, storeId: p.storeId };
};

const hubDrop = z.object({ dropId: z.string().min(1) });

export function hubRoutes({ database, metrics, now, hub: stallHub }: RouteDeps): Route[] {
  const { db, engine } = database;
  return [
    route({
      method: 'POST',
      url: '/api/v1/hubs/enroll',
      summary:
        "Enrol a stall hub with a store's one-time pairing code; returns its device token (it then serves the stall's tills)",
      access: 'public',
      guessable: true,
      body: enrollRequestSchema,
      response: enrollResponseSchema,
      handler: async ({ body }) => {
        if (body.deviceId)
          throw new HttpError(
            400,
            'bad-request',
            'A hub enrols as a new device: leave out deviceId.',
          );
        return enrollDevice(db, body.pairingCode, body.name, now(), engine, { kind: 'hub' });
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/hub/tills',
      summary:
        'A stall hub registers a till pairing with it: the till gets its id and receipt prefix',
      access: 'device',
      body: hubTillRequestSchema,
      response: hubTillResponseSchema,
      handler: async ({ body, principal }) => {
        const hub = await requireHub(db, device(principal));
        return registerHubTill(db, engine, hub, body.name, now());
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/hub/push',
      summary:
        "A stall hub forwards one till's facts with their own ids and sequence numbers; a verdict per fact, as for the till's own push",
      access: 'device',
      bodyLimit: LEDGER_MAX_PUSH_BYTES,
      body: hubPushRequestSchema,
      response: pushResponseSchema,
      handler: async ({ body, principal }) => {
        const hub = await requireHub(db, device(principal));
        const outcome = await hubPush(db, engine, hub, body.deviceId, body.events, now());
        metrics.pushBatches.inc();
        for (const [status, count] of Object.entries(outcome.counts))
          metrics.events.inc({ status }, count);
        return { results: outcome.results, watermark: outcome.watermark };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/hub/keys',
      summary:
        'A stall hub passes on the Ed25519 public key of one of its tills (for the QR codes it signs)',
      access: 'device',
      body: hubKeyRequestSchema,
      response: z.object({ keyId: z.string() }),
      handler: async ({ body, principal }) => {
        const hub = await requireHub(db, device(principal));
        return registerHubTillKey(db, hub, body.deviceId, body.publicKey, now());
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/hub/drops/:dropId/allotments/return',
      summary:
        "A stall hub gives unsold units of its allotment back to central's pool, once per key (a retry answers the first return)",
      access: 'device',
      params: hubDrop,
      body: hubReturnRequestSchema,
      response: hubReturnResponseSchema,
      handler: async ({ params, body, principal }) => {
        const hub = await requireHub(db, device(principal));
        return returnFromHub(db, engine, hub, params.dropId, body, now());
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/hub/drops/:dropId/return',
      summary:
        "At a stall hub: a manager returns the stall's unsold units of a drop item (not held by its tills) to the central ledger's pool, once per key",
      access: 'manager',
      params: hubDrop,
      body: hubReturnRequestSchema,
      response: hubReturnResponseSchema,
      handler: async ({ params, body, principal }) => {
        const status = await hubStatus(db);
        if (!status || !stallHub)
          throw new HttpError(404, 'not-found', 'This ledger is not a stall hub.');
        assertStoreAccess(principal, status.storeId);
        return stallHub.returnToCentral(params.dropId, body);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/hub/status',
      summary:
        "At a stall hub: its central ledger, when central last took its tills' facts and last gave a pull, and how many facts wait",
      access: 'manager',
      response: hubStatusSchema,
      handler: async ({ principal }) => {
        const status = await hubStatus(db);
        if (!status) throw new HttpError(404, 'not-found', 'This ledger is not a stall hub.');
        assertStoreAccess(principal, status.storeId);
        return status;
      },
    }),
  ];
}
