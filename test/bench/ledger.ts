// Ledger ingest bench: sale lines per second pushed over HTTP to a ledger in its own process (SQLite; PostgreSQL when DATABASE_URL is set), beside PouchDB replicating the same sales.
//
// Run alone with `npm run bench -- --only ledger` (or `npx tsx test/bench/ledger.ts`).
// A figure under target prints MISS and is not a failure; it throws only when it could not
// measure (a ledger that does not start, a push refused or a sale not accepted).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { LEDGER_NODE_ARGS } from '../../scripts/ledger-node-args.mjs';
import type { EventEnvelope } from '../../shared/events';
import { LEDGER_MAX_PUSH_EVENTS, MAX_PUSH_EVENTS, type PushResponse } from '../../shared/sync';
import { chunk, makeSales } from '../ledger/fixtures';
import { judgingFloorSeconds, storageFloorSeconds } from './ledger-floor';

const SALES = 10_000;
const LINES_PER_SALE = 3;
/** The push size in the issue's figures: what a till sends an older ledger (MAX_PUSH_EVENTS). */
const BATCH = 500;
/** What one push to the ledger may hold (a hub, an imported file, or a till with a backlog talking to this ledger). */
const BIG_BATCH = LEDGER_MAX_PUSH_EVENTS;
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
  /** The ledger processes' CPU ms per push in each run of a ledger figure, highest first. */
  cpuPerPush: Record<string, number[]>;
  entries: BenchEntry[];
}

interface Ledger {
  url: string;
  storeId: string;
  /** CPU time (user + system, ms) the ledger process has used so far. */
  cpuMs: () => number;
  close: () => Promise<void>;
}

/** A process's user + system CPU time in ms, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
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
    [...LEDGER_NODE_ARGS, 'server/main.ts', '--demo', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: ledgerEnv(databaseUrl),
    },
  );
  const store = waitFor(child, /Demo store "([^"]+)"/, 'the ledger');
  const [, url] = await waitFor(child, /PopTill ledger on (http:\/\/[^/\s]+)/, 'the ledger');
  const [, storeId] = await store;
  return {
    url: url!,
    storeId: storeId!,
    cpuMs: () => processCpuMs(child.pid),
    close: () => stop(child),
  };
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

async function loadTill(
  ledger: Ledger,
  name: string,
  sales: number,
  seed: number,
  batch = BATCH,
): Promise<LoadedTill> {
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
    bodies: chunk(events, batch).map((b: EventEnvelope[]) => JSON.stringify({ events: b })),
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

/** One timed run: seconds for every till to push its share, and the ledgers' CPU ms per push. */
interface Run {
  seconds: number;
  cpuPerPush: number;
}

/** One timed run on fresh ledger processes: every till pushes its share in pushes of `batch`, tills at once (spread over the processes). */
async function timeOneRun(
  engine: 'sqlite' | 'postgres',
  tills: number,
  processes = 1,
  batch = BATCH,
): Promise<Run> {
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
      loaded.push(await loadTill(first, `Till ${i + 1}`, SALES / tills, 1_000 + i, batch));
    const cpuBefore = ledgers.reduce((n, l) => n + l.cpuMs(), 0);
    const began = performance.now();
    await Promise.all(loaded.map((till, i) => pushAll(ledgers[i % processes]!.url, till)));
    const seconds = (performance.now() - began) / 1000;
    const pushes = loaded.reduce((n, t) => n + t.bodies.length, 0);
    const cpu = ledgers.reduce((n, l) => n + l.cpuMs(), 0) - cpuBefore;
    return { seconds, cpuPerPush: cpu / pushes };
  } finally {
    for (const l of ledgers) await l.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function median(
  label: string,
  once: () => Promise<number | Run>,
  runs: Record<string, number[]>,
  cpu?: Record<string, number[]>,
) {
  const times: number[] = [];
  const cpuPerPush: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const run = await once();
    times.push(typeof run === 'number' ? run : run.seconds);
    if (typeof run !== 'number') cpuPerPush.push(run.cpuPerPush);
    process.stdout.write('.');
  }
  times.sort((a, b) => b - a);
  runs[label] = times;
  if (cpu && cpuPerPush.length > 0) cpu[label] = cpuPerPush.sort((a, b) => b - a);
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
      e.unit === 'x' || e.unit.startsWith('ms')
        ? e.value.toFixed(e.unit === 'x' ? 2 : 1)
        : Math.round(e.value).toLocaleString('en-IE'),
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
    `\nPopTill ledger ingest · ${SALES.toLocaleString('en-IE')} sales × ${LINES_PER_SALE} lines over HTTP · pushes of ${BATCH} (the issue's; a till sends an older ledger MAX_PUSH_EVENTS ${MAX_PUSH_EVENTS}) unless named push-${BIG_BATCH} (what a till with a backlog sends this ledger, gzip on the wire) · ledger in its own process · median of ${ROUNDS} runs`,
  );
  console.log(
    `Machine: ${machine.cpu} · ${machine.cores} cores · Node ${machine.node} · load (1 min) ${machine.loadBefore.toFixed(1)} before, ${machine.loadAfter.toFixed(1)} after${machine.loadAfter > machine.cores ? ' — busy machine, expect low figures' : ''}\n`,
  );
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
  console.log(
    `  ledger.sqlite.storage-floor: the same sales' rows (events, sales, sale lines, stock levels) written with prepared statements in one transaction per push of ${BATCH}, no HTTP and no judging — no push can beat it`,
  );
  console.log(
    `  ledger.sqlite.judging-floor: the same pushes parsed and judged by the ledger's own code (shape, envelope, content hash, dedupe lookups, payload schema, the sale audit), nothing written, no HTTP; judging+storage-floor: the two together, the bound on any push here`,
  );
  for (const [label, times] of Object.entries(report.runs)) {
    const cpu = report.cpuPerPush[label];
    const perPush = cpu
      ? ` (ledger CPU per push: ${cpu.map((c) => `${c.toFixed(0)} ms`).join(' · ')})`
      : '';
    console.log(`  ${label}: ${times.map((t) => `${t.toFixed(2)} s`).join(' · ')}${perPush}`);
  }
}

