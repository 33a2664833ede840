// Upgrading to 0010 (member contact keys): members stored under the old unkeyed SHA-256 are re-keyed in place and still found by a till with the store's key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrations';
import type { LedgerDb } from '../../server/db/schema';
import { contactDigest, contactHash } from '../../shared/members';

it('re-keys stored contact hashes, so a till with the key finds the member and the old digest matches nothing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'poptill-upgrade-'));
  const sqlite = new Database(path.join(dir, 'ledger.db'));
  const db = new Kysely<LedgerDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'sqlite', undefined, '0008-manager-credentials');
    await db.updateTable('ledger_state').set({ version: 10 }).where('id', '=', 1).execute();
    const oldPhone = contactDigest('store-1', '+353877654321');
    const oldEmail = contactDigest('store-1', 'orla@example.ie');
    await db
      .insertInto('members')
      .values([
        {
          id: 'MORLA0001',
          store_id: 'store-1',
          name: 'Orla',
          tiers: '["members"]',
          phone_hash: oldPhone,
          email_hash: oldEmail,
          active: 1,
          version: 3,
          created_at: '2026-11-25T10:00:00.000Z',
        },
        {
          id: 'MNOCONTACT',
          store_id: 'store-1',
          name: 'No contact',
          tiers: '[]',
          phone_hash: null,
          email_hash: null,
          active: 1,
          version: 4,
          created_at: '2026-11-25T10:00:00.000Z',
        },
      ])
      .execute();

    expect(await migrateToLatest(db as Kysely<unknown>, 'sqlite')).toContain(
      '0010-member-contact-keys',
    );

    const { member_key: key } = await db
      .selectFrom('store_secrets')
      .select('member_key')
      .where('store_id', '=', 'store-1')
      .executeTakeFirstOrThrow();
    const orla = await db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', 'MORLA0001')
      .executeTakeFirstOrThrow();
    expect(orla.phone_hash).not.toBe(oldPhone);
    expect(orla.phone_hash).toBe(await contactHash(key, 'store-1', '+353 87 765 4321', 'IE'));
    expect(orla.email_hash).toBe(await contactHash(key, 'store-1', 'Orla@example.ie', 'IE'));
    // Bumped, so tills pull the new hashes; a member without contacts is left alone.
    expect(Number(orla.version)).toBe(11);
    const none = await db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', 'MNOCONTACT')
      .executeTakeFirstOrThrow();
    expect(none).toMatchObject({ phone_hash: null, email_hash: null, version: 4 });
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
