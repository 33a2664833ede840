// An HTTP proxy in front of the ledger that notes each push as it arrives (encoding, bytes on the wire and inflated, facts) and can stand in for an older ledger or a stricter proxy.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { endToEndHeaders, passOn, readBody } from './http-forward';

export interface SeenPush {
  /** The Content-Encoding header as it arrived ('identity' when there was none). */
  encoding: string;
  /** Body bytes as they came over the socket. */
  wireBytes: number;
  /** The JSON body's bytes once inflated (the same as wireBytes when not compressed). */
  jsonBytes: number;
  events: number;
  /** The status the till got back. */
  status: number;
}

export interface PushRecorderOptions {
  /** The ledger's base URL. */
  target: string;
  /** false: the push answers lose `pushLimits`, as from a ledger older than that field. */
  advertise?: boolean;
  /** A status to answer a push with instead of passing it on (the ledger never sees it), or null to pass it on. */
  refuse?: (push: Omit<SeenPush, 'status'>) => number | null;
}

export interface PushRecorder {
  url: string;
  pushes: SeenPush[];
  close: () => Promise<void>;
}

const errorBody = (status: number) =>
  JSON.stringify({
    error: {
      code: status === 413 ? 'payload-too-large' : 'bad-request',
      message: `Refused here with ${status}.`,
    },
  });

export async function startPushRecorder(options: PushRecorderOptions): Promise<PushRecorder> {
  const target = new URL(options.target);
  const pushes: SeenPush[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const isPush = req.method === 'POST' && req.url === '/api/v1/sync/push';
    let seen: Omit<SeenPush, 'status'> | null = null;
    if (isPush) {
      const encoding = String(req.headers['content-encoding'] ?? 'identity');
      const json = encoding === 'gzip' ? gunzipSync(body) : body;
      seen = {
        encoding,
        wireBytes: body.length,
        jsonBytes: json.length,
        events: (JSON.parse(json.toString('utf8')) as { events: unknown[] }).events.length,
      };
      const status = options.refuse?.(seen) ?? null;
      if (status !== null) {
        pushes.push({ ...seen, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(errorBody(status));
        return;
      }
    }
    const answer = await passOn(target, req, body);
    let out = answer.body;
    if (isPush && answer.status === 200 && options.advertise === false) {
      const { pushLimits: _dropped, ...rest } = JSON.parse(out.toString('utf8'));
      out = Buffer.from(JSON.stringify(rest));
    }
    if (seen) pushes.push({ ...seen, status: answer.status });
    res.writeHead(answer.status, {
      ...endToEndHeaders(answer.headers),
      'content-length': String(out.length),
    });
    res.end(out);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pushes,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
