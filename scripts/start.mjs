// `npm start`: builds PopTill and runs it in Electron, or serves it for the browser where Electron cannot start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { LEDGER_NODE_ARGS } from './ledger-node-args.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rendererConfig = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const electronConfig = fileURLToPath(new URL('../vite.electron.config.ts', import.meta.url));
const HOST = '127.0.0.1';
const FIRST_PORT = 5173;
// An Electron that is still running after this long has started; an earlier exit means it could not.
const STARTUP_GRACE_MS = 3000;
// First launch downloads the binary; give a slow link time, but never hang forever on a dead one.
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

const LEDGER_READY = /PopTill ledger on (\S+)/;

/**
 * The stock ledger on embedded SQLite with the demo store (./data), as a child process.
 * Resolves once it listens (or has failed) to a function that stops it; stopping begins
 * synchronously because Vite's preview exits the process on SIGTERM by itself.
 */
async function startLedger() {
  const child = spawn(process.execPath, [...LEDGER_NODE_ARGS, 'server/main.ts', '--demo'], {
    cwd: root,
    env: { LOG_LEVEL: 'warn', ...process.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise((resolve) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      const text = String(chunk);
      process.stdout.write(text);
      buffer += text;
      const m = LEDGER_READY.exec(buffer);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => resolve(null));
    child.once('error', () => resolve(null));
  });
  if (!ready) console.log('The ledger did not start (see above); the till still sells offline.');
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
}

/** Path of a usable Electron binary, or null. */
function findElectronBinary() {
  // electron's index.js downloads the binary on first require and prints progress and stack traces;
  // asking in a child process keeps that noise out of the one line we print when it fails.
  const ask = ['-e', 'process.stdout.write("\\n" + require("electron"))'];
  const probe = spawnSync(process.execPath, ask, {
    cwd: root,
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
  });
  const binary = probe.status === 0 ? probe.stdout.split('\n').pop() : '';
  return binary && existsSync(binary) ? binary : null;
}

/** Resolves to the running child, or to the reason it could not start. */
function launchElectron(binary) {
  // VS Code and some CI set ELECTRON_RUN_AS_NODE, which would make the binary act as plain Node.
  const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = process.env;
  const child = spawn(binary, ['.'], { cwd: root, env, stdio: 'inherit' });
  return new Promise((resolve) => {
    // A promise settles once, so whichever of these happens first decides.
    setTimeout(() => resolve({ child }), STARTUP_GRACE_MS);
    child.once('error', (error) => resolve({ reason: error.message }));
    // Exit 0 this early is a second instance handing over to the first: a start, not a failure.
    child.once('exit', (code, signal) =>
      resolve(
        code === 0 ? { child } : { reason: `Electron exited with ${signal ?? `code ${code}`}` },
      ),
    );
  });
}

async function findFreePort(from) {
  for (let port = from; port < from + 100; port += 1) {
    const free = await new Promise((resolve) => {
      const probe = createServer().once('error', () => resolve(false));
      probe.listen(port, HOST, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port on ${HOST} between ${from} and ${from + 99}.`);
}

function onShutdown(stop) {
  let stopping = false;
  const stopOnce = () => {
    if (!stopping) void stop();
    stopping = true;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, stopOnce);
  // npm hands a SIGTERM only to the `sh -c` wrapping us, which dies without passing it on; an
  // orphaned server would hold the port, so losing our parent counts as being told to stop.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stopOnce(), 500).unref();
}

async function runInElectron(binary, stopLedger) {
  const launch = await launchElectron(binary);
  if (!launch.child) return launch.reason;
  onShutdown(() => launch.child.kill('SIGTERM'));
  const code =
    launch.child.exitCode ?? (await new Promise((done) => launch.child.once('exit', done)));
  await stopLedger();
  process.exit(code);
}

/**
 * The device host (electron/device-host.ts, loaded through tsx): printing for the page, which a
 * browser cannot do itself. Its URL and token reach the page in the address's fragment, which
 * never leaves the browser; the page keeps them for the tab and clears the address bar.
 */
async function startDeviceHost(appOrigins) {
  const { tsImport } = await import('tsx/esm/api');
  const { startDeviceHost: start } = await tsImport('../electron/device-host.ts', import.meta.url);
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return start({
    dataDir: fileURLToPath(new URL('../data/printing', import.meta.url)),
    allowedOrigins: appOrigins,
    appVersion: version,
  });
}

async function runInBrowser(stopLedger) {
  const port = await findFreePort(FIRST_PORT);
  const server = await preview({
    configFile: rendererConfig,
    logLevel: 'warn',
    preview: { host: HOST, port, strictPort: true, open: false },
  });
  const appUrl = `http://${HOST}:${port}/`;
  const host = await startDeviceHost([`http://${HOST}:${port}`, `http://localhost:${port}`]).catch(
    (error) => {
      console.log(
        `The device host did not start (${error.message}); the till sells but cannot print.`,
      );
      return null;
    },
  );
  if (host) {
    const fragment = new URLSearchParams({ 'device-host': host.url, token: host.token });
    console.log(`Device host (printing) on ${host.url}, printers and queue in data/printing/`);
    console.log(`PopTill is running: open ${appUrl}#${fragment}`);
  } else {
    console.log(`PopTill is running at ${appUrl}`);
  }
  onShutdown(async () => {
    // The ledger first, and synchronously: Vite's preview exits the process on SIGTERM by itself.
    const ledgerStopped = stopLedger();
    await host?.close();
    await server.close();
    await ledgerStopped;
    process.exit(0);
  });
}

async function main() {
  const quiet = { logLevel: 'warn' };
  const tryElectron = process.env.POPTILL_NO_ELECTRON !== '1';
  await build({ ...quiet, configFile: rendererConfig });
  if (tryElectron) await build({ ...quiet, configFile: electronConfig });
  const stopLedger = await startLedger();
  if (tryElectron) {
    const binary = findElectronBinary();
    const reason = binary ? await runInElectron(binary, stopLedger) : 'no Electron binary';
    console.log(
      `Electron could not start here (${reason}) — serving PopTill for the browser instead.`,
    );
  }
  await runInBrowser(stopLedger);
}

main().catch((error) => {
  // The message already says what failed (e.g. which import did not resolve); a stack trace would bury it.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
