// Ledger ingest bench: sale lines per second pushed over HTTP to a ledger in its own process (SQLite; PostgreSQL when DATABASE_URL is set), beside PouchDB replicating the same sales.
//
// Run alone with `npm run bench -- --only ledger` (or `npx tsx test/bench/ledger.ts`).
// A figure under target prints MISS and is not a failure; it throws only when it could not
// measure (a ledger that does not start, a push refused or a sale not accepted).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { EventEnvelope } from '../../shared/events';
import { MAX_PUSH_EVENTS, type PushResponse } from '../../shared/sync';
import { chunk, makeSales } from '../ledger/fixtures';

const SALES = 10_000;
const LINES_PER_SALE = 3;
/** The till's push size in the issue's figures (a till may send up to MAX_PUSH_EVENTS). */
const BATCH = 500;
const TILLS = 20;
const WARM_UP_SALES = 500;
/** Each ledger figure is the median of this many runs, each on a fresh ledger process and database. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN_TOKEN = 'pt_adm_bench-admin-token';
const ROOT = path.resolve(import.meta.dirname, '../..');

/** What issue 17 asks, in sale lines per second (SQLite on a 2-core machine; PostgreSQL 1 till). */
const TARGETS = { sqlite1: 50_000, sqlite20: 40_000, postgres1: 30_000 };
/** Ledger (SQLite, 1 till) ÷ PouchDB replication of the same sales. */
const RATIO_TARGETS = { pouchDefault: 5, pouch1000: 2 };

/** One line of bench-results/bench.json. */
export interface BenchEntry {
  name: string;
  value: number;
  unit: string;
  target: number | null;
  ratio: number | null;
}

export interface LedgerBenchReport {
  at: string;
  machine: { cpu: string; cores: number; node: string; loadBefore: number; loadAfter: number };
  /** Every run of each figure (seconds), slowest first. */
  runs: Record<string, number[]>;
  entries: BenchEntry[];
}

interface Ledger {
  url: string;
  storeId: string;
  close: () => Promise<void>;
}

/** Lines a child prints until `pattern` matches (or it exits first). */
function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((done, fail) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = seen.match(pattern);
      if (m) {
        child.stdout?.off('data', onData);
        done(m);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${what} exited ${code}: ${seen.slice(-500)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

function ledgerEnv(databaseUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    LEDGER_ADMIN_TOKEN: ADMIN_TOKEN,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** `npm run ledger -- --demo` in its own process, on a free port. */
async function spawnLedger(dataDir: string, databaseUrl?: string): Promise<Ledger> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--demo', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: ledgerEnv(databaseUrl),
    },
  );
  const store = waitFor(child, /Demo store "([^"]+)"/, 'the ledger');
  const [, url] = await waitFor(child, /PopTill ledger on (http:\/\/[^/\s]+)/, 'the ledger');
  const [, storeId] = await store;
  return { url: url!, storeId: storeId!, close: () => stop(child) };
}

/** A fresh PostgreSQL database beside DATABASE_URL's, dropped by the returned function. */
async function freshPostgres(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `poptill_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function call(ledger: Ledger, route: string, token: string | null, body: unknown) {
  const res = await fetch(ledger.url + route, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200)
    throw new Error(`${route} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A till with its pushes already serialised: the bench times the ledger, not JSON.stringify in the client. */
interface LoadedTill {
  token: string;
  bodies: string[];
}

async function loadTill(ledger: Ledger, name: string, sales: number, seed: number) {
  const { code } = await call(
    ledger,
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
    {},
  );
  const till = (await call(ledger, '/api/v1/devices/enroll', null, {
    pairingCode: code,
    name,
  })) as { deviceId: string; prefix: string; token: string };
  const events = makeSales(till.deviceId, till.prefix, sales, {
    seed,
    linesPerSale: LINES_PER_SALE,
  });
  return {
    token: till.token,
    bodies: chunk(events, BATCH).map((b: EventEnvelope[]) => JSON.stringify({ events: b })),
  };
}

/** Push a till's batches one after another, as its sync loop does; every sale must be accepted. */
async function pushAll(url: string, till: LoadedTill): Promise<void> {
  for (const body of till.bodies) {
    const res = await fetch(`${url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${till.token}`, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`push answered ${res.status}: ${text.slice(0, 300)}`);
    const { results } = JSON.parse(text) as PushResponse;
    const refused = results.find((r) => r.status !== 'accepted');
    if (refused) throw new Error(`a sale was not accepted: ${JSON.stringify(refused)}`);
  }
}

/** One timed run on fresh ledger processes: seconds for every till to push its share, tills pushing at once (spread over the processes). */
async function timeOneRun(
  engine: 'sqlite' | 'postgres',
  tills: number,
  processes = 1,
): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-bench-ledger-'));
  const database = engine === 'postgres' ? await freshPostgres(process.env.DATABASE_URL!) : null;
  const ledgers: Ledger[] = [];
  try {
    // One process migrates and loads the demo first; the others find it there.
    for (let i = 0; i < processes; i++) ledgers.push(await spawnLedger(dataDir, database?.url));
    const [first] = ledgers as [Ledger];
    await pushAll(first.url, await loadTill(first, 'Warm-up till', WARM_UP_SALES, 99));
    const loaded: LoadedTill[] = [];
    for (let i = 0; i < tills; i++)
      loaded.push(await loadTill(first, `Till ${i + 1}`, SALES / tills, 1_000 + i));
    const began = performance.now();
    await Promise.all(loaded.map((till, i) => pushAll(ledgers[i % processes]!.url, till)));
    return (performance.now() - began) / 1000;
  } finally {
    for (const l of ledgers) await l.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function median(label: string, once: () => Promise<number>, runs: Record<string, number[]>) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    times.push(await once());
    process.stdout.write('.');
  }
  times.sort((a, b) => b - a);
  runs[label] = times;
  return times[Math.floor(times.length / 2)]!;
}

