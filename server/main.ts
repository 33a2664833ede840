// `npm run ledger`: start the stock ledger (flags or env for port, data folder, database, admin token, demo data).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unsafeCharIndex } from '../shared/bounds';
import { hubTxtSchema } from '../shared/hub-discovery';
import { syncFileSchema } from '../shared/sync-file';
import { buildLedger } from './app';
import { openDatabase } from './db/database';
import { loadDemo, loadDemoDrops } from './demo';
import { newToken } from './http/auth';
import { createPairingCode } from './ledger/devices';
import { importSyncFile } from './ledger/import';
import { advertiseHub, type HubAdvert } from './upstream/advertise';
import { createStallHub, type StallHub } from './upstream/hub';
import { linkHub, readLink } from './upstream/link';

const { values, positionals } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'trust-proxy': { type: 'string' },
    'metrics-token': { type: 'string' },
    'public-url': { type: 'string' },
    demo: { type: 'boolean', default: false },
    upstream: { type: 'string' },
    'upstream-pairing': { type: 'string' },
    'hub-name': { type: 'string' },
    'no-mdns': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: true,
});
const [command, file] = positionals;

if (values.help) {
  console.log(`Usage: npm run ledger -- [--port 4310] [--host 127.0.0.1] [--data-dir ./data] [--demo]
         [--trust-proxy 10.0.0.1,10.0.0.0/8]   proxies whose X-Forwarded-For names the client (default: none)
         [--metrics-token TOKEN]                 bearer token for /metrics (else only the admin token reads it)
         [--public-url https://drops.example.ie] the address phones open the drop pages at (a CDN's), for the sign's QR
       npm run ledger -- --upstream URL --upstream-pairing CODE [--hub-name NAME] [--no-mdns] [--port --data-dir --host]
                                         a stall hub: serves the stall's tills, forwards their facts to the
                                         central ledger at URL (CODE: a pairing code made there; first start only);
                                         with --host 0.0.0.0 it announces itself on the network (mDNS) unless --no-mdns
       npm run ledger -- import FILE     apply a till's exported events file (same idempotency as a push)
Env: PORT, HOST, LEDGER_DATA_DIR, DATABASE_URL (postgres://… to use PostgreSQL), LEDGER_ADMIN_TOKEN,
     LEDGER_TRUST_PROXY, LEDGER_METRICS_TOKEN`);
  process.exit(0);
}

const port = Number(values.port ?? process.env.PORT ?? 4310);
const host = values.host ?? process.env.HOST ?? '127.0.0.1';
const dataDir = path.resolve(values['data-dir'] ?? process.env.LEDGER_DATA_DIR ?? './data');
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a whole number 0–65535, got ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

const trustProxy = values['trust-proxy'] ?? process.env.LEDGER_TRUST_PROXY;
const metricsToken = values['metrics-token'] ?? process.env.LEDGER_METRICS_TOKEN;
const publicUrl = values['public-url'] ?? process.env.LEDGER_PUBLIC_URL;

/** The admin token: from the environment, else made once and kept in the data folder. */
function adminToken(): string {
  if (process.env.LEDGER_ADMIN_TOKEN) return process.env.LEDGER_ADMIN_TOKEN;
  const file = path.join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = newToken('adm');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  console.log(`New admin token (shown once; also stored in ${file}):\n  ${token}`);
  return token;
}

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });

