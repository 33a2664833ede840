// The managers' exceptions inbox: facts that could not be applied cleanly, filtered by status and kind, and their resolution.
//
// A resolution is written twice in one transaction: on the exception row (resolved_at/by,
// resolution) and as an `exception.resolved` row in the events table, the ledger's record of
// facts. That event's id is `xr-<exception id>` (one per exception: a second resolve is a
// conflict), its device_id is `manager:<staff id>` (or `admin`), seq 0, and its payload is
// { exceptionId, kind, outcome, resolution, by }. Outcomes per kind: RESOLUTION_OUTCOMES.
import type { Kysely, Transaction } from 'kysely';
import {
  type LedgerException,
  OUTCOME_REQUIRED,
  RESOLUTION_OUTCOMES,
  type ResolveException,
} from '../../shared/reports';
import type { LedgerDb } from '../db/schema';
import { conflict, HttpError, notFound, type Principal } from '../http/api';
import { assertStoreAccess } from '../http/auth';

export const resolutionEventId = (exceptionId: string) => `xr-${exceptionId}`;

/**
 * A fact that waited for another (a return for its sale, a spend for its credit note, an exchange
 * for its return) is now whole: the ledger itself closes the open `kind` exceptions raised for
 * `eventIds`, saying what arrived. Store-scoped when `storeId` is given.
 */
export async function closeWaitingExceptions(
  trx: Kysely<LedgerDb> | Transaction<LedgerDb>,
  wait: {
    kind: string;
    eventIds: readonly string[];
    at: string;
    resolution: string;
    storeId?: string;
  },
): Promise<void> {
  for (let i = 0; i < wait.eventIds.length; i += 500) {
    let q = trx
      .updateTable('exceptions')
      .set({ resolved_at: wait.at, resolved_by: 'ledger', resolution: wait.resolution })
      .where('kind', '=', wait.kind)
      .where('resolved_at', 'is', null)
      .where('event_id', 'in', wait.eventIds.slice(i, i + 500));
    if (wait.storeId !== undefined) q = q.where('store_id', '=', wait.storeId);
    await q.execute();
  }
}

export async function listExceptions(
  db: Kysely<LedgerDb>,
  storeId: string,
  status: 'open' | 'resolved' | 'all',
  kinds: readonly string[] = [],
): Promise<LedgerException[]> {
  let q = db.selectFrom('exceptions').selectAll().where('store_id', '=', storeId);
  if (status === 'open') q = q.where('resolved_at', 'is', null);
  if (status === 'resolved') q = q.where('resolved_at', 'is not', null);
  if (kinds.length > 0) q = q.where('kind', 'in', [...kinds]);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1_000).execute();

  const eventIds = [
    ...new Set([
      ...rows.flatMap((e) => (e.event_id ? [e.event_id] : [])),
      ...rows.flatMap((e) => (e.resolved_at ? [resolutionEventId(e.id)] : [])),
    ]),
  ];
  const events = new Map<
    string,
    { type: string; status: string; reason: string | null; payload: string }
  >();
  for (let i = 0; i < eventIds.length; i += 500) {
    const found = await db
      .selectFrom('events')
      .select(['id', 'type', 'status', 'reason', 'payload'])
      .where('id', 'in', eventIds.slice(i, i + 500))
      .execute();
    for (const f of found) events.set(f.id, f);
  }
  return rows.map((e) => {
    const fact = e.event_id ? events.get(e.event_id) : undefined;
    const resolved = events.get(resolutionEventId(e.id));
    const outcome = resolved
      ? ((JSON.parse(resolved.payload) as { outcome?: string | null }).outcome ?? null)
      : null;
    return {
      id: e.id,
      kind: e.kind,
      message: e.message,
      deviceId: e.device_id,
      eventId: e.event_id,
      details: e.details ? (JSON.parse(e.details) as unknown) : null,
      event: fact ? { type: fact.type, status: fact.status, reason: fact.reason } : null,
      createdAt: e.created_at,
      resolvedAt: e.resolved_at,
      resolvedBy: e.resolved_by,
      resolution: e.resolution,
      outcome,
      outcomes: [...(RESOLUTION_OUTCOMES[e.kind] ?? [])],
      outcomeRequired: OUTCOME_REQUIRED.has(e.kind),
    };
  });
}

export async function resolveException(
  db: Kysely<LedgerDb>,
  id: string,
  input: ResolveException,
  principal: Principal,
  now: Date,
): Promise<void> {
  const row = await db
    .selectFrom('exceptions')
    .select(['store_id', 'kind', 'resolved_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`Exception ${id}`);
  assertStoreAccess(principal, row.store_id);
  if (row.resolved_at) throw conflict('This exception is already resolved.');
  const allowed = RESOLUTION_OUTCOMES[row.kind] ?? [];
  const outcome = input.outcome ?? null;
  if (outcome === null && OUTCOME_REQUIRED.has(row.kind))
    throw new HttpError(400, 'bad-request', `Choose how to settle it: ${allowed.join(' or ')}.`);
  if (outcome !== null && !allowed.includes(outcome))
    throw new HttpError(
      400,
      'bad-request',
      allowed.length
        ? `A ${row.kind} exception is settled by ${allowed.join(' or ')}, not ${outcome}.`
        : `A ${row.kind} exception takes no outcome, only a reason.`,
    );
  const by = principal.kind === 'manager' ? principal.staffId : principal.kind;
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('exceptions')
      .set({ resolved_at: at, resolved_by: by, resolution: input.resolution })
      .where('id', '=', id)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('This exception is already resolved.');
    await trx
      .insertInto('events')
      .values({
        id: resolutionEventId(id),
        device_id: principal.kind === 'manager' ? `manager:${principal.staffId}` : 'admin',
        store_id: row.store_id,
        seq: 0,
        type: 'exception.resolved',
        device_time: at,
        received_at: at,
        status: 'accepted',
        reason: null,
        payload: JSON.stringify({
          exceptionId: id,
          kind: row.kind,
          outcome,
          resolution: input.resolution,
          by,
        }),
      })
      .execute();
  });
}
