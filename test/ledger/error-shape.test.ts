// /metrics needs its token, and the answers Fastify and Node give on their own (414, bad URL, bad HTTP, big headers) come in the one error shape without echoing the address.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../shared/sync';
import { ADMIN_TOKEN, engines, startLedger, type TestLedger } from './fixtures';

const METRICS_TOKEN = 'scraper-secret-1';

/** Raw bytes to the ledger's port; resolves with what it answered before closing. */
function raw(url: string, bytes: string) {
  const { port } = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      answer += c;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      resolve({ status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe.each(engines)('error shape on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine, { ledger: { metricsToken: METRICS_TOKEN } });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('refuses /metrics without its token or the admin token, in the error shape', async () => {
    for (const header of [undefined, 'Bearer wrong', 'Bearer pt_dev_nope', METRICS_TOKEN]) {
      const res = await fetch(`${ledger.url}/metrics`, {
        headers: header ? { authorization: header } : {},
      });
      expect(res.status, String(header)).toBe(401);
      expect(apiErrorSchema.parse(await res.json()).error.code).toBe('unauthorized');
    }
    for (const token of [METRICS_TOKEN, ADMIN_TOKEN]) {
      const res = await fetch(`${ledger.url}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^ledger_http_requests_total/m);
    }
  });

  it("answers the router's own refusals in the error shape, never echoing the address", async () => {
    const marker = 'zq<script>';
    const cases: [string, number][] = [
      [`/api/v1/stores/${marker}${'a'.repeat(300)}/devices`, 414],
      [`/api/v1/stores/${marker}%zz/devices`, 400],
      [`/api/v1/${marker}-nothing-here`, 404],
    ];
    for (const [path, status] of cases) {
      const res = await fetch(ledger.url + path, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const text = await res.text();
      expect(res.status, path).toBe(status);
      expect(apiErrorSchema.safeParse(JSON.parse(text)).success, text).toBe(true);
      expect(text).not.toContain('zq');
    }
  });

  it('answers HTTP it cannot parse and headers too large in the error shape', async () => {
    const big = await raw(
      ledger.url,
      `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(big.status).toBe(431);
    expect(apiErrorSchema.parse(JSON.parse(big.body)).error.code).toBe('bad-request');
    const broken = await raw(ledger.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(broken.status).toBe(400);
    expect(apiErrorSchema.parse(JSON.parse(broken.body)).error.code).toBe('bad-request');
  });
});
