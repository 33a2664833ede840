// The stall hub's calls to its central ledger: JSON over HTTP with a timeout, every answer checked against its schema.
import type { z } from 'zod';
import { apiErrorSchema } from '../../shared/sync';

/** Central did not answer, or answered with an error: `status` is null when nothing came back. */
export class CentralError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export async function centralCall<T>(
  base: string,
  path: string,
  options: {
    schema: z.ZodType<T>;
    method?: 'GET' | 'POST';
    token?: string;
    body?: unknown;
    timeoutMs?: number;
  },
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method: options.method ?? 'GET',
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        'accept-encoding': 'gzip',
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new CentralError(
      `The central ledger at ${base} does not answer (${cause ?? (error as Error).name}).`,
      null,
    );
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new CentralError(
      `The central ledger at ${base} sent a body that is not JSON.`,
      res.status,
    );
  }
  if (!res.ok) {
    const error = apiErrorSchema.safeParse(json);
    const message = error.success ? error.data.error.message : `HTTP ${res.status}`;
    throw new CentralError(`The central ledger refused ${path}: ${message}`, res.status);
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success)
    throw new CentralError(
      `The central ledger's answer to ${path} is not what this hub expects: ${parsed.error.issues[0]?.message}`,
      res.status,
    );
  return parsed.data;
}