/** PouchDB replicating SALES sale documents (the same sales, three lines each) to express-pouchdb in its own process. */
async function timePouchReplication(batchSize: number | null): Promise<number> {
  const require = createRequire(import.meta.url);
  const PouchDB = require('pouchdb-node');
  PouchDB.plugin(require('pouchdb-adapter-memory'));
  const child = spawn(process.execPath, [path.join(ROOT, 'test/bench/pouchdb-server.cjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [, url] = await waitFor(child, /pouchdb on (http:\S+)/, 'express-pouchdb');
    const name = `src_${Math.random().toString(36).slice(2)}`;
    const local = new PouchDB(name, { adapter: 'memory' });
    const sales = makeSales('01J0000000000000000BENCH00', 'B1', SALES, {
      seed: 1_000,
      linesPerSale: LINES_PER_SALE,
    });
    await local.bulkDocs(sales.map((e) => ({ _id: e.id, ...(e.payload as object) })));
    const began = performance.now();
    const result = await local.replicate.to(
      `${url}/sales`,
      batchSize === null ? {} : { batch_size: batchSize },
    );
    const seconds = (performance.now() - began) / 1000;
    if (result.docs_written !== SALES)
      throw new Error(`PouchDB wrote ${result.docs_written} of ${SALES} documents`);
    await local.destroy();
    return seconds;
  } finally {
    await stop(child);
  }
}

function printTable(report: LedgerBenchReport): void {
  const rows = [
    ['figure', 'value', 'unit', 'target', 'ratio', 'result'],
    ...report.entries.map((e) => [
      e.name,
      e.unit === 'x' ? e.value.toFixed(2) : Math.round(e.value).toLocaleString('en-IE'),
      e.unit,
      e.target === null ? '—' : e.target.toLocaleString('en-IE'),
      e.ratio === null ? '—' : e.ratio.toFixed(2),
      e.ratio === null ? '—' : e.ratio >= 1 ? 'ok' : 'MISS',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  const { machine } = report;
  console.log(
    `\nPopTill ledger ingest · ${SALES.toLocaleString('en-IE')} sales × ${LINES_PER_SALE} lines over HTTP, pushes of ${BATCH} (max ${MAX_PUSH_EVENTS}) · ledger in its own process · median of ${ROUNDS} runs`,
  );
  console.log(
    `Machine: ${machine.cpu} · ${machine.cores} cores · Node ${machine.node} · load (1 min) ${machine.loadBefore.toFixed(1)} before, ${machine.loadAfter.toFixed(1)} after${machine.loadAfter > machine.cores ? ' — busy machine, expect low figures' : ''}\n`,
  );
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
  for (const [label, times] of Object.entries(report.runs))
    console.log(`  ${label}: ${times.map((t) => `${t.toFixed(2)} s`).join(' · ')}`);
}

/** Measure every figure; print and return them. */
export async function runLedgerBench(): Promise<LedgerBenchReport> {
  const loadBefore = loadavg()[0]!;
  const lines = SALES * LINES_PER_SALE;
  const runs: Record<string, number[]> = {};
  const entries: BenchEntry[] = [];
  const rate = (name: string, seconds: number, target: number | null) =>
    entries.push({
      name,
      value: lines / seconds,
      unit: 'sale lines/s',
      target,
      ratio: target === null ? null : lines / seconds / target,
    });

  const sqlite1 = await median('ledger.sqlite.1-till', () => timeOneRun('sqlite', 1), runs);
  rate('ledger.sqlite.1-till', sqlite1, TARGETS.sqlite1);
  const sqlite20 = await median('ledger.sqlite.20-tills', () => timeOneRun('sqlite', TILLS), runs);
  rate('ledger.sqlite.20-tills', sqlite20, TARGETS.sqlite20);
  if (process.env.DATABASE_URL) {
    const pg1 = await median('ledger.postgres.1-till', () => timeOneRun('postgres', 1), runs);
    rate('ledger.postgres.1-till', pg1, TARGETS.postgres1);
    const pg2 = await median(
      'ledger.postgres.2-processes.20-tills',
      () => timeOneRun('postgres', TILLS, 2),
      runs,
    );
    rate('ledger.postgres.2-processes.20-tills', pg2, null);
  }
  const pouchDefault = await median(
    'pouchdb.replicate.default-batch',
    () => timePouchReplication(null),
    runs,
  );
  rate('pouchdb.replicate.default-batch', pouchDefault, null);
  const pouch1000 = await median(
    'pouchdb.replicate.batch-1000',
    () => timePouchReplication(1000),
    runs,
  );
  rate('pouchdb.replicate.batch-1000', pouch1000, null);
  for (const [name, pouch, target] of [
    ['ledger.sqlite-1-till÷pouchdb.default-batch', pouchDefault, RATIO_TARGETS.pouchDefault],
    ['ledger.sqlite-1-till÷pouchdb.batch-1000', pouch1000, RATIO_TARGETS.pouch1000],
  ] as const) {
    const value = pouch / sqlite1;
    entries.push({ name, value, unit: 'x', target, ratio: value / target });
  }
  console.log();
  const report: LedgerBenchReport = {
    at: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      node: process.version,
      loadBefore,
      loadAfter: loadavg()[0]!,
    },
    runs,
    entries,
  };
  printTable(report);
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLedgerBench().catch((error) => {
    console.error(
      `\nThe ledger bench could not measure: ${error instanceof Error ? error.stack : error}`,
    );
    process.exitCode = 1;
  });
}
