// Calls to the ledger's HTTP API, with every outcome classified so the sync engine knows whether to retry.
import type { z } from 'zod';
import { apiErrorSchema } from '../../shared/sync';

export type Failure =
  | 'network'
  | 'timeout'
  | 'unauthorized'
  | 'too-large'
  | 'rate-limited'
  | 'server'
  | 'bad-request'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'bad-response';

export type CallResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: Failure; status?: number; message: string; retryAfterMs?: number };

export interface CallOptions<T> {
  method?: 'GET' | 'POST' | 'PUT';
  token?: string;
  body?: unknown;
  schema: z.ZodType<T>;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Send the JSON body gzip-compressed (`Content-Encoding: gzip`): only to a ledger that said it takes it. */
  gzip?: boolean;
}

/** Compressed with the platform's own CompressionStream (a worker and Node have it): no library to ship. */
async function gzipped(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function failureFor(status: number): Failure {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-large';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'bad-request';
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export async function ledgerCall<T>(
  baseUrl: string,
  path: string,
  options: CallOptions<T>,
): Promise<CallResult<T>> {
  const doFetch = options.fetchImpl ?? fetch;
  const text = options.body === undefined ? undefined : JSON.stringify(options.body);
  const gzip = text !== undefined && options.gzip === true;
  const body = gzip ? await gzipped(text) : text;
  let res: Response;
  try {
    res = await doFetch(joinUrl(baseUrl, path), {
      method: options.method ?? 'GET',
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const timeout = error instanceof DOMException && error.name === 'TimeoutError';
    return {
      ok: false,
      failure: timeout ? 'timeout' : 'network',
      message: timeout ? 'The ledger did not answer in time.' : 'The ledger cannot be reached.',
    };
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    // A response cut off half-way: the outcome of a push is unknown, so it is retried like a network error.
    return res.ok
      ? {
          ok: false,
          failure: 'network',
          status: res.status,
          message: 'The ledger answer was cut off.',
        }
      : {
          ok: false,
          failure: failureFor(res.status),
          status: res.status,
          message: `The ledger answered ${res.status}.`,
        };
  }
  if (!res.ok) {
    const err = apiErrorSchema.safeParse(json);
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      ok: false,
      failure: failureFor(res.status),
      status: res.status,
      message: err.success ? err.data.error.message : `The ledger answered ${res.status}.`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      failure: 'bad-response',
      status: res.status,
      message: 'The ledger sent an answer this till does not understand.',
    };
  }
  return { ok: true, value: parsed.data };
}
