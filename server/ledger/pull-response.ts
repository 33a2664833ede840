// Sending a pull: gzip when the till accepts it (a 50k snapshot is ~7 MB of JSON, a few hundred KB gzipped).
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const gzipAsync = promisify(gzip);
// Below this a response goes as it is: gzip's header and the CPU are not worth it.
const MIN_BYTES = 16 * 1024;

/**
 * The pull answer as the route returns it: gzip-compressed bytes (the headers set here) when the
 * request accepts gzip and it is large, else the value itself. Compressed on libuv's thread pool
 * at the fastest level: the ledger's event loop keeps serving pushes meanwhile.
 * (Our own few lines rather than @fastify/compress: one route needs it, and push must not change.)
 */
export async function gzipWhenAccepted<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  value: T,
): Promise<T> {
  if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return value;
  const json = JSON.stringify(value);
  if (json.length < MIN_BYTES) return value;
  const body = await gzipAsync(json, { level: constants.Z_BEST_SPEED });
  reply
    .header('content-type', 'application/json; charset=utf-8')
    .header('content-encoding', 'gzip')
    .header('vary', 'accept-encoding');
  // reply.send passes a Buffer through untouched; the route's type stays the JSON it stands for.
  return body as unknown as T;
}
