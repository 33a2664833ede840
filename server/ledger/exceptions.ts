// The managers' exceptions inbox: facts that could not be applied cleanly, and their resolution.
import type { Kysely } from 'kysely';
import type { LedgerDb } from '../db/schema';
import { conflict, notFound, type Principal } from '../http/api';
import { assertStoreAccess } from '../http/auth';

export async function listExceptions(
  db: Kysely<LedgerDb>,
  storeId: string,
  status: 'open' | 'resolved' | 'all',
) {
  let q = db.selectFrom('exceptions').selectAll().where('store_id', '=', storeId);
  if (status === 'open') q = q.where('resolved_at', 'is', null);
  if (status === 'resolved') q = q.where('resolved_at', 'is not', null);
  const rows = await q.orderBy('created_at', 'desc').limit(1_000).execute();
  return rows.map((e) => ({
    id: e.id,
    kind: e.kind,
    message: e.message,
    deviceId: e.device_id,
    eventId: e.event_id,
    details: e.details ? (JSON.parse(e.details) as unknown) : null,
    createdAt: e.created_at,
    resolvedAt: e.resolved_at,
    resolvedBy: e.resolved_by,
    resolution: e.resolution,
  }));
}

export async function resolveException(
  db: Kysely<LedgerDb>,
  id: string,
  resolution: string,
  principal: Principal,
  now: Date,
): Promise<void> {
  const row = await db
    .selectFrom('exceptions')
    .select(['store_id', 'resolved_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`Exception ${id}`);
  assertStoreAccess(principal, row.store_id);
  if (row.resolved_at) throw conflict('This exception is already resolved.');
  const by = principal.kind === 'manager' ? principal.staffId : principal.kind;
  await db
    .updateTable('exceptions')
    .set({ resolved_at: now.toISOString(), resolved_by: by, resolution })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .execute();
}
