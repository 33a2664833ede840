// `npm run bench`: at 50,000 SKUs in real Chromium, times scan→cart, search and sale commit against their p95 targets; then printing, ledger ingest, sync and manager reports.
//
// Speed targets live here, not in unit tests: a miss is printed as MISS and the run still
// exits 0. It exits non-zero only when it could not measure. Plain JavaScript (not tsx) so
// the page-side probes keep their source text intact for page.evaluate.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { build } from 'vite';
import { openTillBrowser } from './browser.mjs';
import { installProbes, setUpTill } from './till.mjs';

const SKUS = 50_000;
const CATALOG = `dist/bench/catalog-${SKUS / 1000}k.json`;
const SEED = 20_250_501;
/**
 * Each figure (named as its page probe): its p95 target in ms (what a cashier feels as
 * instant), how many timed runs after an untimed warm-up, and the probe that tidies up after
 * each batch (`tidy`: a void keeps the cart the size of a real basket).
 */
const FIGURES = {
  scan: { label: 'scan → cart', target: 8, runs: 200, warmUp: 10, tidy: 'voidCart' },
  search: { label: 'search', target: 15, runs: 100, warmUp: 5, tidy: 'clearSearch' },
  sale: { label: 'sale commit', target: 30, runs: 100, warmUp: 3, tidy: null },
};
const BATCH = 20;
/** Pairing or importing 50k products until the till can sell: the sync issue's target. */
const CATALOG_LOAD_TARGET_MS = 3_000;
const BIG_SKUS = 200_000;
const BIG_CATALOG = `dist/bench/catalog-${BIG_SKUS / 1000}k.json`;

/**
 * `--only till,sync` runs just those parts (till, print, ledger, sync, public, reports; all by default);
 * `--profile` also writes a Chromium CPU profile of the catalog load to bench-results/.
 * POPTILL_DIST builds and serves the renderer from another folder than dist/renderer.
 */
const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const ONLY = onlyAt >= 0 ? new Set(String(argv[onlyAt + 1] ?? '').split(',')) : null;
const wants = (part) => ONLY === null || ONLY.has(part);
const PROFILE = argv.includes('--profile');
const DIST = process.env.POPTILL_DIST ?? 'dist/renderer';

const { createRng } = await tsImport('../../shared/rng.ts', import.meta.url);

