// Public drop page bench: a crowd of phones on the drop page in stepped load (~30 s, loopback only) against a ledger in its own process, and one till's push/pull p95 idle versus under that load.
//
// Run alone with `npm run bench -- --only public` (or `npx tsx test/bench/public.ts`). The crowd
// runs in a worker thread (its own event loop), the till's timings on this one. Phones come from
// many addresses (X-Forwarded-For through a trusted proxy, as behind a load balancer), so the
// per-address limit is not what stops them: the figures are what is served and what is shed.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { makeSales } from '../ledger/fixtures';
import { enrolTillOn, spawnLedger, stopLedger } from '../ledger/process';
import type { BenchEntry } from './ledger';

/** Phones requesting at once in each step, each step this long. */
const STEPS = [8, 32, 128, 512];
const STEP_MS = 7_500;
const IDLE_MS = 8_000;
/** The till pushes one sale and pulls every this often (a busy stall's rhythm). */
const TILL_EVERY_MS = 250;
/** Till push/pull p95 under the crowd ÷ idle: the issue's goal. */
const RATIO_TARGET = 2;

const entry = (name: string, value: number, unit: string, target: number | null = null) => ({
  name,
  value,
  unit,
  target,
  ratio: target == null ? null : value / target,
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/**
 * The crowd, as a worker: `concurrency` phones each fetching the store page, a drop page and the
 * JSON back to back (half revalidating with the ETag they hold), waiting out a 503's Retry-After
 * as the page's script does: far harsher than people refreshing, who pause to read.
 */
const CROWD = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, storeId, dropId } = workerData;
const pages = ['/s/' + storeId, '/s/' + storeId + '/drops/' + dropId, '/api/v1/public/stores/' + storeId + '/drops'];
let running = 0, stop = false, stats = null, seq = 0;
const fresh = () => ({ served: 0, notModified: 0, shed: 0, limited: 0, failed: 0, ms: [] });
async function phone(id) {
  const tags = {};
  while (!stop && id < running) {
    const page = pages[seq++ % pages.length];
    const headers = { 'x-forwarded-for': '10.' + ((id >> 8) & 255) + '.' + (id & 255) + '.' + (seq % 200 + 1) };
    if (tags[page] && seq % 2) headers['if-none-match'] = tags[page];
    const t = performance.now();
    try {
      const res = await fetch(url + page, { headers });
      await res.arrayBuffer();
      const ms = performance.now() - t;
      const s = stats;
      if (res.status === 200) { s.served++; s.ms.push(ms); tags[page] = res.headers.get('etag'); }
      else if (res.status === 304) { s.notModified++; s.ms.push(ms); }
      else if (res.status === 503) s.shed++;
      else if (res.status === 429) s.limited++;
      else s.failed++;
      // As the page's script does: a shed or limited phone waits what Retry-After says.
      if (res.status === 503 || res.status === 429)
        await new Promise((r) => setTimeout(r, 1000 * (Number(res.headers.get('retry-after')) || 2)));
    } catch { stats.failed++; await new Promise((r) => setTimeout(r, 50)); }
  }
}
parentPort.on('message', (m) => {
  if (m.type === 'step') {
    stats = fresh();
    const before = running; running = m.concurrency;
    for (let i = before; i < running; i++) phone(i);
  } else if (m.type === 'read') {
    parentPort.postMessage(stats); stats = fresh();
  } else if (m.type === 'stop') { stop = true; running = 0; setTimeout(() => process.exit(0), 200); }
});
`;

interface StepStats {
  served: number;
  notModified: number;
  shed: number;
  limited: number;
  failed: number;
  ms: number[];
}

export interface PublicBenchReport {
  machine: { cpu: string; cores: number; node: string; loadBefore: number; loadAfter: number };
  steps: {
    concurrency: number;
    servedPerSecond: number;
    p95Ms: number;
    shedShare: number;
    limited: number;
    failed: number;
  }[];
  till: { idle: { push: number; pull: number }; loaded: { push: number; pull: number } };
  entries: BenchEntry[];
}

export async function runPublicBench(): Promise<PublicBenchReport> {
  const loadBefore = loadavg()[0]!;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-public-bench-'));
  const ledger = await spawnLedger({
    dataDir,
    args: ['--host', '127.0.0.1', '--trust-proxy', '127.0.0.1'],
    env: { LOG_LEVEL: 'warn' },
  });
  let crowd: Worker | null = null;
  try {
    const till = await enrolTillOn(ledger, 'Bench till');
    let seq = 0;
    let cursor: string | undefined;
    const pull = async () => {
      const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const res = await ledger.call<{ cursor: string }>('GET', `/api/v1/sync/pull${q}`, till.token);
      if (res.status !== 200) throw new Error(`pull answered ${res.status}`);
      cursor = res.body.cursor;
    };
    await pull();
    const public0 = await ledger.call<{ drops: { id: string; phase: string }[] }>(
      'GET',
      `/api/v1/public/stores/${ledger.storeId}/drops`,
    );
    const dropId = public0.body.drops.find((d) => d.phase === 'live')?.id;
    if (!dropId) throw new Error('the demo store has no live drop to put on the page');

    /** The till's rhythm for `ms`: push one sale, pull, wait; each call timed. */
    const tillFor = async (ms: number) => {
      const push: number[] = [];
      const pulls: number[] = [];
      const end = performance.now() + ms;
      while (performance.now() < end) {
        seq += 1;
        const events = makeSales(till.deviceId, till.prefix, 1, {
          seed: seq,
          startSeq: seq,
          at: new Date(Date.now() - 60_000),
        });
        let t = performance.now();
        const res = await ledger.call<{ results: { status: string }[] }>(
          'POST',
          '/api/v1/sync/push',
          till.token,
          { events },
        );
        push.push(performance.now() - t);
        if (res.status !== 200 || res.body.results[0]?.status !== 'accepted')
          throw new Error(`push answered ${res.status}: ${JSON.stringify(res.body)}`);
        t = performance.now();
        await pull();
        pulls.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, TILL_EVERY_MS));
      }
      return { push: percentile(push, 95), pull: percentile(pulls, 95) };
    };

    process.stdout.write('Till idle… ');
    await tillFor(2_000); // warm-up
    const idle = await tillFor(IDLE_MS);
    console.log(`push p95 ${idle.push.toFixed(1)} ms, pull p95 ${idle.pull.toFixed(1)} ms`);

    const worker = new Worker(CROWD, {
      eval: true,
      workerData: { url: ledger.url, storeId: ledger.storeId, dropId },
    });
    crowd = worker;
    const read = () =>
      new Promise<StepStats>((done) => {
        worker.once('message', done);
        worker.postMessage({ type: 'read' });
      });
    const steps: PublicBenchReport['steps'] = [];
    const tillUnderLoad = tillFor(STEPS.length * STEP_MS);
    for (const concurrency of STEPS) {
      worker.postMessage({ type: 'step', concurrency });
      const began = performance.now();
      await new Promise((r) => setTimeout(r, STEP_MS));
      const s = await read();
      const seconds = (performance.now() - began) / 1000;
      const answered = s.served + s.notModified;
      const step = {
        concurrency,
        servedPerSecond: answered / seconds,
        p95Ms: percentile(s.ms, 95),
        shedShare: s.shed / Math.max(1, answered + s.shed + s.limited + s.failed),
        limited: s.limited,
        failed: s.failed,
      };
      steps.push(step);
      console.log(
        `  ${String(concurrency).padStart(4)} phones: ${step.servedPerSecond.toFixed(0)} served/s (${s.notModified} were 304), p95 ${step.p95Ms.toFixed(1)} ms, shed ${(step.shedShare * 100).toFixed(1)}%, 429 ${s.limited}, failed ${s.failed}`,
      );
    }
    const loaded = await tillUnderLoad;
    worker.postMessage({ type: 'stop' });
    crowd = null;
    console.log(
      `Till under the crowd: push p95 ${loaded.push.toFixed(1)} ms, pull p95 ${loaded.pull.toFixed(1)} ms`,
    );

    const peak = steps.reduce((a, b) => (b.servedPerSecond > a.servedPerSecond ? b : a));
    const last = steps[steps.length - 1]!;
    const entries: BenchEntry[] = [
      entry('public page served at peak (req/s)', peak.servedPerSecond, 'req/s'),
      ...steps.map((st) => entry(`public page p95 at ${st.concurrency} phones`, st.p95Ms, 'ms')),
      entry(`public page shed share at ${last.concurrency} phones`, last.shedShare * 100, '%'),
      entry('till push p95, idle', idle.push, 'ms'),
      entry('till push p95, under the public crowd', loaded.push, 'ms'),
      entry('till pull p95, idle', idle.pull, 'ms'),
      entry('till pull p95, under the public crowd', loaded.pull, 'ms'),
      entry('till push p95 crowd ÷ idle', loaded.push / idle.push, 'ratio', RATIO_TARGET),
      entry('till pull p95 crowd ÷ idle', loaded.pull / idle.pull, 'ratio', RATIO_TARGET),
    ];
    return {
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown CPU',
        cores: cpus().length,
        node: process.version,
        loadBefore,
        loadAfter: loadavg()[0]!,
      },
      steps,
      till: { idle, loaded },
      entries,
    };
  } finally {
    if (crowd) await crowd.terminate();
    await stopLedger(ledger);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await runPublicBench();
  for (const e of report.entries)
    console.log(
      `${e.name}: ${e.value.toFixed(2)} ${e.unit}${e.ratio == null ? '' : ` (×${e.ratio.toFixed(2)} of target)`}`,
    );
}
