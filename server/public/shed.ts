// Load shedding for the public pages: above a bound of requests in flight, or while the event loop is nearly full, a page request gets 503 + Retry-After so the tills' sync keeps its share.
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/api';

export interface ShedOptions {
  /** Public requests one process answers at once; the next one is shed. */
  maxInFlight: number;
  /**
   * Event-loop utilisation (0–1) above which public requests start being shed: a share
   * growing from 0 at this level to all of them at 1, so tills' requests still find the loop free.
   */
  busyAbove: number;
  /** Seconds a shed client is told to wait. */
  retryAfter: number;
}

export const defaultShedOptions: ShedOptions = { maxInFlight: 128, busyAbove: 0.7, retryAfter: 2 };

const busyPage = (seconds: number) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="${seconds}"><title>Busy</title></head><body><main><h1>So many people at once!</h1><p role="status">The drop page is busy. It opens again by itself in ${seconds} seconds.</p></main></body></html>`;

export function createLoadShedder(options: Partial<ShedOptions> = {}) {
  const { maxInFlight, busyAbove, retryAfter } = { ...defaultShedOptions, ...options };
  let inFlight = 0;
  let shed = 0;
  let served = 0;
  let busy = 0;
  // Sampled, not measured per request: the share of the last second (at least) the loop was
  // busy, so a burst shows within a second and one slow request or a garbage collection does
  // not shed anything. Time-weighted: a long stall counts for as long as it lasted.
  const history = [performance.eventLoopUtilization()];
  const sampler = setInterval(() => {
    const now = performance.eventLoopUtilization();
    history.push(now);
    if (history.length > 5) history.shift();
    busy = performance.eventLoopUtilization(now, history[0]).utilization;
  }, 250);
  sampler.unref();
  const counted = new WeakSet<FastifyRequest>();

  return {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const loaded = busy > busyAbove && Math.random() < (busy - busyAbove) / (1 - busyAbove);
      if (inFlight >= maxInFlight || loaded) {
        shed += 1;
        reply.header('retry-after', String(retryAfter)).header('cache-control', 'no-store');
        // A person on a page gets a page that tries again by itself (no script needed).
        if (request.headers.accept?.includes('text/html') && request.method === 'GET')
          return reply
            .status(503)
            .header('content-security-policy', "default-src 'none'")
            .type('text/html; charset=utf-8')
            .send(busyPage(retryAfter));
        throw new HttpError(
          503,
          'unavailable',
          `The drop page is busy: try again in ${retryAfter} s.`,
        );
      }
      inFlight += 1;
      counted.add(request);
    },
    onResponse: async (request: FastifyRequest) => {
      if (!counted.has(request)) return;
      counted.delete(request);
      inFlight -= 1;
      served += 1;
    },
    stats: () => ({ inFlight, shed, served, busy }),
    stop: () => clearInterval(sampler),
  };
}