function run(command, args) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} exited ${code}`)),
    );
  });
}

/** True when `file` is missing or older than any file under `sources` (folders or files). */
function outOfDate(file, sources) {
  if (!existsSync(file)) return true;
  const madeAt = statSync(file).mtimeMs;
  const files = sources.flatMap((src) =>
    statSync(src).isDirectory()
      ? readdirSync(src, { recursive: true }).map((f) => join(src, String(f)))
      : [src],
  );
  // A file can vanish between listing and stat while others edit: it then counts as unchanged.
  return files.some((f) => (statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0) > madeAt);
}

// Regenerate and rebuild when the sources changed, so a run times today's code and schema.
async function ensureCatalog(file = CATALOG, skus = SKUS) {
  if (!outOfDate(file, ['scripts', 'shared'])) return;
  console.log(`Generating ${file}…`);
  await run('npx', `tsx scripts/generate-catalog.ts --large ${skus} --out ${file}`.split(' '));
}

async function ensureBuild() {
  if (!outOfDate(`${DIST}/index.html`, ['renderer', 'shared', 'assets', 'vite.config.ts'])) {
    return;
  }
  console.log(`Building the renderer (${DIST} is missing or older than its sources)…`);
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

/** The work for each figure, drawn with a fixed seed so runs compare like with like. */
function drawWork(catalog) {
  const rng = createRng(SEED);
  const active = catalog.products.filter((p) => p.active && p.barcodes.length > 0);
  const scanItem = () => {
    const p = rng.pick(active);
    return { code: rng.pick(p.barcodes), sku: p.sku };
  };
  const query = () => {
    const p = rng.pick(active);
    if (rng.chance(0.2)) return p.sku;
    // The app indexes words split the same way; a prefix of an active product's word finds at least it.
    const words = p.name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
    const word = words.length ? rng.pick(words) : p.sku;
    return word.slice(0, rng.int(3, Math.min(6, word.length)));
  };
  const basket = () => Array.from({ length: rng.int(1, 3) }, scanItem);
  const draw = (key, make) => Array.from({ length: FIGURES[key].warmUp + FIGURES[key].runs }, make);
  return {
    scan: draw('scan', scanItem),
    search: draw('search', query),
    sale: draw('sale', basket),
  };
}

/** Nearest-rank percentile of an ascending list. */
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

/** Time every input of one figure in the page, in batches; keep the timed runs with their inputs. */
async function measure(page, key, inputs) {
  const { tidy, warmUp, target } = FIGURES[key];
  const times = [];
  for (let i = 0; i < inputs.length; i += BATCH) {
    const batch = inputs.slice(i, i + BATCH);
    times.push(...(await page.evaluate(([p, b]) => window.__bench[p](b), [key, batch])));
    if (tidy) await page.evaluate((t) => window.__bench[t](), tidy);
    process.stdout.write('.');
  }
  const runs = times.slice(warmUp).map((ms, i) => ({ ms, input: inputs[warmUp + i] }));
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  return {
    n: runs.length,
    p50,
    p95,
    target,
    p50Ratio: p50 / target,
    p95Ratio: p95 / target,
    met: p95 <= target,
    // With their inputs (barcode, query or basket): where to start looking for a cause.
    slowest: [...runs].sort((a, b) => b.ms - a.ms).slice(0, 5),
    runs,
  };
}

function printTable(results, context) {
  const ms = (v) => v.toFixed(1);
  const rows = [
    ['figure', 'n', 'p50 ms', 'p95 ms', 'target p95', 'p50÷target', 'p95÷target', 'result'],
    ...Object.entries(results).map(([key, r]) => [
      FIGURES[key].label,
      String(r.n),
      ms(r.p50),
      ms(r.p95),
      `${r.target} ms`,
      r.p50Ratio.toFixed(2),
      r.p95Ratio.toFixed(2),
      r.met ? 'ok' : 'MISS',
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\nPopTill bench · ${SKUS.toLocaleString('en-IE')} SKUs · ${context.chromium}`);
  console.log(`Machine: ${context.cpu} · ${context.cores} cores · Node ${process.version}`);
  // Other work on the machine (another test run, a build) shows up as long tails: say how busy it was.
  const [before, after] = [context.loadBefore, context.loadAfter].map((l) => l.toFixed(1));
  console.log(
    `Load average (1 min): ${before} before, ${after} after${context.loadAfter > context.cores ? ' — busy machine, expect noisy tails' : ''}`,
  );
  console.log(
    `Catalog load (${SKUS.toLocaleString('en-IE')} products): ${(context.catalogLoadMs / 1000).toFixed(2)} s\n`,
  );
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

/** A till alone at `catalogFile`: its load, a CPU profile of it if asked, the renderer's heap. */
async function tillBench(catalogFile, skus, work) {
  let server;
  let context;
  // An on-disk profile, like a till's: an incognito context keeps IndexedDB in memory, so
  // strict-durability commits would never reach the disk.
  const profile = mkdtempSync(join(tmpdir(), 'poptill-bench-'));
  const cleanUp = async () => {
    await context?.close().catch(() => {});
    await server?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    interrupted = true;
    console.error(`\n${signal}: closing the browser and the preview server.`);
    cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const opened = await openTillBrowser(profile);
    ({ server, context } = opened);
    const { page, url } = opened;
    const cdp = await context.newCDPSession(page);
    const { product } = await cdp.send('Browser.getVersion'); // e.g. "HeadlessChrome/156.0.8078.108"

    process.stdout.write(`Loading ${skus.toLocaleString('en-IE')} products… `);
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const catalogLoadMs = await setUpTill(page, url, resolve(catalogFile), skus);
    if (PROFILE) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      await mkdir('bench-results', { recursive: true });
      const file = `bench-results/till-load-${skus / 1000}k.cpuprofile`;
      await writeFile(file, JSON.stringify(cpu));
      console.log(`(CPU profile in ${file}) `);
      printTopFunctions(cpu);
    }
    console.log(`${(catalogLoadMs / 1000).toFixed(2)} s`);
    // Collect the import's garbage (the parsed 12 MB file) now: otherwise its major GC pauses
    // land in the first scans, and we want steady selling, not the minute after an import.
    await cdp.send('HeapProfiler.collectGarbage');
    // Let the till settle (its in-memory code map warms up after the load) before measuring.
    await page.waitForTimeout(2_000);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await page.evaluate(installProbes);

    process.stdout.write('Measuring ');
    const results = {};
    for (const key of Object.keys(FIGURES)) {
      if (!work[key]) continue;
      // With --profile, each figure's own CPU profile too: where a scan, a search or a sale goes.
      if (PROFILE) await cdp.send('Profiler.start');
      results[key] = await measure(page, key, work[key]);
      if (PROFILE) {
        const { profile: cpu } = await cdp.send('Profiler.stop');
        const file = `bench-results/till-${key}-${skus / 1000}k.cpuprofile`;
        await writeFile(file, JSON.stringify(cpu));
        console.log(`\n(CPU profile of ${key} in ${file})`);
        printTopFunctions(cpu);
      }
    }
    console.log();
    // The sale commit's floor on this disk: a one-row strict transaction against a relaxed one.
    const flush = work.sale ? await page.evaluate((n) => window.__bench.flush(n), 40) : null;
    return { catalogLoadMs, heapBytes: heap.usedSize, results, flush, chromium: product };
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await cleanUp();
  }
}

