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
async function ensureCatalog() {
  if (!outOfDate(CATALOG, ['scripts', 'shared'])) return;
  console.log(`Generating ${CATALOG}…`);
  await run('npx', `tsx scripts/generate-catalog.ts --large ${SKUS} --out ${CATALOG}`.split(' '));
}

async function ensureBuild() {
  if (!outOfDate('dist/renderer/index.html', ['renderer', 'shared', 'assets', 'vite.config.ts'])) {
    return;
  }
  console.log('Building the renderer (dist/renderer is missing or older than its sources)…');
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

async function main() {
  const began = performance.now();
  const loadBefore = loadavg()[0];
  await ensureCatalog();
  await ensureBuild();
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
  if (catalog.products.length !== SKUS)
    throw new Error(`${CATALOG} has ${catalog.products.length} products, not ${SKUS}`);
  const work = drawWork(catalog);

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

    process.stdout.write('Loading the catalog… ');
    const catalogLoadMs = await setUpTill(page, url, resolve(CATALOG), SKUS);
    console.log(`${(catalogLoadMs / 1000).toFixed(2)} s`);
    // Collect the import's garbage (the parsed 12 MB file) now: otherwise its major GC pauses
    // land in the first scans, and we want steady selling, not the minute after an import.
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(installProbes);

    process.stdout.write('Measuring ');
    const results = {};
    for (const key of Object.keys(FIGURES)) results[key] = await measure(page, key, work[key]);
    console.log();

    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      chromium: `Chromium ${product.split('/').pop()}`,
      node: process.version,
      loadBefore,
      loadAfter: loadavg()[0],
    };
    printTable(results, { ...machine, catalogLoadMs });
    const seconds = (performance.now() - began) / 1000;
    console.log(
      `\nRun time ${seconds.toFixed(0)} s. Figures are in-page (performance.now) until the DOM shows the change.`,
    );
    await cleanUp();

    // Printing: receipt encode and a 100-label batch, in Node as Electron main does it (test/bench/print.ts).
    console.log('\nPrinting');
    const { runPrintBench } = await tsImport('./print.ts', import.meta.url);
    const printing = await runPrintBench();

    // The ledger's ingest rate (TypeScript, loaded through tsx).
    console.log('\nLedger ingest');
    const { runLedgerBench } = await tsImport('./ledger.ts', import.meta.url);
    const ledger = await runLedgerBench();

    // A till and a ledger together: first snapshot, deltas, a 10k-sale push (test/bench/sync.mjs).
    console.log('\nSync');
    const { runSyncBench } = await import('./sync.mjs');
    const sync = await runSyncBench({
      catalogFile: resolve(CATALOG),
    });

    // Manager reports: day report and each drop KPI at 1M sale lines on SQLite (test/bench/reports.mjs).
    console.log('\nReports');
    const { runReportsBench } = await import('./reports.mjs');
    const reports = await runReportsBench();

    await mkdir('bench-results', { recursive: true });
    const at = new Date().toISOString();
    const report = {
      at,
      skus: SKUS,
      seed: SEED,
      machine,
      catalogLoadMs,
      seconds,
      results,
      printing,
      ledger,
      sync,
      reports,
    };
    await writeFile('bench-results/bench.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log('Wrote bench-results/bench.json (every run with its input).');
  } finally {
    await cleanUp();
  }
}

let interrupted = false;

main().catch((error) => {
  if (interrupted) return; // the page went away because we closed it
  console.error(`\nThe bench could not measure: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
