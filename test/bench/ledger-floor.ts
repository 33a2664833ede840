// The storage floor of ledger ingest on SQLite: the rows the ledger keeps for 10,000 sales (events, sales, sale lines, stock levels; movements where a schema keeps them), written with prepared statements and no judging at all, in transactions of one push each, durable as the ledger writes them.
//
// A push can never be faster than writing its own rows; this figure says how far the ledger's
// schema (its indexes included) leaves any target. The rows are the ledger's own: the sales are
// pushed once through applyPush and read back, then written again into a fresh database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/db/database';
import { loadDemo } from '../../server/demo';
import { applyPush } from '../../server/ledger/push';
import { judgeBatch } from '../../server/ledger/push-judge';
import { chunk, enrolTill, makeSales, startLedger } from '../ledger/fixtures';

type Row = Record<string, unknown>;

/** The rows one push stores, per table, read back from a ledger that took the sales. */
async function ledgerRows(sales: number, linesPerSale: number, batch: number) {
  const ledger = await startLedger('sqlite');
  try {
    const till = await enrolTill(ledger, 'Floor till');
    const events = makeSales(till.deviceId, till.prefix, sales, { seed: 7, linesPerSale });
    const device = { id: till.deviceId, storeId: till.storeId };
    for (const b of chunk(events, batch)) await applyPush(ledger.database.db, 'sqlite', device, b);
    const { db } = ledger.database;
    const ofTill = (table: 'events' | 'sales') =>
      db
        .selectFrom(table as 'events')
        .selectAll()
        .where('device_id', '=', till.deviceId)
        .execute() as Promise<Row[]>;
    const stored = {
      events: await ofTill('events'),
      sales: await ofTill('sales'),
      lines: (await db.selectFrom('sale_lines').selectAll().execute()) as Row[],
      // None since migration 0012 (a sale's movements are its lines); kept for older schemas.
      movements: (await db
        .selectFrom('stock_movements')
        .selectAll()
        .where('kind', '=', 'sale')
        .execute()) as Row[],
    };
    return { ...stored, storeId: till.storeId, deviceId: till.deviceId };
  } finally {
    await ledger.close();
  }
}

/** Seconds to write the rows of `sales` sales into a fresh ledger database, one transaction per push of `batch`. */
export async function storageFloorSeconds(
  sales: number,
  linesPerSale: number,
  batch: number,
): Promise<number> {
  const rows = await ledgerRows(sales, linesPerSale, batch);
  const dir = mkdtempSync(path.join(tmpdir(), 'poptill-bench-floor-'));
  try {
    const fresh = await openDatabase({ dataDir: dir });
    await loadDemo(fresh.db);
    await fresh.close();
    const sqlite = new SQLite(path.join(dir, 'ledger.sqlite'));
    // As the ledger opens it: WAL, and every commit on disk before it returns.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    try {
      const insert = (table: string, sample: Row) => {
        const columns = Object.keys(sample);
        const statement = sqlite.prepare(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
        );
        return (row: Row) => statement.run(row);
      };
      const putEvent = insert('events', rows.events[0]!);
      const putSale = insert('sales', rows.sales[0]!);
      const putLine = insert('sale_lines', rows.lines[0]!);
      const level = sqlite.prepare(
        `insert into stock_levels (store_id, sku, qty, version) values (?, ?, ?, 1)
         on conflict (store_id, sku) do update set qty = stock_levels.qty + excluded.qty, version = excluded.version`,
      );
      const { id: _id, ...movementSample } = rows.movements[0] ?? { id: 0 };
      const putMovement =
        rows.movements.length > 0 ? insert('stock_movements', movementSample) : null;
      const movesOf = new Map<unknown, Row[]>();
      for (const m of rows.movements) {
        const { id: _, ...row } = m;
        movesOf.set(m.ref, [...(movesOf.get(m.ref) ?? []), row]);
      }
      const linesOf = new Map<unknown, Row[]>();
      for (const l of rows.lines) linesOf.set(l.sale_id, [...(linesOf.get(l.sale_id) ?? []), l]);
      const salesOf = new Map(rows.sales.map((s) => [s.id, s]));
      const push = sqlite.transaction((events: Row[]) => {
        const bySku = new Map<string, number>();
        for (const e of events) {
          putEvent(e);
          putSale(salesOf.get(e.id) as Row);
          for (const l of linesOf.get(e.id) ?? []) {
            putLine(l);
            bySku.set(l.sku as string, (bySku.get(l.sku as string) ?? 0) - Number(l.qty));
          }
          for (const m of movesOf.get(e.id) ?? []) putMovement?.(m);
        }
        for (const [sku, qty] of bySku) level.run(rows.storeId, sku, qty);
      });
      const began = performance.now();
      for (const b of chunk(rows.events, batch)) push(b);
      return (performance.now() - began) / 1000;
    } finally {
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Seconds to judge the same 10,000 sales as pushes of `batch` and write nothing: each push body
 * read from its bytes and parsed, then the ledger's own judging (shape, envelope, content hash,
 * the dedupe lookups, payload schema, ownership, the sale audit's arithmetic) in a read
 * transaction of a fresh SQLite ledger, in process: no HTTP, no rows written. No push can be
 * faster than deciding what it holds.
 */
export async function judgingFloorSeconds(
  sales: number,
  linesPerSale: number,
  batch: number,
): Promise<number> {
  const ledger = await startLedger('sqlite');
  try {
    const till = await enrolTill(ledger, 'Judging floor till');
    const events = makeSales(till.deviceId, till.prefix, sales, { seed: 7, linesPerSale });
    const bodies = chunk(events, batch).map((b) => Buffer.from(JSON.stringify({ events: b })));
    const ctx = {
      deviceId: till.deviceId,
      storeId: till.storeId,
      watermark: 0,
      revoked: false,
      receivedAt: new Date().toISOString(),
    };
    const { db } = ledger.database;
    const began = performance.now();
    for (const body of bodies) {
      const { events: raw } = JSON.parse(body.toString('utf8')) as { events: unknown[] };
      const verdicts = await db.transaction().execute((trx) => judgeBatch(trx, raw, ctx));
      if (verdicts.accepted.length !== raw.length)
        throw new Error(`the judging floor refused a sale: ${JSON.stringify(verdicts.results)}`);
    }
    return (performance.now() - began) / 1000;
  } finally {
    await ledger.close();
  }
}
