// A fault-injecting HTTP proxy in front of the ledger: the bad network a stall's till lives on, on a seeded schedule.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, endToEndHeaders, passOn, readBody } from './http-forward';

/**
 * - `drop`: the connection is cut before the request reaches the ledger.
 * - `delay`: the request waits 100–800 ms, then goes through.
 * - `bad-gateway`: a 502 page from "the proxy"; the ledger never sees the request.
 * - `cut-reset`: the ledger answers (a push has committed), then the connection is cut.
 * - `cut-half-body`: the ledger answers, the till gets the headers and half the body, then the cut.
 */
export const FAULT_KINDS = ['drop', 'delay', 'bad-gateway', 'cut-reset', 'cut-half-body'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** The ledger's base URL. */
  target: string;
  /** Seeded, so a failing run can be replayed. */
  random: () => number;
  /** Chance that a request meets a fault while injection is on. */
  faultRate?: number;
  /** Injection stops for good after this many faults. */
  maxFaults?: number;
}

export interface FaultProxy {
  url: string;
  /** Faults injected so far, by kind. */
  counts: Record<FaultKind, number>;
  /** Pushes the ledger applied whose answer never reached the till. */
  committedPushesCut: number;
  /** Requests seen, faulty or not. */
  requests: number;
  /** Turn injection on or off (it starts off, so set-up traffic goes through cleanly). */
  inject: (on: boolean) => void;
  close: () => Promise<void>;
}

function send(res: ServerResponse, answer: Answer, bytes: number): void {
  const headers = endToEndHeaders(answer.headers);
  // The full length is announced either way, so a half body ends before what was promised.
  res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
  if (bytes >= answer.body.length) {
    res.end(answer.body);
    return;
  }
  res.write(answer.body.subarray(0, bytes), () => res.socket?.destroy());
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const rate = options.faultRate ?? 0.3;
  const max = options.maxFaults ?? Number.POSITIVE_INFINITY;
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  let injecting = false;
  let injected = 0;
  // Kinds come out of a shuffled bag, refilled when empty: any five faults in a row include every kind.
  let bag: FaultKind[] = [];

  const nextFault = (): FaultKind | null => {
    if (!injecting || injected >= max || options.random() >= rate) return null;
    if (bag.length === 0) {
      bag = [...FAULT_KINDS];
      for (let i = bag.length - 1; i > 0; i--) {
        const j = Math.floor(options.random() * (i + 1));
        [bag[i], bag[j]] = [bag[j]!, bag[i]!];
      }
    }
    const kind = bag.pop()!;
    injected += 1;
    counts[kind] += 1;
    return kind;
  };

  const proxy: FaultProxy = {
    url: '',
    counts,
    committedPushesCut: 0,
    requests: 0,
    inject: (on) => {
      injecting = on;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    proxy.requests += 1;
    const fault = nextFault();
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === 'bad-gateway') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    if (fault === 'delay') {
      const ms = 100 + Math.floor(options.random() * 700);
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    let answer: Answer;
    try {
      answer = await passOn(target, req, body);
    } catch {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    if (fault === 'cut-reset' || fault === 'cut-half-body') {
      if (req.url?.startsWith('/api/v1/sync/push') && answer.status === 200)
        proxy.committedPushesCut += 1;
      if (fault === 'cut-reset') req.socket.destroy();
      else send(res, answer, Math.floor(answer.body.length / 2));
      return;
    }
    send(res, answer, answer.body.length);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
