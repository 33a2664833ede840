// Owns the device host: the print half of the bridge (and finding stall hubs on the network) over HTTP on 127.0.0.1 for browser mode (token-protected, CORS to the app only, job changes as SSE).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BridgeChannel, bridgeArgs, type PosBridge } from '../shared/bridge';
import type { PrintJob } from '../shared/printing';
import { findHubs } from './hub-finder';
import type { DiscoverOptions } from './printing/discover';
import { PRINT_CHANNELS, type PrintChannel, printHandlers } from './printing/print-bridge';
import { PrintService, PrintServiceError } from './printing/print-service';
import type { SendOptions } from './printing/transports';

export const DEFAULT_DEVICE_HOST_PORT = 4320;
const HOST = '127.0.0.1';
/** A label batch of 500 products with names and barcodes stays well under this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface DeviceHostOptions {
  /** First port to try (the next free one is taken when busy); 0 for any free port. */
  port?: number;
  /** Where printers and the print queue are kept (browser mode: ./data/printing). */
  dataDir: string;
  /** Page origins allowed to call, e.g. http://127.0.0.1:5173. */
  allowedOrigins: readonly string[];
  /** Made at random when not given. */
  token?: string;
  appVersion?: string;
  send?: SendOptions;
  retryEveryMs?: number;
  /** How long `hubs-find` listens for stall hubs (default 3 s). */
  hubSearchMs?: number;
  /** Where "Find printers" looks (tests give it a device folder of their own). */
  discover?: DiscoverOptions;
}

export interface DeviceHost {
  url: string;
  port: number;
  token: string;
  service: PrintService;
  close(): Promise<void>;
}

type ServedChannel = PrintChannel | 'app-info' | 'hubs-find';
type HostError = { status: number; code: string; message: string };

/** Starts the device host with its own PrintService on `dataDir`. */
export async function startDeviceHost(options: DeviceHostOptions): Promise<DeviceHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const service = await PrintService.open({
    dataDir: options.dataDir,
    ...(options.discover?.devDir ? { devicesDir: options.discover.devDir } : {}),
    ...(options.send ? { send: options.send } : {}),
    ...(options.retryEveryMs !== undefined ? { retryEveryMs: options.retryEveryMs } : {}),
  });
  const handlers: Pick<PosBridge, ServedChannel> = {
    ...printHandlers(service, options.discover),
    'app-info': async () => ({
      name: 'PopTill device host',
      version: options.appVersion ?? 'dev',
      shell: 'browser',
      platform: process.platform,
    }),
    'hubs-find': () => findHubs(options.hubSearchMs),
  };
  const served = new Set<string>([...PRINT_CHANNELS, 'app-info', 'hubs-find']);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error(`Device host: ${req.method} ${req.url} failed`, error);
      if (!res.headersSent) {
        reply(res, 500, { error: { code: 'device-host-error', message: String(error) } });
      } else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    // A page on another site may resolve its own name to 127.0.0.1 (DNS rebinding): only our own names pass.
    if (req.headers.host !== `${HOST}:${port}` && req.headers.host !== `localhost:${port}`) {
      return fail(res, { status: 403, code: 'bad-host', message: 'Unexpected Host header' });
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!options.allowedOrigins.includes(origin)) {
        return fail(res, {
          status: 403,
          code: 'origin-not-allowed',
          message: `The device host does not serve pages from ${origin}`,
        });
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'authorization, content-type',
        'Access-Control-Max-Age': '600',
      });
      return void res.end();
    }
    const events = req.method === 'GET' && url.pathname === '/events';
    // EventSource cannot set headers, so the event stream alone also takes ?token=.
    const given =
      /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ??
      (events ? url.searchParams.get('token') : null);
    if (!given || !sameToken(given, token)) {
      return fail(res, {
        status: 401,
        code: 'unauthorized',
        message: 'Missing or wrong device host token',
      });
    }
    if (events) return openStream(res);
    const channel = /^\/bridge\/([a-z-]+)$/.exec(url.pathname)?.[1];
    if (req.method !== 'POST' || !channel) {
      return fail(res, {
        status: 404,
        code: 'not-found',
        message: `No ${req.method} ${url.pathname}`,
      });
    }
    if (!served.has(channel)) {
      const known = Object.hasOwn(bridgeArgs, channel);
      return fail(res, {
        status: known ? 403 : 404,
        code: known ? 'electron-only' : 'unknown-channel',
        message: known
          ? `"${channel}" is only available in the PopTill app, not in browser mode`
          : `There is no bridge call "${channel}"`,
      });
    }
    const body = await readJson(req);
    if (!body.ok) return fail(res, body.error);
    const parsed = bridgeArgs[channel as BridgeChannel].safeParse(body.value);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ');
      return fail(res, {
        status: 400,
        code: 'bad-arguments',
        message: `Bad arguments for "${channel}": ${problems}`,
      });
    }
    const call = handlers[channel as ServedChannel] as (...args: unknown[]) => Promise<unknown>;
    try {
      reply(res, 200, (await call(...(parsed.data as unknown[]))) ?? null);
    } catch (error) {
      if (!(error instanceof PrintServiceError)) throw error;
      fail(res, {
        status: { 'job-busy': 409, 'bad-printer-address': 400 }[error.code as string] ?? 404,
        code: error.code,
        message: error.message,
      });
    }
  }

  function openStream(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const send = (job: PrintJob) =>
      res.write(`event: print-job-changed\ndata: ${JSON.stringify(job)}\n\n`);
    const unsubscribe = service.onJobChanged(send);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  port = await listen(server, options.port ?? DEFAULT_DEVICE_HOST_PORT);
  return {
    url: `http://${HOST}:${port}`,
    port,
    token,
    service,
    async close() {
      for (const res of streams) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.close();
    },
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, error: HostError): void {
  reply(res, error.status, { error: { code: error.code, message: error.message } });
}

async function readJson(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; error: HostError }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      return {
        ok: false,
        error: { status: 413, code: 'too-large', message: 'The request is too large' },
      };
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: text ? JSON.parse(text) : [] };
  } catch {
    return { ok: false, error: { status: 400, code: 'bad-json', message: 'The body is not JSON' } };
  }
}

/** Listens on `port`, or the next free one when it is taken (up to 20 further). */
async function listen(server: Server, port: number): Promise<number> {
  for (let candidate = port; candidate <= port + 20; candidate++) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(candidate, HOST, () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (!error) return (server.address() as AddressInfo).port;
    if (error.code !== 'EADDRINUSE' || port === 0) throw error;
  }
  throw new Error(`No free port for the device host between ${port} and ${port + 20}`);
}
