// The ledger's /api/v1 routes for promo campaigns, keys, ledger-issued code batches and the cost-per-promoter report.
import { z } from 'zod';
import { campaignSchema, describeOffer } from '../../shared/promo';
import { promotersReportSchema } from '../../shared/reports';
import { HttpError, type Principal, type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { readSettings } from '../ledger/admin';
import {
  getCampaign,
  issueCodeBatch,
  listCampaigns,
  registerDeviceKey,
  revokePromoKey,
  rotateHmacKey,
  upsertCampaign,
} from '../ledger/campaigns';
import { promotersReport } from '../ledger/promoters';
import type { RouteDeps } from '../routes';

const storeParams = z.object({ storeId: z.string().min(1) });
const campaignParams = storeParams.extend({ campaignId: z.string().min(1) });
const campaignBody = campaignSchema.partial({ id: true });
const MAX_BATCH = 5_000;

const device = (p: Principal | null) => {
  if (p?.kind !== 'device') throw new HttpError(403, 'forbidden', 'This needs a device token.');
  return { id: p.deviceId, storeId: p.storeId };
};

/** A CSV cell: quoted when it holds a comma, quote or line break. */
const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function promoRoutes({ database, now }: RouteDeps): Route[] {
  const { db, engine } = database;
  return [
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/campaigns',
      summary: "A store's promo campaigns (manager)",
      access: 'manager',
      params: storeParams,
      response: z.object({ campaigns: z.array(campaignSchema) }),
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return { campaigns: await listCampaigns(db, params.storeId) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/campaigns/:campaignId',
      summary: 'One promo campaign (manager)',
      access: 'manager',
      params: campaignParams,
      response: z.object({ campaign: campaignSchema }),
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return { campaign: await getCampaign(db, params.storeId, params.campaignId) };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/stores/:storeId/campaigns/:campaignId',
      summary: 'Create or replace a promo campaign (manager); tills get it at their next pull',
      access: 'manager',
      params: campaignParams,
      body: campaignBody,
      response: z.object({ campaign: campaignSchema }),
      handler: async ({ params, body, principal }) => {
        assertStoreAccess(principal, params.storeId);
        if (body.id !== undefined && body.id !== params.campaignId)
          throw new HttpError(400, 'bad-request', 'id in the body must match the path');
        const parsed = campaignSchema.safeParse({ ...body, id: params.campaignId });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new HttpError(400, 'bad-request', `Invalid path: ${issue?.message ?? 'bad id'}`);
        }
        return { campaign: await upsertCampaign(db, params.storeId, parsed.data, now()) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/stores/:storeId/promo-keys/rotate',
      summary: "Retire the store's promo MAC key (it still verifies) and start a new one (admin)",
      access: 'admin',
      params: storeParams,
      response: z.object({ keyId: z.string(), retired: z.array(z.string()) }),
      handler: async ({ params }) => rotateHmacKey(db, params.storeId, now()),
    }),
    route({
      method: 'POST',
      url: '/api/v1/stores/:storeId/promo-keys/:keyId/revoke',
      summary:
        'Withdraw a promo key for good (admin): tills refuse codes made with it from their next pull; revoking the current MAC key starts a new one',
      access: 'admin',
      params: storeParams.extend({ keyId: z.string().min(1) }),
      response: z.object({
        keyId: z.string(),
        revoked: z.literal(true),
        current: z.string().nullable(),
      }),
      handler: async ({ params }) => revokePromoKey(db, params.storeId, params.keyId, now()),
    }),
    route({
      method: 'POST',
      url: '/api/v1/devices/me/promo-key',
      summary: "Register this till's Ed25519 public key (hex) for the QR codes it signs",
      access: 'device',
      body: z.object({
        publicKey: z.string().regex(/^[0-9a-f]{64}$/, 'A public key is 64 hex digits'),
      }),
      response: z.object({ keyId: z.string() }),
      handler: async ({ principal, body }) =>
        registerDeviceKey(db, device(principal), body.publicKey, now()),
    }),
    route({
      method: 'POST',
      url: '/api/v1/stores/:storeId/campaigns/:campaignId/codes',
      summary:
        'Issue a batch of codes from the ledger (manager), as JSON or as CSV (format: "csv")',
      access: 'manager',
      params: campaignParams,
      body: z.object({
        count: z.number().int().min(1).max(MAX_BATCH),
        format: z.enum(['json', 'csv']).default('json'),
      }),
      response: z.union([
        z.object({ campaignId: z.string(), codes: z.array(z.string()) }),
        z.string().describe('text/csv: code,campaign,offer,starts,ends'),
      ]),
      handler: async ({ params, body, principal, reply }) => {
        assertStoreAccess(principal, params.storeId);
        const { campaign, codes } = await issueCodeBatch(
          db,
          engine,
          params.storeId,
          params.campaignId,
          body.count,
          now(),
        );
        if (body.format === 'json') return { campaignId: campaign.id, codes };
        const store = await readSettings(db, params.storeId);
        const offer = describeOffer(campaign, store?.currency, store?.locale);
        const lines = codes.map((code) =>
          [code, campaign.name, offer, campaign.startsAt, campaign.endsAt].map(cell).join(','),
        );
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${campaign.id}-codes.csv"`);
        return `code,campaign,offer,starts,ends\n${lines.join('\n')}\n`;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/reports/promoters',
      summary:
        'Cost per promoter: cost, redemptions, buyers and sales each creator campaign brought (manager)',
      access: 'manager',
      params: storeParams,
      response: promotersReportSchema,
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return { storeId: params.storeId, rows: await promotersReport(db, params.storeId) };
      },
    }),
  ];
}