if (command === 'import') {
  if (!file) {
    console.error('Usage: npm run ledger -- import FILE');
    process.exit(2);
  }
  try {
    const parsed = syncFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`${file} is not a PopTill events file: ${parsed.error.issues[0]?.message}`);
    const summary = await importSyncFile(database.db, database.engine, parsed.data);
    console.log(
      `Imported ${file} from device ${summary.deviceId}: ${summary.accepted} accepted, ${summary.duplicate} already here, ${summary.rejected} rejected, ${summary.conflict} in conflict with what was here (see exceptions). Watermark ${summary.watermark}.`,
    );
    await database.close();
    process.exit(0);
  } catch (error) {
    console.error(
      `Import failed, nothing was applied from the failing batch: ${error instanceof Error ? error.message : error}`,
    );
    await database.close();
    process.exit(1);
  }
} else if (command) {
  console.error(`Unknown command "${command}". Try --help.`);
  process.exit(2);
}
let hub: StallHub | undefined;
let hubName = '';
let advert: HubAdvert | undefined;
if (values.upstream) {
  if (values.demo) {
    console.error('A stall hub takes its store from the central ledger: leave out --demo.');
    process.exit(2);
  }
  hubName = (values['hub-name'] ?? `Stall hub (${hostname()})`).trim().slice(0, 60);
  if (!hubTxtSchema.shape.hub.safeParse(hubName).success || unsafeCharIndex(hubName) >= 0) {
    console.error(
      'The hub needs a name the tills can show (--hub-name "Stall A hub": 1 to 60 characters, no control characters).',
    );
    process.exit(2);
  }
  try {
    const link = await linkHub(
      database.db,
      {
        upstream: values.upstream,
        ...(values['upstream-pairing'] ? { pairingCode: values['upstream-pairing'] } : {}),
        name: hubName,
      },
      new Date(),
    );
    hub = createStallHub(
      database.db,
      { info: (m) => console.log(m), warn: (m) => console.warn(m) },
      { engine: database.engine },
    );
    console.log(`Stall hub of store "${link.storeId}", linked to ${link.upstreamUrl}`);
    try {
      await hub.syncOnce();
    } catch (error) {
      console.warn(
        `The central ledger does not answer yet (${error instanceof Error ? error.message : error}); serving the tills paired here meanwhile.`,
      );
    }
  } catch (error) {
    console.error(
      `Could not start the stall hub: ${error instanceof Error ? error.message : String(error)}`,
    );
    await database.close();
    process.exit(1);
  }
}

const app = await buildLedger({
  database,
  adminToken: adminToken(),
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
  ...(trustProxy ? { trustProxy } : {}),
  ...(metricsToken ? { metricsToken } : {}),
  ...(publicUrl ? { publicPages: { publicUrl } } : {}),
  ...(hub
    ? {
        hub: {
          registerTill: hub.registerTill,
          requestForTill: hub.requestForTill,
          returnToCentral: hub.returnToCentral,
        },
      }
    : {}),
});

if (values.demo) {
  const demo = await loadDemo(database.db);
  // Live and upcoming demo drops with members, only in a fresh demo store (tests load the demo without them).
  if (demo.loaded) await loadDemoDrops(database, demo.storeId);
  const pairing = await createPairingCode(database.db, demo.storeId);
  console.log(
    `Demo store "${demo.storeId}" ${demo.loaded ? 'loaded' : 'already present'}. Pairing code for a till: ${pairing.code} (valid 15 minutes)`,
  );
}

if (hub) {
  const link = await readLink(database.db);
  const store = link
    ? await database.db
        .selectFrom('stores')
        .select('id')
        .where('id', '=', link.storeId)
        .executeTakeFirst()
    : undefined;
  if (link && store) {
    const pairing = await createPairingCode(database.db, link.storeId);
    console.log(`Pairing code for a till of this stall: ${pairing.code} (valid 15 minutes)`);
  }
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  hub?.stop();
  // Goodbye first, so tills stop listing a hub that no longer answers.
  await advert?.stop();
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  // close() stops accepting connections and waits for in-flight batches to commit.
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port, host });
console.log(
  `PopTill ledger on http://${host}:${(app.server.address() as { port: number }).port}/ (${database.engine}: ${database.where})`,
);

if (hub) {
  const link = await readLink(database.db);
  const listening = (app.server.address() as { port: number }).port;
  if (values['no-mdns']) console.log('Not announcing this hub on the network (--no-mdns).');
  else if (!link) console.log('Not announcing this hub: it is not linked to a central ledger.');
  else if (host === '127.0.0.1' || host === 'localhost' || host === '::1')
    console.log(
      `Not announcing this hub on the network: it listens on ${host} only (start it with --host 0.0.0.0 for the stall's tills).`,
    );
  else {
    try {
      advert = advertiseHub(
        { port: listening, store: link.storeId, hub: hubName, api: '/api/v1' },
        (message) => console.warn(message),
      );
      console.log(`Announcing "${hubName}" on the network (mDNS, _poptill-ledger._tcp).`);
    } catch (error) {
      // The hub still serves tills that type its address; only the announcement is missing.
      console.warn(
        `Not announcing this hub on the network (${error instanceof Error ? error.message : String(error)}); tills can still pair with its address.`,
      );
    }
  }
}