/** The functions with the most self time in a CPU profile: where the load's time goes. */
function printTopFunctions(cpu) {
  const self = new Map();
  const dt = new Map(cpu.nodes.map((n) => [n.id, 0]));
  cpu.samples.forEach((id, i) => {
    dt.set(id, dt.get(id) + (cpu.timeDeltas[i] ?? 0));
  });
  for (const n of cpu.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt.get(n.id));
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  for (const [key, us] of top) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}

/** One `{name, value, unit, target, ratio}` per figure; target and ratio null when it has none. */
function entry(name, value, unit, target = null) {
  return { name, value, unit, target, ratio: target == null ? null : value / target };
}

function printEntries(entries) {
  console.log('\nFigures beside their targets');
  for (const e of entries) {
    const value =
      e.unit === 'ms'
        ? e.value.toFixed(1)
        : e.unit === 'x' || e.unit === 'ratio'
          ? e.value.toFixed(2)
          : String(Math.round(e.value));
    const target = e.target == null ? '—' : `${e.target} ${e.unit}`;
    // Rates and ratios (sale lines/s, ×) are better higher; times and sizes lower.
    const higher = e.unit.endsWith('/s') || e.unit === 'x';
    const met = higher ? e.ratio >= 1 : e.ratio <= 1;
    const verdict = e.ratio == null ? '' : met ? 'ok' : 'MISS';
    console.log(
      `  ${e.name.padEnd(42)} ${`${value} ${e.unit}`.padStart(14)}  target ${target.padStart(10)}  ${e.ratio == null ? '' : `×${e.ratio.toFixed(2)}`}  ${verdict}`,
    );
  }
}