/** Measure every figure; print and return them. */
export async function runLedgerBench(): Promise<LedgerBenchReport> {
  const loadBefore = loadavg()[0]!;
  const lines = SALES * LINES_PER_SALE;
  const runs: Record<string, number[]> = {};
  const cpuPerPush: Record<string, number[]> = {};
  const entries: BenchEntry[] = [];
  const rate = (name: string, seconds: number, target: number | null) =>
    entries.push({
      name,
      value: lines / seconds,
      unit: 'sale lines/s',
      target,
      ratio: target === null ? null : lines / seconds / target,
    });
  /** A ledger figure: its rate, and the median CPU the ledger spent per push (not a target, a diagnosis). */
  const ledgerFigure = async (name: string, target: number | null, once: () => Promise<Run>) => {
    const seconds = await median(name, once, runs, cpuPerPush);
    rate(name, seconds, target);
    const cpu = cpuPerPush[name] ?? [];
    const mid = cpu[Math.floor(cpu.length / 2)];
    if (mid !== undefined && Number.isFinite(mid))
      entries.push({
        name: `${name}.cpu-per-push`,
        value: mid,
        unit: 'ms CPU/push',
        target: null,
        ratio: null,
      });
    return seconds;
  };

  // The targets are about the 10,000 sales, whatever the push size: both are shown, each named.
  const sqlite1 = await ledgerFigure('ledger.sqlite.1-till', TARGETS.sqlite1, () =>
    timeOneRun('sqlite', 1),
  );
  const sqlite1Big = await ledgerFigure(
    `ledger.sqlite.1-till.push-${BIG_BATCH}`,
    TARGETS.sqlite1,
    () => timeOneRun('sqlite', 1, 1, BIG_BATCH),
  );
  // 20 tills × 500 sales: each till's share is one push of 500 either way.
  await ledgerFigure('ledger.sqlite.20-tills', TARGETS.sqlite20, () => timeOneRun('sqlite', TILLS));
  // Not a target: the fastest any push could be, given the rows the ledger keeps (see ledger-floor.ts).
  const floor = await median(
    'ledger.sqlite.storage-floor',
    () => storageFloorSeconds(SALES, LINES_PER_SALE, BATCH),
    runs,
  );
  rate('ledger.sqlite.storage-floor', floor, null);
  // Nor this: deciding what the same pushes hold, with nothing written (see ledger-floor.ts).
  const judging = await median(
    'ledger.sqlite.judging-floor',
    () => judgingFloorSeconds(SALES, LINES_PER_SALE, BATCH),
    runs,
  );
  rate('ledger.sqlite.judging-floor', judging, null);
  // A push must both judge and write: together they bound any push on this machine.
  rate('ledger.sqlite.judging+storage-floor', judging + floor, null);
  if (process.env.DATABASE_URL) {
    await ledgerFigure('ledger.postgres.1-till', TARGETS.postgres1, () =>
      timeOneRun('postgres', 1),
    );
    await ledgerFigure(`ledger.postgres.1-till.push-${BIG_BATCH}`, TARGETS.postgres1, () =>
      timeOneRun('postgres', 1, 1, BIG_BATCH),
    );
    await ledgerFigure('ledger.postgres.2-processes.20-tills', null, () =>
      timeOneRun('postgres', TILLS, 2),
    );
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
  for (const [name, ledger, pouch, target] of [
    [
      'ledger.sqlite-1-till÷pouchdb.default-batch',
      sqlite1,
      pouchDefault,
      RATIO_TARGETS.pouchDefault,
    ],
    ['ledger.sqlite-1-till÷pouchdb.batch-1000', sqlite1, pouch1000, RATIO_TARGETS.pouch1000],
    [
      `ledger.sqlite-1-till.push-${BIG_BATCH}÷pouchdb.default-batch`,
      sqlite1Big,
      pouchDefault,
      RATIO_TARGETS.pouchDefault,
    ],
    [
      `ledger.sqlite-1-till.push-${BIG_BATCH}÷pouchdb.batch-1000`,
      sqlite1Big,
      pouch1000,
      RATIO_TARGETS.pouch1000,
    ],
  ] as const) {
    const value = pouch / ledger;
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
    cpuPerPush,
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
