// The device host over real HTTP: only the app's page with the token may print, bad calls are refused with reasons, job changes stream as SSE.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrintJob } from '../shared/printing';
import type { Sale } from '../shared/sale';
import { FakePrinter, parseJob } from '../test/fixtures/fake-printer';
import { demo, makeSale } from '../test/ledger/fixtures';
import { type DeviceHost, startDeviceHost } from './device-host';

const APP = 'http://127.0.0.1:5173';
let printer: FakePrinter;
let host: DeviceHost;
let dataDir: string;

beforeAll(async () => {
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
beforeEach(async () => {
  await printer.reset();
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-host-'));
  host = await startDeviceHost({
    port: 0,
    dataDir,
    allowedOrigins: [APP],
    retryEveryMs: 0,
    send: { connectTimeoutMs: 500, writeTimeoutMs: 400, statusTimeoutMs: 150 },
  });
});
afterEach(async () => {
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A bridge call as the browser bridge makes it. */
function call(channel: string, args: unknown[], init: { token?: string; origin?: string } = {}) {
  return fetch(`${host.url}/bridge/${channel}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${init.token ?? host.token}`,
      origin: init.origin ?? APP,
    },
    body: JSON.stringify(args),
  });
}

/** The `{ error: { code, message } }` a refused call answers with. */
async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

const counter = () => ({
  id: 'counter',
  name: 'Counter',
  kind: 'receipt',
  language: 'escpos',
  address: printer.url,
});
const sale = () =>
  makeSale('till-1', 'T1', 7, [{ sku: 'CAF-ESP', qty: 2 }], { tender: 'cash' }).payload as Sale;

describe('device host', () => {
  it('refuses calls without the right token', async () => {
    const none = await fetch(`${host.url}/bridge/print-jobs`, { method: 'POST', body: '[]' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { code: 'unauthorized', message: 'Missing or wrong device host token' },
    });
    expect((await call('print-jobs', [], { token: 'guess' })).status).toBe(401);
    expect((await fetch(`${host.url}/events?token=guess`)).status).toBe(401);
    const ok = await call('print-jobs', []);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([]);
  });

  it('answers bad arguments with 400 and the schema message', async () => {
    const res = await call('printers-save', [{ ...counter(), language: 'tspl' }]);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('bad-arguments');
    expect(error.message).toContain('A receipt printer speaks ESC/POS (Epson) or Star');
    expect((await call('print-retry', [])).status).toBe(400);
  });

  it('keeps Electron-only channels (secrets, window) out of browser mode', async () => {
    const secret = await call('secret-get', ['device-token']);
    expect(secret.status).toBe(403);
    expect((await errorOf(secret)).code).toBe('electron-only');
    expect((await call('window-set-fullscreen', [true])).status).toBe(403);
    expect((await call('drawer-open', [])).status).toBe(404);
  });

  it('lets only the app origin in (CORS)', async () => {
    const preflight = (origin: string) =>
      fetch(`${host.url}/bridge/print-receipt`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const ours = await preflight(APP);
    expect(ours.status).toBe(204);
    expect(ours.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ours.headers.get('access-control-allow-headers')).toContain('authorization');

    const theirs = await preflight('https://evil.example');
    expect(theirs.status).toBe(403);
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    // Even with the token, a call from another origin is refused.
    const stolen = await call('print-jobs', [], { origin: 'http://127.0.0.1:5174' });
    expect(stolen.status).toBe(403);
    expect((await errorOf(stolen)).code).toBe('origin-not-allowed');
  });

  it('prints a receipt at the fake printer through the bridge', async () => {
    expect((await call('printers-save', [counter()])).status).toBe(200);
    const s = sale();
    const res = await call('print-receipt', [{ sale: s, store: demo.store }]);
    expect(res.status).toBe(200);
    const job = (await res.json()) as PrintJob;
    expect(job).toMatchObject({ status: 'done', saleId: s.id, printerId: 'counter' });
    const [bytes] = await printer.waitForJobs(1);
    expect(parseJob(bytes!, 'escpos').lines.some((l) => l.text.includes(s.receiptNumber))).toBe(
      true,
    );
    const missing = await call('print-retry', ['no-such-job']);
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('job-not-found');
  });

  it('refuses printer addresses that would write files (file:/tmp/x, dir:/etc) with the reason', async () => {
    for (const [address, reason] of [
      ['file:/tmp/x', '/tmp/x is not a printer device'],
      ['dir:/etc', "writes only inside PopTill's data folder"],
    ] as const) {
      const res = await call('printers-save', [{ ...counter(), address }]);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('bad-printer-address');
      expect(error.message).toContain(reason);
    }
    expect(await (await call('printers-list', [])).json()).toEqual([]);
  });

  it('streams job changes to an EventSource-style client (token in the query)', async () => {
    await call('printers-save', [counter()]);
    const abort = new AbortController();
    const stream = await fetch(`${host.url}/events?token=${host.token}`, {
      headers: { origin: APP },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get('access-control-allow-origin')).toBe(APP);

    const received: PrintJob[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of stream.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (const m of buffer.matchAll(/event: print-job-changed\ndata: (.+)\n\n/g)) {
          received.push(JSON.parse(m[1]!));
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
        if (received.some((j) => j.status === 'done')) return;
      }
    })();
    await call('print-receipt', [{ sale: sale(), store: demo.store }]);
    await reading;
    abort.abort();
    expect(received.map((j) => j.status)).toEqual(['queued', 'printing', 'done']);
  });

  it('takes the next free port when its port is busy', async () => {
    const second = await startDeviceHost({ port: host.port, dataDir, allowedOrigins: [APP] });
    try {
      expect(second.port).toBeGreaterThan(host.port);
      expect(second.token).not.toBe(host.token);
    } finally {
      await second.close();
    }
  });
});
