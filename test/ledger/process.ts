// The ledger as a real child process (`server/main.ts`), for tests that kill or stop it, plus a throwaway PostgreSQL database per run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { LEDGER_NODE_ARGS } from '../../scripts/ledger-node-args.mjs';
import type { EventEnvelope } from '../../shared/events';
import type { EnrollResponse, PushResponse } from '../../shared/sync';
import { ADMIN_TOKEN } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface LedgerProcess {
  url: string;
  storeId: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the `times`-th whole line printed from now on that matches, e.g. Fastify's "incoming request" log. */
  waitForOutput: (pattern: RegExp, times?: number) => Promise<string>;
  /** How the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** JSON request with an optional bearer token; returns status and parsed body (an error body when status is not 200). */
  call: <T = unknown>(
    method: string,
    route: string,
    token?: string,
    body?: unknown,
  ) => Promise<{ status: number; body: T }>;
}

/**
 * Start `server/main.ts --port 0 --demo` and wait until it says where it listens.
 * It runs as `node --import tsx`, one process: `tsx` the command line tool runs the
 * program in a second node process, so a SIGKILL sent to it would orphan the ledger.
 */
export async function spawnLedger(opts: {
  dataDir: string;
  databaseUrl?: string;
  /** More command-line flags (e.g. `--trust-proxy`) and environment. */
  args?: string[];
  /** Load the demo store (default); a stall hub takes its store from its central ledger instead. */
  demo?: boolean;
  env?: Record<string, string>;
}): Promise<LedgerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEDGER_ADMIN_TOKEN: ADMIN_TOKEN,
    ...opts.env,
  };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const child = spawn(
    process.execPath,
    [
      ...LEDGER_NODE_ARGS,
      'server/main.ts',
      '--port',
      '0',
      '--data-dir',
      opts.dataDir,
      ...(opts.demo === false ? [] : ['--demo']),
      ...(opts.args ?? []),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const watchers: {
    pattern: RegExp;
    times: number;
    from: number;
    found: (line: string) => void;
  }[] = [];
  const onData = (data: Buffer) => {
    output += data.toString();
    // Whole lines only: a chunk can end half-way through the port number.
    const complete = output.slice(0, output.lastIndexOf('\n') + 1);
    for (const w of [...watchers]) {
      const line = complete
        .slice(w.from)
        .split('\n')
        .filter((l) => w.pattern.test(l))[w.times - 1];
      if (line !== undefined) {
        watchers.splice(watchers.indexOf(w), 1);
        w.found(line);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const waitForOutput = (pattern: RegExp, times = 1) =>
    new Promise<string>((found) => {
      watchers.push({ pattern, times, from: output.lastIndexOf('\n') + 1, found });
    });

  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    waitForOutput(/PopTill ledger on http:\/\//),
    exited.then(({ code, signal }) => {
      throw new Error(`the ledger exited (${code ?? signal}) before listening:\n${output}`);
    }),
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`the ledger did not listen within 30 s:\n${output}`));
      }, 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const url = /(http:\/\/[^/\s]+)\//.exec(ready)![1]!;
  const storeId =
    /(?:Demo store|Stall hub of store) "([^"]+)"/.exec(output)?.[1] ?? 'northside-pop-up';
  const call = async <T>(method: string, route: string, token?: string, body?: unknown) => {
    const res = await fetch(url + route, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return { url, storeId, child, output: () => output, waitForOutput, exited, call };
}

/** Enrol a till on a ledger process with a fresh pairing code from the admin. */
export async function enrolTillOn(ledger: LedgerProcess, name: string) {
  const code = await ledger.call<{ code: string }>(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  const res = await ledger.call<EnrollResponse>('POST', '/api/v1/devices/enroll', undefined, {
    pairingCode: code.body.code,
    name,
  });
  if (res.status !== 200) throw new Error(`enrol failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Stop a ledger process if it still runs (a test that failed half-way must not leave it behind). */
export async function stopLedger(ledger: LedgerProcess | undefined): Promise<void> {
  if (!ledger || ledger.child.exitCode !== null || ledger.child.signalCode !== null) return;
  ledger.child.kill('SIGKILL');
  await ledger.exited;
}

/**
 * A fresh PostgreSQL database next to the one in `DATABASE_URL`: the ledger has no schema
 * flag, and a process that is killed must find the same database again when it restarts.
 */
export async function createPgDatabase(
  baseUrl: string,
  label: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `poptill_${label}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** True when a fetch failed because the connection was refused, reset or closed, not because of an HTTP status. */
export function connectionErrorCode(error: unknown): string | null {
  if (!(error instanceof TypeError)) return null;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/**
 * Start a push whose body goes up in two halves, as from a till on a slow link: the
 * request has reached the ledger (its "incoming request" log line) and waits for the
 * second half until `sendRest()`. Lets a test act while a batch is surely in flight.
 */
export async function pushInTwoHalves(
  ledger: LedgerProcess,
  token: string,
  events: EventEnvelope[],
) {
  const bytes = new TextEncoder().encode(JSON.stringify({ events }));
  let sendRest!: () => void;
  const rest = new Promise<void>((done) => {
    sendRest = done;
  });
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(bytes.slice(0, bytes.length >> 1));
      await rest;
      controller.enqueue(bytes.slice(bytes.length >> 1));
      controller.close();
    },
  });
  const arrived = ledger.waitForOutput(PUSH_ARRIVED);
  const response = fetch(`${ledger.url}/api/v1/sync/push`, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  } as RequestInit & { duplex: 'half' }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as PushResponse,
  }));
  await arrived;
  return { response, sendRest };
}

/** Fastify's log line when a push has reached the ledger. */
const PUSH_ARRIVED = /"url":"\/api\/v1\/sync\/push".*"msg":"incoming request"/;

/** How the process ended, or 'still running' when it has not within `ms`. */
export function exitWithin(ledger: LedgerProcess, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    ledger.exited,
    new Promise<'still running'>((done) => {
      timer = setTimeout(() => done('still running'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
