// The ledger's /api/v1 routes for reports (see issue text); registered by server/app.ts next to the core routes.
import type { Route } from '../http/api';
import type { RouteDeps } from '../routes';

export function reportsRoutes(_deps: RouteDeps): Route[] {
  return [];
}
