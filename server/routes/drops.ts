// The ledger's /api/v1 routes for drops (see issue text); registered by server/app.ts next to the core routes.
import type { Route } from '../http/api';
import type { RouteDeps } from '../routes';

export function dropsRoutes(_deps: RouteDeps): Route[] {
  return [];
}
