// Migration for the stall hub (issue 18): device kinds at the central ledger, and the hub's link upstream with what it forwarded.
import type { Kysely, Migration } from 'kysely';
import type { Engine } from './migrations';

export function hubMigrations(engine: Engine): Record<string, Migration> {
  const big = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    // At the central ledger a device is a till or a stall hub; a till a hub enrolled names that
    // hub (it may push the till's facts). At a hub, one row says where its central ledger is,
    // and every forwarded fact keeps central's verdict, so a restart resends nothing twice.
    '0011-stall-hub': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('devices')
          .addColumn('kind', 'text', (c) => c.notNull().defaultTo('till'))
          .execute();
        await db.schema.alterTable('devices').addColumn('hub_id', 'text').execute();
        await db.schema
          .createTable('hub_link')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('upstream_url', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('token', 'text', (c) => c.notNull())
          .addColumn('cursor', 'text')
          .addColumn('linked_at', 'text', (c) => c.notNull())
          .addColumn('last_push_at', 'text')
          .addColumn('last_pull_at', 'text')
          .execute();
        await db.schema
          .createTable('upstream_progress')
          .addColumn('device_id', 'text', (c) => c.primaryKey())
          .addColumn('forwarded_seq', big, (c) => c.notNull())
          .addColumn('forwarded_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('upstream_verdicts')
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('seq', big, (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('upstream_verdicts_pk', ['device_id', 'seq'])
          .execute();
      },
    },
  };
}
