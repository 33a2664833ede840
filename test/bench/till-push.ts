// A till's backlog through the real sync engine to a real ledger process (SQLite): pushes as an older ledger gets them (500, plain) vs as this one does (up to 2,000, gzip), interleaved, with the bytes on the wire and the load of each run.
// Run: npx tsx test/bench/till-push.ts [sales=10000] [rounds=3] [uplink kbit/s, 0 = none]
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

// Browser mode: a window without the Electron bridge, so the device token is kept in IndexedDB.
Object.assign(globalThis, { window: globalThis });

const { getSetting, openPosDb } = await import('../../renderer/db/db');
const { SyncEngine } = await import('../../renderer/sync/engine');
const { enrolTill } = await import('../../renderer/sync/enrol');
const { envelope } = await import('../../renderer/sync/push-batch');
const { readDeviceToken } = await import('../../renderer/sync/token');
const { ADMIN_TOKEN, makeSales } = await import('../ledger/fixtures');
const { spawnLedger } = await import('../ledger/process');

const SALES = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const UPLINK_KBPS = Number(process.argv[4] ?? 0);

/**
 * A TCP proxy that lets the till's bytes through at `kbps` (the stall's Wi-Fi uplink); the
 * ledger's answers come back at full speed.
 */
async function startUplink(target: string, kbps: number) {
  const { hostname, port } = new URL(target);
  const bytesPerMs = (kbps * 1000) / 8 / 1000;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    let free = performance.now();
    client.on('data', (chunk: Buffer) => {
      client.pause();
      const now = performance.now();
      free = Math.max(free, now) + chunk.length / bytesPerMs;
      setTimeout(() => {
        upstream.write(chunk);
        client.resume();
      }, free - now);
    });
    client.on('end', () => upstream.end());
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

interface Push {
  events: number;
  encoding: string;
  wireBytes: number;
  jsonBytes: number;
}

/** The till's fetch, noting each push as sent; `older`: its answers lose pushLimits, as from a ledger older than that field. */
function tillFetch(older: boolean, pushes: Push[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!String(input).endsWith('/api/v1/sync/push')) return res;
    const body = init?.body;
    const gzip = body instanceof Uint8Array;
    const json = gzip ? gunzipSync(body) : Buffer.from(String(body));
    pushes.push({
      events: (JSON.parse(json.toString('utf8')) as { events: unknown[] }).events.length,
      encoding: gzip ? 'gzip' : 'identity',
      wireBytes: gzip ? body.length : json.length,
      jsonBytes: json.length,
    });
    if (!older || res.status !== 200) return res;
    const { pushLimits: _unsaid, ...answer } = await res.json();
    return new Response(JSON.stringify(answer), { status: 200, headers: res.headers });
  };
}

async function gzipBytes(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function run(older: boolean, round: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-till-push-'));
  const ledger = await spawnLedger({ dataDir, env: { LOG_LEVEL: 'warn' } });
  const uplink = UPLINK_KBPS > 0 ? await startUplink(ledger.url, UPLINK_KBPS) : null;
  const db = openPosDb(`till-push-${process.pid}-${round}-${older ? 'old' : 'new'}`);
  try {
    const code = await ledger.call<{ code: string }>(
      'POST',
      `/api/v1/stores/${ledger.storeId}/pairing-codes`,
      ADMIN_TOKEN,
    );
    const enrolled = await enrolTill(db, {
      url: uplink?.url ?? ledger.url,
      pairingCode: code.body.code,
      name: 'Till',
    });
    if (!enrolled.ok) throw new Error(`enrol: ${JSON.stringify(enrolled)}`);
    const pushes: Push[] = [];
    const engine = new SyncEngine({
      db,
      token: () => readDeviceToken(db),
      fetchImpl: tillFetch(older, pushes),
    });
    if ((await engine.syncOnce()) !== 'synced') throw new Error('first sync failed');
    const device = await getSetting(db, 'device');
    if (!device) throw new Error('no device');
    const sales = makeSales(device.deviceId, device.prefix, SALES, { seed: 99 });
    await db.outbox.bulkAdd(
      sales.map((e) => ({
        seq: e.seq,
        eventId: e.id,
        type: e.type as 'sale.completed',
        createdAt: e.createdAt,
        payload: e.payload,
      })),
    );
    const load = loadavg()[0]!;
    const started = performance.now();
    const outcome = await engine.syncOnce();
    const ms = performance.now() - started;
    const left = await db.outbox.count();
    if (outcome !== 'synced' || left !== 0) throw new Error(`sync ${outcome}, ${left} left`);
    return { ms, load, pushes };
  } finally {
    await db.delete();
    await uplink?.close();
    ledger.child.kill('SIGTERM');
    await ledger.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Bytes of a 500- and a 2,000-sale push of the same sales, as JSON and gzipped the till's way.
const sample = makeSales('01J0000000000000000000DEVC', 'T1', 2_000, { seed: 99 }).map((e) =>
  envelope({ ...e, eventId: e.id, type: e.type as 'sale.completed' }),
);
for (const n of [500, 2_000]) {
  const json = JSON.stringify({ events: sample.slice(0, n) });
  const raw = Buffer.byteLength(json);
  const gz = await gzipBytes(json);
  console.log(
    `push of ${n}: ${raw.toLocaleString('en-IE')} B JSON, ${gz.toLocaleString('en-IE')} B gzip (${((gz / raw) * 100).toFixed(1)}%)`,
  );
}

if (UPLINK_KBPS > 0) console.log(`till → ledger at ${UPLINK_KBPS} kbit/s`);
const results: { mode: string; ms: number; load: number; pushes: Push[] }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const older of round % 2 ? [true, false] : [false, true]) {
    const r = await run(older, round);
    const mode = older ? 'old (500, plain)' : 'new (≤2,000, gzip)';
    const wire = r.pushes.reduce((n, p) => n + p.wireBytes, 0);
    const json = r.pushes.reduce((n, p) => n + p.jsonBytes, 0);
    console.log(
      `round ${round} ${mode}: ${(r.ms / 1000).toFixed(2)} s, ${r.pushes.length} pushes (${r.pushes.map((p) => `${p.events}${p.encoding === 'gzip' ? 'z' : ''}`).join(' ')}), wire ${wire.toLocaleString('en-IE')} B of ${json.toLocaleString('en-IE')} B JSON, load ${r.load.toFixed(2)}`,
    );
    results.push({ mode, ...r });
  }
}
for (const mode of new Set(results.map((r) => r.mode))) {
  const times = results
    .filter((r) => r.mode === mode)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  console.log(
    `${mode}: median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(2)} s of ${times.map((t) => (t / 1000).toFixed(2)).join(', ')}`,
  );
}
