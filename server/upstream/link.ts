// The stall hub's one link to its central ledger: enrolled once with a pairing code made there, then kept in the hub's database.
import type { Kysely } from 'kysely';
import { enrollResponseSchema } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import { centralCall } from './central';

export interface HubLink {
  upstreamUrl: string;
  /** The hub's own device id at central. */
  deviceId: string;
  storeId: string;
  token: string;
  cursor: string | null;
}

export async function readLink(db: Kysely<LedgerDb>): Promise<HubLink | null> {
  const row = await db.selectFrom('hub_link').selectAll().where('id', '=', 1).executeTakeFirst();
  return row
    ? {
        upstreamUrl: row.upstream_url,
        deviceId: row.device_id,
        storeId: row.store_id,
        token: row.token,
        cursor: row.cursor,
      }
    : null;
}

/** The central ledger's origin, from what an operator typed (`http://host:4310/` → `http://host:4310`). */
export function upstreamOrigin(text: string): string {
  const url = new URL(text.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--upstream must be an http(s) address, got ${text}`);
  return url.origin;
}

/**
 * The hub's link: the stored one, or a new enrolment at central with the pairing code. A hub
 * already linked ignores a pairing code; one linked to another central ledger refuses to start.
 */
export async function linkHub(
  db: Kysely<LedgerDb>,
  input: { upstream: string; pairingCode?: string; name: string },
  now: Date,
): Promise<HubLink> {
  const upstreamUrl = upstreamOrigin(input.upstream);
  const stored = await readLink(db);
  if (stored) {
    if (stored.upstreamUrl !== upstreamUrl)
      throw new Error(
        `This hub is linked to ${stored.upstreamUrl}, not ${upstreamUrl}: start it with that --upstream (or a new --data-dir for another store).`,
      );
    return stored;
  }
  if (!input.pairingCode)
    throw new Error(
      'This hub is not linked to a central ledger yet: pass --upstream-pairing CODE (a pairing code made there for the stall).',
    );
  const enrolled = await centralCall(upstreamUrl, '/api/v1/hubs/enroll', {
    method: 'POST',
    body: { pairingCode: input.pairingCode, name: input.name },
    schema: enrollResponseSchema,
  });
  await db
    .insertInto('hub_link')
    .values({
      id: 1,
      upstream_url: upstreamUrl,
      device_id: enrolled.deviceId,
      store_id: enrolled.storeId,
      token: enrolled.token,
      cursor: null,
      linked_at: now.toISOString(),
      last_push_at: null,
      last_pull_at: null,
    })
    .execute();
  return { ...enrolled, upstreamUrl, cursor: null };
}
