// Request bodies sent with `Content-Encoding: gzip` (a till or hub compressing its pushes) are inflated before they are parsed.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './api';

/**
 * Inflate gzip bodies as they arrive. The route's body limit counts the inflated bytes
 * (Fastify counts what this stream yields), so a small compressed body cannot make the
 * ledger read more than it would take uncompressed; Content-Length is checked against the
 * compressed bytes received. Any other encoding is refused with 415, before the body is read.
 */
export function inflateGzipBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const header = request.headers['content-encoding'];
    const encoding = (Array.isArray(header) ? header.join(',') : (header ?? 'identity'))
      .trim()
      .toLowerCase();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding !== 'gzip')
      throw new HttpError(
        415,
        'bad-request',
        `Content-Encoding "${safeHeader(encoding)}" is not supported: send gzip or no encoding.`,
      );
    const inflated = createGunzip() as ReturnType<typeof createGunzip> & {
      receivedEncodedLength: number;
    };
    inflated.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      inflated.receivedEncodedLength += chunk.length;
    });
    payload.on('error', (error) => inflated.destroy(error));
    inflated.on('error', () => (payload as Readable).unpipe(inflated));
    return payload.pipe(inflated);
  });
}

/** A header value fit to echo in a message: printable ASCII, at most 40 characters. */
function safeHeader(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}