async function main() {
  const began = performance.now();
  const loadBefore = loadavg()[0];
  const report = { at: new Date().toISOString(), skus: SKUS, seed: SEED, only: ONLY && [...ONLY] };
  const entries = [];
  await ensureCatalog();
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
  if (catalog.products.length !== SKUS)
    throw new Error(`${CATALOG} has ${catalog.products.length} products, not ${SKUS}`);
  if (wants('till') || wants('sync')) await ensureBuild();

  if (wants('till')) {
    const work = drawWork(catalog);
    const till = await tillBench(CATALOG, SKUS, work);
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      chromium: `Chromium ${till.chromium.split('/').pop()}`,
      node: process.version,
      loadBefore,
      loadAfter: loadavg()[0],
    };
    printTable(till.results, { ...machine, catalogLoadMs: till.catalogLoadMs });
    Object.assign(report, { machine, catalogLoadMs: till.catalogLoadMs, results: till.results });
    for (const [key, r] of Object.entries(till.results))
      entries.push(entry(`till ${FIGURES[key].label} p95`, r.p95, 'ms', r.target));
    if (till.flush) {
      report.flush = till.flush;
      for (const kind of ['strict', 'relaxed']) {
        const sorted = [...till.flush[kind]].sort((a, b) => a - b);
        for (const p of [50, 95])
          entries.push(
            entry(
              `till one-row ${kind} transaction p${p} (the disk flush)`,
              percentile(sorted, p),
              'ms',
            ),
          );
      }
    }
    entries.push(
      entry(`till catalog load ${SKUS / 1000}k`, till.catalogLoadMs, 'ms', CATALOG_LOAD_TARGET_MS),
      entry(`till renderer JS heap at ${SKUS / 1000}k`, till.heapBytes / 2 ** 20, 'MiB'),
    );

    // A big catalog still loads and scans (no targets of its own: the 50k ones, for comparison).
    await ensureCatalog(BIG_CATALOG, BIG_SKUS);
    const big = JSON.parse(readFileSync(BIG_CATALOG, 'utf8'));
    const bigWork = drawWork(big);
    const bigTill = await tillBench(BIG_CATALOG, BIG_SKUS, { scan: bigWork.scan.slice(0, 60) });
    report.big = {
      skus: BIG_SKUS,
      catalogLoadMs: bigTill.catalogLoadMs,
      scan: bigTill.results.scan,
    };
    console.log(
      `${BIG_SKUS.toLocaleString('en-IE')} SKUs: load ${(bigTill.catalogLoadMs / 1000).toFixed(2)} s, scan p95 ${bigTill.results.scan.p95.toFixed(1)} ms, heap ${(bigTill.heapBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    entries.push(
      entry(`till catalog load ${BIG_SKUS / 1000}k`, bigTill.catalogLoadMs, 'ms'),
      entry(`till scan → cart p95 at ${BIG_SKUS / 1000}k`, bigTill.results.scan.p95, 'ms'),
      entry(`till renderer JS heap at ${BIG_SKUS / 1000}k`, bigTill.heapBytes / 2 ** 20, 'MiB'),
    );
    console.log(
      `\nTill run time ${((performance.now() - began) / 1000).toFixed(0)} s. Figures are in-page (performance.now) until the DOM shows the change.`,
    );
  }

  if (wants('print')) {
    // Printing: receipt encode and a 100-label batch, in Node as Electron main does it (test/bench/print.ts).
    console.log('\nPrinting');
    const { runPrintBench } = await tsImport('./print.ts', import.meta.url);
    report.printing = await runPrintBench();
  }

  if (wants('ledger')) {
    // The ledger's ingest rate (TypeScript, loaded through tsx).
    console.log('\nLedger ingest');
    const { runLedgerBench } = await tsImport('./ledger.ts', import.meta.url);
    report.ledger = await runLedgerBench();
    // SQLite and PostgreSQL ingest, PouchDB replication and the ratios, each beside its target.
    entries.push(...(report.ledger.entries ?? []));
  }

  if (wants('sync')) {
    // A till and a ledger together: first snapshot, deltas, a 10k-sale push (test/bench/sync.mjs).
    console.log('\nSync');
    const { runSyncBench } = await import('./sync.mjs');
    const sync = await runSyncBench({ catalogFile: resolve(CATALOG) });
    report.sync = sync;
    const t = sync.targets;
    entries.push(
      entry(
        `sync first snapshot ${SKUS / 1000}k (pairing → ready)`,
        sync.first.ms,
        'ms',
        t.snapshot,
      ),
      entry('sync delta of 100 changes p95', sync.delta.p95, 'ms', t.delta),
      entry('sync scan → cart p95, idle', sync.idleScans.p95, 'ms', t.scan),
      entry('sync scan → cart p95 during a full snapshot', sync.again.scans.p95, 'ms', t.busyScan),
      entry('sync scan → cart p95 during a 10k-sale push', sync.push.scans.p95, 'ms', t.busyScan),
    );
  }

  if (wants('public')) {
    // The public drop page under a stepped crowd, and a till's push/pull p95 beside it (test/bench/public.ts).
    console.log('\nPublic drop page');
    const { runPublicBench } = await tsImport('./public.ts', import.meta.url);
    report.public = await runPublicBench();
    entries.push(...report.public.entries);
  }

  if (wants('reports')) {
    // Manager reports: day report and each drop KPI at 1M sale lines on SQLite (test/bench/reports.mjs).
    console.log('\nReports');
    const { runReportsBench } = await import('./reports.mjs');
    report.reports = await runReportsBench();
  }

  printEntries(entries);
  report.seconds = (performance.now() - began) / 1000;
  report.entries = entries;
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/bench.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log('Wrote bench-results/bench.json (every run with its input).');
}

let interrupted = false;

main().catch((error) => {
  if (interrupted) return; // the page went away because we closed it
  console.error(`\nThe bench could not measure: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
