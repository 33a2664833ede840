// Typed routes: each declares its zod schemas once, for validation, for the handler's types and for OpenAPI.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { z } from 'zod';
import type { ErrorCode } from '../../shared/sync';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not-found', `${what} not found`);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const conflict = (message: string, details?: unknown) =>
  new HttpError(409, 'conflict', message, details);

export type Principal =
  | { kind: 'admin' }
  | { kind: 'manager'; staffId: string; storeId: string }
  | { kind: 'device'; deviceId: string; storeId: string };

export type Access = 'public' | 'device' | 'admin' | 'manager';

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface Route<B = unknown, Q = unknown, P = unknown, R = unknown> {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  summary: string;
  /** Who may call it; 'manager' also admits the admin token. */
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  response: z.ZodType<R>;
  bodyLimit?: number;
  /** Takes a secret a stranger could guess (a PIN, a pairing code): a tight per-address limit. */
  guessable?: boolean;
  handler: (ctx: RouteContext<B, Q, P>) => Promise<R>;
}

/** No public route takes more than a pairing code or a PIN: strangers cannot make the ledger read megabytes. */
export const PUBLIC_BODY_LIMIT = 4 * 1024;

export function route<B = undefined, Q = undefined, P = undefined, R = unknown>(
  r: Route<B, Q, P, R>,
): Route {
  return r as unknown as Route;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(
    400,
    'bad-request',
    `Invalid ${where}: ${result.error.issues[0]?.message ?? 'bad value'}`,
    result.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message })),
  );
}

/** What the onRequest gate needs to know of a route (absent for OpenAPI, /metrics and 404s). */
export interface RouteConfig {
  access?: Access;
  guessable?: boolean;
  /** A public drop page (no token read): its own per-address limit, outside the strangers' shared one. */
  crowd?: boolean;
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** Remember who a request is (set in onRequest, before its body is read). */
export function setPrincipal(request: FastifyRequest, principal: Principal | null): void {
  if (principal) principals.set(request, principal);
}

export function registerRoutes(app: FastifyInstance, routes: readonly Route[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) throw new Error(`route ${key} registered twice`);
    seen.add(key);
    app.route({
      method: r.method,
      url: r.url,
      ...(r.bodyLimit || r.access === 'public'
        ? { bodyLimit: r.bodyLimit ?? PUBLIC_BODY_LIMIT }
        : {}),
      config: { access: r.access, guessable: r.guessable } satisfies RouteConfig,
      handler: async (request, reply) => {
        // Authenticated (and rate-limited) in the onRequest gate, before the body was read; on a
        // public route a known token is passed on too (a till signing a manager in).
        const principal = principals.get(request) ?? null;
        const result = await r.handler({
          principal,
          body: parse(r.body, request.body, 'body'),
          query: parse(r.query, request.query, 'query'),
          params: parse(r.params, request.params, 'path'),
          request,
          reply,
        });
        return reply.send(result);
      },
    });
  }
}

/** The one error shape, for every failure: ours, Fastify's (body too large, bad JSON) and the unexpected. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.status).send({
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
    }
    const status = error.statusCode ?? 500;
    const code: ErrorCode =
      status === 413
        ? 'payload-too-large'
        : status === 429
          ? 'rate-limited'
          : status === 415 || status === 400
            ? 'bad-request'
            : status === 404
              ? 'not-found'
              : 'internal';
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status >= 400 ? status : 500).send({
      error: {
        code,
        message: status >= 500 ? 'Internal error: the ledger logged the details.' : error.message,
      },
    });
  });
  // The address is not echoed back (it may carry a token or markup a log viewer would render).
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'not-found', message: `No ${request.method} route at that address.` },
    }),
  );
}

/** Fastify's answers to addresses its router cannot take (bad %-escapes, a path part too long), in the one shape. */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error,
  _request,
  reply,
) => {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  return (reply as FastifyReply).status(tooLong ? 414 : 400).send({
    error: {
      code: 'bad-request',
      message: tooLong
        ? 'A part of the address is too long.'
        : 'The address is not valid (a bad %-escape?).',
    },
  });
};

/** Node's answers to requests it cannot parse (headers too large, broken HTTP), in the one shape. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive.']
        : [400, 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: { code: 'bad-request' satisfies ErrorCode, message } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

const toJson = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** OpenAPI 3.1 from the route table. */
export function openApiDocument(routes: readonly Route[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const params = [
      ...[...r.url.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...(r.query
        ? Object.entries(
            (toJson(r.query) as { properties?: Record<string, unknown>; required?: string[] })
              .properties ?? {},
          ).map(([name, schema]) => ({ name, in: 'query', schema }))
        : []),
    ];
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.access === 'public' ? {} : { security: [{ bearer: [] }] }),
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJson(r.body) } },
            },
          }
        : {}),
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: toJson(r.response) } } },
        default: { description: 'Error: { error: { code, message, details? } }' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'PopTill stock ledger', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
