// Live counts by server-sent events: one ticker per store reads the shared snapshot once a second and writes to every open page only when it changed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type PublicCounts, publicCounts } from '../../shared/public-drops';
import type { SnapshotCache } from './snapshot';

interface StoreStreams {
  clients: Set<FastifyReply>;
  etag: string;
  ticker: NodeJS.Timeout;
}

const frame = (counts: PublicCounts) => `event: counts\ndata: ${JSON.stringify(counts)}\n\n`;

/** Keeps idle proxies from cutting a quiet stream. */
const HEARTBEAT_MS = 15_000;

export function createLiveStreams(snapshots: SnapshotCache, maxStreams: number) {
  const stores = new Map<string, StoreStreams>();
  let open = 0;

  const tick = async (storeId: string, s: StoreStreams) => {
    const tagged = await snapshots.get(storeId).catch(() => null);
    if (!tagged || tagged.etag === s.etag) return;
    s.etag = tagged.etag;
    const text = frame(publicCounts(tagged.snapshot, tagged.etag));
    for (const reply of s.clients) reply.raw.write(text);
  };

  const heartbeat = setInterval(() => {
    for (const s of stores.values()) for (const reply of s.clients) reply.raw.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const drop = (storeId: string, reply: FastifyReply) => {
    const s = stores.get(storeId);
    if (!s?.clients.delete(reply)) return;
    open -= 1;
    if (s.clients.size === 0) {
      clearInterval(s.ticker);
      stores.delete(storeId);
    }
  };

  return {
    hasRoom: () => open < maxStreams,
    count: () => open,
    open(storeId: string, request: FastifyRequest, reply: FastifyReply, first: PublicCounts) {
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        // Never cached or buffered by a CDN or nginx: each page holds its own stream.
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
        'access-control-allow-origin': '*',
      });
      reply.raw.write(`retry: 3000\n${frame(first)}`);
      let s = stores.get(storeId);
      if (!s) {
        const created: StoreStreams = { clients: new Set(), etag: first.etag, ticker: undefined! };
        created.ticker = setInterval(() => void tick(storeId, created), 1_000);
        created.ticker.unref();
        stores.set(storeId, created);
        s = created;
      }
      s.clients.add(reply);
      open += 1;
      request.raw.on('close', () => drop(storeId, reply));
    },
    closeAll() {
      clearInterval(heartbeat);
      for (const [storeId, s] of stores)
        for (const reply of [...s.clients]) {
          reply.raw.end();
          drop(storeId, reply);
        }
    },
  };
}
