// Versioned schema migrations, run on start for SQLite and PostgreSQL alike. Never edit a shipped one: add the next.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { rebuildKpiRollups } from '../ledger/kpi-rollups';
import { keyedDigest, memberKeyOf } from '../ledger/member-keys';
import { nextVersion } from './database';
import { hubMigrations } from './migrations-hub';
import { ingestMigrations } from './migrations-ingest';
import type { LedgerDb } from './schema';

export type Engine = 'sqlite' | 'postgres';

function migrations(engine: Engine): Record<string, Migration> {
  const big = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001-ledger': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('ledger_state')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('version', big, (c) => c.notNull())
          .execute();
        await db
          .insertInto('ledger_state' as never)
          .values({ id: 1, version: 0 } as never)
          .execute();

        await db.schema
          .createTable('stores')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('time_zone', 'text', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('tax_classes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('rate_ppm', 'integer', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('products')
          .addColumn('sku', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('price', big, (c) => c.notNull())
          .addColumn('tax_class_id', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('barcodes', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('drop_name', 'text')
          .addColumn('image', 'text')
          .addColumn('version', big, (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('products_version').on('products').column('version').execute();

        await db.schema
          .createTable('staff')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('pin_hash', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('staff_store_version')
          .on('staff')
          .columns(['store_id', 'version'])
          .execute();

        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('watermark', big, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text')
          .addColumn('last_push_at', 'text')
          .addColumn('last_sale_at', 'text')
          .execute();
        await db.schema
          .createIndex('devices_store_prefix')
          .on('devices')
          .columns(['store_id', 'prefix'])
          .unique()
          .execute();

        await db.schema
          .createTable('pairing_codes')
          .addColumn('code_hash', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addColumn('device_id', 'text')
          .execute();

        await db.schema
          .createTable('manager_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('seq', big, (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('events_device_seq')
          .on('events')
          .columns(['device_id', 'seq'])
          .execute();

        await db.schema
          .createTable('sales')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('shift_id', 'text', (c) => c.notNull())
          .addColumn('receipt_number', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('subtotal', big, (c) => c.notNull())
          .addColumn('discount_total', big, (c) => c.notNull())
          .addColumn('tax', big, (c) => c.notNull())
          .addColumn('total', big, (c) => c.notNull())
          .addColumn('rounding', big, (c) => c.notNull())
          .addColumn('change_given', big, (c) => c.notNull())
          .addColumn('cash', big, (c) => c.notNull())
          .addColumn('card', big, (c) => c.notNull())
          .addColumn('item_count', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('sales_store_date')
          .on('sales')
          .columns(['store_id', 'business_date'])
          .execute();

        await db.schema
          .createTable('sale_lines')
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('line_no', 'integer', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('qty', 'integer', (c) => c.notNull())
          .addColumn('unit_price', big, (c) => c.notNull())
          .addColumn('gross', big, (c) => c.notNull())
          .addColumn('discount', big, (c) => c.notNull())
          .addColumn('net', big, (c) => c.notNull())
          .addColumn('tax', big, (c) => c.notNull())
          .addColumn('total', big, (c) => c.notNull())
          .addColumn('tax_class_id', 'text', (c) => c.notNull())
          .addColumn('rate_ppm', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('sale_lines_pk', ['sale_id', 'line_no'])
          .execute();
        await db.schema
          .createIndex('sale_lines_store_sku')
          .on('sale_lines')
          .columns(['store_id', 'sku'])
          .execute();

        await db.schema
          .createTable('voids')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('shift_id', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('value', big, (c) => c.notNull())
          .addColumn('item_count', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('voids_store_date')
          .on('voids')
          .columns(['store_id', 'business_date'])
          .execute();

        await db.schema
          .createTable('shifts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('opened_by', 'text', (c) => c.notNull())
          .addColumn('float', big, (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .addColumn('closed_by', 'text')
          .addColumn('counted_total', big)
          .addColumn('z_report', 'text')
          .execute();

        await db.schema
          .createTable('stock_movements')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
            engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('delta', big, (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ref', 'text')
          .addColumn('note', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('stock_movements_store_sku')
          .on('stock_movements')
          .columns(['store_id', 'sku'])
          .execute();

        await db.schema
          .createTable('stock_levels')
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('qty', big, (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addPrimaryKeyConstraint('stock_levels_pk', ['store_id', 'sku'])
          .execute();
        await db.schema
          .createIndex('stock_levels_store_version')
          .on('stock_levels')
          .columns(['store_id', 'version'])
          .execute();

        await db.schema
          .createTable('exceptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('event_id', 'text')
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('details', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('resolved_by', 'text')
          .addColumn('resolution', 'text')
          .execute();
        await db.schema
          .createIndex('exceptions_store_open')
          .on('exceptions')
          .columns(['store_id', 'resolved_at'])
          .execute();
      },
    },
    '0002-drops-promos': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('members')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('tiers', 'text', (c) => c.notNull())
          .addColumn('phone_hash', 'text')
          .addColumn('email_hash', 'text')
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('members_store_version')
          .on('members')
          .columns(['store_id', 'version'])
          .execute();

        await db.schema
          .createTable('drops')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('starts_at', 'text', (c) => c.notNull())
          .addColumn('ends_at', 'text', (c) => c.notNull())
          .addColumn('access', 'text', (c) => c.notNull())
          .addColumn('per_customer_limit', 'integer')
          .addColumn('restock_at', 'text')
          .addColumn('allotment_mode', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('drops_store_version')
          .on('drops')
          .columns(['store_id', 'version'])
          .execute();
        await db.schema
          .createTable('drop_items')
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('quantity', 'integer', (c) => c.notNull())
          .addColumn('ladder', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('drop_items_pk', ['drop_id', 'sku'])
          .execute();
        // Units each till holds in escrow; every change is also written to allotment_movements.
        await db.schema
          .createTable('allotments')
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('qty', 'integer', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addPrimaryKeyConstraint('allotments_pk', ['drop_id', 'sku', 'device_id'])
          .execute();
        await db.schema
          .createTable('allotment_movements')
          .addColumn('id', 'integer', (c) =>
            engine === 'postgres'
              ? c.generatedByDefaultAsIdentity().primaryKey()
              : c.primaryKey().autoIncrement(),
          )
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('delta', 'integer', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        // Who bought, under which drop, ladder step, tier and promo code: what limits and KPIs read.
        for (const column of ['member_id', 'channel', 'campaign_id', 'promo_code']) {
          await db.schema.alterTable('sales').addColumn(column, 'text').execute();
        }
        for (const column of ['drop_id', 'access_tier']) {
          await db.schema.alterTable('sale_lines').addColumn(column, 'text').execute();
        }
        await db.schema.alterTable('sale_lines').addColumn('price_step', 'integer').execute();
        await db.schema
          .createIndex('sale_lines_drop')
          .on('sale_lines')
          .columns(['drop_id', 'sku'])
          .execute();
        await db.schema.createIndex('sales_member').on('sales').column('member_id').execute();

        await db.schema
          .createTable('campaigns')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('offer', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('starts_at', 'text', (c) => c.notNull())
          .addColumn('ends_at', 'text', (c) => c.notNull())
          .addColumn('audience', 'text', (c) => c.notNull())
          .addColumn('max_uses_per_code', 'integer')
          .addColumn('max_uses_per_customer', 'integer')
          .addColumn('budget', big)
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('promoter', 'text')
          .addColumn('promoter_cost', big, (c) => c.notNull())
          .addColumn('tills_may_issue', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('promo_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('secret', 'text')
          .addColumn('device_id', 'text')
          .addColumn('public_key', 'text')
          .addColumn('retired', 'integer', (c) => c.notNull())
          .addColumn('version', big, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('promo_codes')
          .addColumn('code', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('campaign_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('sale_id', 'text')
          .addColumn('member_id', 'text')
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('redemptions')
          .addColumn('event_id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('campaign_id', 'text', (c) => c.notNull())
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('member_id', 'text')
          .addColumn('discount', big, (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('redemptions_code').on('redemptions').column('code').execute();
        await db.schema
          .createIndex('redemptions_campaign_member')
          .on('redemptions')
          .columns(['campaign_id', 'member_id'])
          .execute();

        await db.schema
          .createTable('complaints')
          .addColumn('event_id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('complaints_sale').on('complaints').column('sale_id').execute();
      },
    },
    // What the end-of-day report, drop KPIs and exceptions inbox query (server/ledger/reports.ts, kpis*.ts, exceptions.ts).
    '0003-report-indexes': {
      async up(db: Kysely<unknown>) {
        const index = (name: string, table: string, columns: string[]) =>
          db.schema.createIndex(name).on(table).columns(columns).execute();
        // The day report reads a day's sales from the index alone (totals per till and shift, last sale).
        await index('sales_day_cover', 'sales', [
          'store_id',
          'business_date',
          'device_id',
          'shift_id',
          'device_time',
          'item_count',
          'subtotal',
          'discount_total',
          'tax',
          'total',
          'rounding',
          'cash',
          'card',
        ]);
        // Cash takings per shift, for counted-cash over/short.
        await index('sales_shift_cash', 'sales', ['shift_id', 'cash']);
        // KPIs join a drop's sales by id for time, buyer and channel without touching the table.
        await index('sales_kpi_cover', 'sales', [
          'id',
          'store_id',
          'device_time',
          'member_id',
          'channel',
          'campaign_id',
        ]);
        // Repeat purchases: a member's later sales.
        await index('sales_member_time', 'sales', ['member_id', 'device_time']);
        // Drop KPIs read a drop's lines without touching the table.
        await index('sale_lines_drop_cover', 'sale_lines', [
          'drop_id',
          'sku',
          'sale_id',
          'qty',
          'access_tier',
          'total',
        ]);
        await index('redemptions_sale', 'redemptions', ['sale_id', 'discount']);
        await index('redemptions_store_campaign', 'redemptions', [
          'store_id',
          'campaign_id',
          'member_id',
          'sale_id',
          'discount',
        ]);
        await index('exceptions_store_kind', 'exceptions', ['store_id', 'kind', 'resolved_at']);
      },
    },
    // Drop KPI rollups written by each push (server/ledger/kpi-rollups.ts), filled from the sales already held.
    '0004-kpi-rollups': {
      async up(db: Kysely<unknown>) {
        const rowid = engine === 'sqlite' ? sql`without rowid` : sql``;
        await db.schema
          .createTable('drop_sales')
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('member_id', 'text')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('campaign_id', 'text')
          .addColumn('units', big, (c) => c.notNull())
          .addColumn('revenue', big, (c) => c.notNull())
          .addColumn('first_of_sale', 'integer', (c) => c.notNull())
          .addColumn('drops', 'integer', (c) => c.notNull())
          .addColumn('next_at', 'text')
          .addPrimaryKeyConstraint('drop_sales_pk', ['drop_id', 'sku', 'sale_id'])
          .modifyEnd(rowid)
          .execute();
        await db.schema.createIndex('drop_sales_sale').on('drop_sales').column('sale_id').execute();
        await db.schema
          .createIndex('drop_sales_member')
          .on('drop_sales')
          .columns(['member_id', 'device_time'])
          .execute();
        await db.schema
          .createTable('drop_sales_minute')
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('access_tier', 'text', (c) => c.notNull())
          .addColumn('minute', 'integer', (c) => c.notNull())
          .addColumn('starts_at', 'text', (c) => c.notNull())
          .addColumn('units', big, (c) => c.notNull())
          .addPrimaryKeyConstraint('drop_sales_minute_pk', [
            'drop_id',
            'sku',
            'access_tier',
            'minute',
          ])
          .modifyEnd(rowid)
          .execute();
        await db.schema
          .createIndex('drop_sales_multi')
          .on('drop_sales')
          .columns(['drops', 'drop_id'])
          .execute();
        await db.schema
          .createTable('drop_channel_sales')
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('campaign_key', 'text', (c) => c.notNull())
          .addColumn('units', big, (c) => c.notNull())
          .addColumn('revenue', big, (c) => c.notNull())
          .addColumn('sales', big, (c) => c.notNull())
          .addColumn('nonmember_sales', big, (c) => c.notNull())
          .addPrimaryKeyConstraint('drop_channel_sales_pk', [
            'drop_id',
            'sku',
            'channel',
            'campaign_key',
          ])
          .modifyEnd(rowid)
          .execute();
        await db.schema
          .createTable('drop_members')
          .addColumn('drop_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('campaign_key', 'text', (c) => c.notNull())
          .addColumn('member_id', 'text', (c) => c.notNull())
          .addColumn('sales', big, (c) => c.notNull())
          .addPrimaryKeyConstraint('drop_members_pk', [
            'drop_id',
            'sku',
            'channel',
            'campaign_key',
            'member_id',
          ])
          .modifyEnd(rowid)
          .execute();
        await db.schema
          .createIndex('drop_members_member')
          .on('drop_members')
          .column('member_id')
          .execute();
        // The KPIs read the rollups now, not a drop's lines joined to their sales.
        await db.schema.dropIndex('sales_kpi_cover').ifExists().execute();
        await db.schema.dropIndex('sale_lines_drop_cover').ifExists().execute();
        await rebuildKpiRollups(db as Kysely<LedgerDb>, engine);
      },
    },
    // Facts judged alone and never dropped (docs/sync-rules.md): a content hash per event, a table of
    // held versions, and one fact per device sequence number.
    '0005-fact-integrity': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('events').addColumn('content_hash', 'text').execute();
        await db.schema
          .createTable('held_facts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('seq', big)
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text')
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('held_facts_device_event')
          .on('held_facts')
          .columns(['device_id', 'event_id'])
          .execute();
        await db.schema
          .createIndex('held_facts_device_seq')
          .on('held_facts')
          .columns(['device_id', 'seq'])
          .execute();
        // Before the unique index: a second fact stored under a used sequence number (the old
        // push allowed it above the watermark) moves to held_facts, the first one stays.
        const later = sql`exists (select 1 from events o where o.device_id = events.device_id
          and o.seq = events.seq and (o.received_at < events.received_at
          or (o.received_at = events.received_at and o.id < events.id)))`;
        await sql`insert into held_facts (id, event_id, device_id, store_id, seq, type, device_time,
            received_at, content_hash, payload, kind, reason)
          select 'upgrade-' || id, id, device_id, store_id, seq, type, device_time, received_at, '',
            payload, 'seq-reused', 'a second fact under this sequence number, found at upgrade'
          from events where seq > 0 and ${later}`.execute(db);
        await sql`delete from events where seq > 0 and ${later}`.execute(db);
        // What it applied stays in the figures; a manager is told so it can be settled.
        await sql`insert into exceptions (id, store_id, kind, device_id, event_id, message, details,
            created_at, resolved_at, resolved_by, resolution)
          select id, store_id, 'seq-reused', device_id, event_id,
            'A second fact under one sequence number, found and held aside at upgrade', null,
            received_at, null, null, null
          from held_facts where kind = 'seq-reused' and content_hash = ''`.execute(db);
        // Manager resolutions are stored with seq 0 under the manager: only a till's facts are numbered.
        await sql`create unique index events_device_seq_unique on events (device_id, seq) where seq > 0`.execute(
          db,
        );
      },
    },
    // Returns (issue 13, docs/sync-rules.md "Returns"): one row per sale.returned fact and one per returned line.
    '0006-returns': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('returns')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('sale_known', 'integer', (c) => c.notNull())
          .addColumn('return_number', 'text', (c) => c.notNull())
          .addColumn('sale_receipt_number', 'text', (c) => c.notNull())
          .addColumn('shift_id', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('refund_total', big, (c) => c.notNull())
          .addColumn('cash', big, (c) => c.notNull())
          .addColumn('card', big, (c) => c.notNull())
          .addColumn('store_credit', big, (c) => c.notNull())
          .addColumn('tenders', 'text', (c) => c.notNull())
          .addColumn('item_count', big, (c) => c.notNull())
          .addColumn('exchange_sale_id', 'text')
          .addColumn('override_by', 'text')
          .addColumn('override_reason', 'text')
          .execute();
        await db.schema
          .createIndex('returns_store_day')
          .on('returns')
          .columns(['store_id', 'business_date', 'device_id'])
          .execute();
        await db.schema.createIndex('returns_sale').on('returns').column('sale_id').execute();
        await db.schema.createIndex('returns_shift').on('returns').column('shift_id').execute();
        await db.schema
          .createTable('return_lines')
          .addColumn('return_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('line_no', 'integer', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('qty', big, (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('condition', 'text', (c) => c.notNull())
          .addColumn('refund', big, (c) => c.notNull())
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('drop_id', 'text')
          .addColumn('access_tier', 'text')
          .addColumn('device_time', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('return_lines_sale_line')
          .on('return_lines')
          .columns(['sale_id', 'line_no'])
          .execute();
        await db.schema
          .createIndex('return_lines_drop')
          .on('return_lines')
          .columns(['drop_id', 'device_time'])
          .execute();
      },
    },
    // Store credit and exchanges (issue 13, docs/sync-rules.md "Store credit", "Exchanges", "Other tills' sales"):
    // credit notes and what was spent from them, exchange tenders, and each sale's pull version.
    '0007-store-credit': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('credit_notes')
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('amount', big, (c) => c.notNull())
          .addColumn('return_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('last_activity_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('credit_notes_pk', ['store_id', 'code'])
          .execute();
        await db.schema
          .createIndex('credit_notes_activity')
          .on('credit_notes')
          .columns(['store_id', 'last_activity_at'])
          .execute();
        await db.schema
          .createTable('credit_spends')
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('tender_no', 'integer', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('amount', big, (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('device_time', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('credit_spends_pk', ['sale_id', 'tender_no'])
          .execute();
        await db.schema
          .createIndex('credit_spends_code')
          .on('credit_spends')
          .columns(['store_id', 'code'])
          .execute();
        await db.schema
          .createTable('exchange_tenders')
          .addColumn('sale_id', 'text', (c) => c.notNull())
          .addColumn('tender_no', 'integer', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('return_id', 'text', (c) => c.notNull())
          .addColumn('amount', big, (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('exchange_tenders_pk', ['sale_id', 'tender_no'])
          .execute();
        await db.schema
          .createIndex('exchange_tenders_return')
          .on('exchange_tenders')
          .column('return_id')
          .execute();
        await db.schema
          .createIndex('returns_exchange_sale')
          .on('returns')
          .column('exchange_sale_id')
          .execute();
        // Older sales were all cash and card, and carry version 0: a full pull still sends them.
        for (const column of ['store_credit', 'exchange', 'version'])
          await db.schema
            .alterTable('sales')
            .addColumn(column, big, (c) => c.notNull().defaultTo(0))
            .execute();
        await db.schema
          .createIndex('sales_store_version')
          .on('sales')
          .columns(['store_id', 'version'])
          .execute();
        await db.schema
          .createIndex('sales_store_receipt')
          .on('sales')
          .columns(['store_id', 'receipt_number'])
          .execute();
      },
    },
    // Managers' ledger credentials (issue 15, docs/threat-model.md): a password set by the admin,
    // never pulled to tills, and manager sessions bound to the till they were opened on.
    '0008-manager-credentials': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('manager_passwords')
          .addColumn('staff_id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.alterTable('manager_sessions').addColumn('device_id', 'text').execute();
      },
    },
    // Issue 15: campaigns that take only their signed QR, and promo keys withdrawn for good
    // (a retired key still verifies the codes made with it; a revoked one verifies nothing).
    '0009-promo-signed-only-revoked-keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('campaigns')
          .addColumn('signed_only', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('promo_keys')
          .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    // Member contacts hashed with a secret per store (issue 15): the old SHA-256(storeId:contact)
    // fell to a search of every phone number in seconds. The contacts were never kept, so each
    // stored hash is re-keyed as it stands (the new hash is keyed scrypt of that old digest), and
    // members are bumped so tills pull the new hashes with the key.
    '0010-member-contact-keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('store_secrets')
          .addColumn('store_id', 'text', (c) => c.primaryKey())
          .addColumn('member_key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        const ledger = db as unknown as Kysely<LedgerDb>;
        const members = await ledger
          .selectFrom('members')
          .select(['id', 'store_id', 'phone_hash', 'email_hash'])
          .where((eb) =>
            eb.or([eb('phone_hash', 'is not', null), eb('email_hash', 'is not', null)]),
          )
          .execute();
        if (members.length === 0) return;
        const now = new Date();
        const rekey = async (key: string, hash: string | null) =>
          hash === null ? null : keyedDigest(key, hash);
        const version = await nextVersion(ledger);
        for (const m of members) {
          const key = await memberKeyOf(ledger, m.store_id, now);
          await ledger
            .updateTable('members')
            .set({
              phone_hash: await rekey(key, m.phone_hash),
              email_hash: await rekey(key, m.email_hash),
              version,
            })
            .where('id', '=', m.id)
            .execute();
        }
      },
    },
  };
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations() {
    return {
      ...migrations(this.engine),
      ...hubMigrations(this.engine),
      ...ingestMigrations(this.engine),
    };
  }
}

/**
 * Bring the database to the newest schema (or to `target`, for upgrade tests). Throws (and the
 * ledger does not start) if a migration fails.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  engine: Engine,
  schema?: string,
  target?: string,
): Promise<string[]> {
  // Name the schema: otherwise Kysely finds another schema's migration tables and skips making its own.
  const migrator = new Migrator({
    db,
    provider: new InCodeProvider(engine),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await (target
    ? migrator.migrateTo(target)
    : migrator.migrateToLatest());
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** For tests and tools: the SQL engine's own name for a quick health check. */
export async function ping(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
