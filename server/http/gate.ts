// The onRequest gate: who is calling (before any body is read), rate limits per principal, per client address and for all strangers, then access.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, type Principal, type RouteConfig, setPrincipal } from './api';
import { authorize } from './auth';

/** Requests per minute. A stranger is a request without a token the ledger knows. */
export interface RateLimits {
  /** Per device, manager session or the admin: one flooding till does not starve the others behind the same NAT. */
  perPrincipal: number;
  /** Per client address, for strangers. */
  perAddress: number;
  /** Per client address, to routes that take a guessable secret (manager PIN, pairing code). */
  guessesPerAddress: number;
  /** All strangers together, whatever their addresses. */
  strangers: number;
  /** Per client address, to the public drop pages (a venue's Wi-Fi puts many phones behind one address). */
  publicPerAddress: number;
}

export const defaultRateLimits: RateLimits = {
  perPrincipal: 1_200,
  perAddress: 600,
  guessesPerAddress: 60,
  strangers: 6_000,
  publicPerAddress: 1_200,
};

const bucket = (p: Principal) =>
  p.kind === 'device'
    ? `device:${p.deviceId}`
    : p.kind === 'manager'
      ? `manager:${p.staffId}`
      : 'admin';

/**
 * Installs the gate. The key is never a header the client chooses: a principal is a token the
 * ledger verified, and `request.ip` is the socket's address unless the operator told Fastify to
 * trust a proxy (`trustProxy`, off by default), so rotating Authorization or X-Forwarded-For
 * lands in the same bucket.
 */
export async function installGate(
  app: FastifyInstance,
  identify: (request: FastifyRequest) => Promise<Principal | null>,
  limits: RateLimits,
): Promise<void> {
  await app.register(rateLimit, { global: false });
  // Keys are namespaced, since the limiters share the plugin's in-memory store.
  const keys = new WeakMap<FastifyRequest, string>();
  const limiter = (name: string, max: number) =>
    app.createRateLimit({
      max,
      timeWindow: 60_000,
      keyGenerator: (req) => `${name}:${keys.get(req) ?? req.ip}`,
    });
  const perPrincipal = limiter('principal', limits.perPrincipal);
  const perAddress = limiter('address', limits.perAddress);
  const guesses = limiter('guess', limits.guessesPerAddress);
  const strangers = limiter('strangers', limits.strangers);
  const crowd = limiter('public', limits.publicPerAddress);

  const charge = async (
    request: FastifyRequest,
    reply: FastifyReply,
    check: typeof perAddress,
    key: string,
  ) => {
    keys.set(request, key);
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    const seconds = Math.max(1, Math.ceil(result.ttl / 1000));
    reply.header('retry-after', String(seconds));
    throw new HttpError(429, 'rate-limited', `Too many requests: retry in ${seconds} s.`);
  };

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config as RouteConfig;
    const access = config.access ?? 'public';
    // A crowd at a drop page counts apart: it cannot use up the strangers' share a till's enrolment needs.
    if (config.crowd) return charge(request, reply, crowd, request.ip);
    let principal: Principal | null = null;
    let refusal: HttpError | null = null;
    try {
      principal = await identify(request);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      refusal = error;
    }
    if (principal) {
      await charge(request, reply, perPrincipal, bucket(principal));
    } else {
      await charge(request, reply, perAddress, request.ip);
      await charge(request, reply, strangers, 'all');
    }
    if (config.guessable) await charge(request, reply, guesses, request.ip);
    // A bad token on a public route (a till's health probe after it was revoked) is a stranger, not an error.
    if (refusal && access !== 'public') throw refusal;
    authorize(principal, access);
    setPrincipal(request, principal);
  });
}
