// The ledger's /api/v1 routes for managers' reports: end of day (JSON and CSV), drop KPIs and the exceptions inbox.
import { z } from 'zod';
import {
  aftercareSchema,
  channelsSchema,
  dropListSchema,
  kpiScopeQuerySchema,
  promotersSchema,
  repeatQuerySchema,
  repeatSchema,
  sellThroughSchema,
} from '../../shared/kpis';
import {
  dayReportCsv,
  dayReportSchema,
  exceptionListQuerySchema,
  exceptionSchema,
  resolveExceptionSchema,
} from '../../shared/reports';
import { type Route, route } from '../http/api';
import { assertStoreAccess } from '../http/auth';
import { listExceptions, resolveException } from '../ledger/exceptions';
import { channels, listDrops, resolveScope, sellThrough } from '../ledger/kpis';
import { aftercare, promoters, repeatBuyers } from '../ledger/kpis-buyers';
import { dayReport } from '../ledger/reports';
import type { RouteDeps } from '../routes';

const storeParams = z.object({ storeId: z.string().min(1) });
const dayQuery = z.object({ date: z.iso.date() });
const kpi = (name: string) => `/api/v1/stores/:storeId/reports/kpis/${name}`;

export function reportsRoutes({ database, now }: RouteDeps): Route[] {
  const { db, engine } = database;
  return [
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/reports/day',
      summary:
        'End of day for any date: per till and combined totals, promo redemptions, tax, tenders, shifts over/short, unsynced tills',
      access: 'manager',
      params: storeParams,
      query: dayQuery,
      response: dayReportSchema,
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return dayReport(db, params.storeId, query.date);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/reports/day.csv',
      summary: 'The end-of-day report as CSV (text/csv): tills, shifts and tax bands',
      access: 'manager',
      params: storeParams,
      query: dayQuery,
      response: z.string(),
      handler: async ({ params, query, principal, reply }) => {
        assertStoreAccess(principal, params.storeId);
        const csv = dayReportCsv(await dayReport(db, params.storeId, query.date));
        reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="day-${params.storeId}-${query.date}.csv"`,
          );
        return csv;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/reports/drops',
      summary:
        'The store\'s drops with their items, and drop families (names sharing the text before " #")',
      access: 'manager',
      params: storeParams,
      response: dropListSchema,
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return listDrops(db, params.storeId);
      },
    }),
    route({
      method: 'GET',
      url: kpi('sell-through'),
      summary:
        'Units sold by minute since the drop opened, per access tier (a drop or a family; optional SKU)',
      access: 'manager',
      params: storeParams,
      query: kpiScopeQuerySchema,
      response: sellThroughSchema,
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        const scope = await resolveScope(db, params.storeId, query);
        return sellThrough(db, engine, params.storeId, scope);
      },
    }),
    route({
      method: 'GET',
      url: kpi('channels'),
      summary:
        'Units, sales, revenue and buyers per channel (walk-in, member-early, each promo campaign), with shares',
      access: 'manager',
      params: storeParams,
      query: kpiScopeQuerySchema,
      response: channelsSchema,
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return channels(db, params.storeId, await resolveScope(db, params.storeId, query));
      },
    }),
    route({
      method: 'GET',
      url: kpi('repeat'),
      summary: 'Member buyers who bought again within N days (days, default 30)',
      access: 'manager',
      params: storeParams,
      query: repeatQuerySchema,
      response: repeatSchema,
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        const scope = await resolveScope(db, params.storeId, query);
        return repeatBuyers(db, engine, params.storeId, scope, query.days);
      },
    }),
    route({
      method: 'GET',
      url: kpi('aftercare'),
      summary: 'Complaints (by category) and returns in the 14 days after the drop',
      access: 'manager',
      params: storeParams,
      query: kpiScopeQuerySchema,
      response: aftercareSchema,
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return aftercare(db, params.storeId, await resolveScope(db, params.storeId, query));
      },
    }),
    route({
      method: 'GET',
      url: kpi('promoters'),
      summary:
        "Cost to acquire per promoter: its campaigns' cost ÷ distinct buyers who redeemed their codes",
      access: 'manager',
      params: storeParams,
      response: promotersSchema,
      handler: async ({ params, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return promoters(db, params.storeId);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/stores/:storeId/exceptions',
      summary:
        'Facts that could not be applied cleanly, for a manager (status open|resolved|all; kind, comma-separated)',
      access: 'manager',
      params: storeParams,
      query: exceptionListQuerySchema,
      response: z.object({ exceptions: z.array(exceptionSchema) }),
      handler: async ({ params, query, principal }) => {
        assertStoreAccess(principal, params.storeId);
        return {
          exceptions: await listExceptions(db, params.storeId, query.status, query.kind),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/exceptions/:exceptionId/resolve',
      summary:
        'Resolve an exception with a reason (and an outcome: oversold needs backorder or refund); recorded as an exception.resolved event',
      access: 'manager',
      params: z.object({ exceptionId: z.string().min(1) }),
      body: resolveExceptionSchema,
      response: z.object({ ok: z.literal(true) }),
      handler: async ({ params, body, principal }) => {
        await resolveException(db, params.exceptionId, body, principal!, now());
        return { ok: true as const };
      },
    }),
  ];
}
