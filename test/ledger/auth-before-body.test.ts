// Authentication before bodies: a stranger's 40 MB import is answered 401 while it is still being sent; public routes take only small bodies.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startLedger, type TestLedger } from './fixtures';

const MB = 1024 * 1024;

/**
 * POST `total` bytes of JSON-looking body in 1 MB chunks, stopping once the ledger answers;
 * resolves with the status and how much had been sent when the answer came.
 */
function sendUntilAnswered(url: string, path: string, total: number, token?: string) {
  return new Promise<{ status: number; sentWhenAnswered: number; body: string }>(
    (resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = request(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(total),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
      req.on('response', (res) => {
        answered = true;
        const sentWhenAnswered = sent;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, sentWhenAnswered, body });
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = Buffer.alloc(MB, 0x20);
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end();
      };
      pump();
    },
  );
}

describe.each(engines)('authentication before bodies on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('answers an unauthenticated 40 MB import with 401 before reading its body', async () => {
    for (const token of [undefined, 'pt_mgr_forged']) {
      const res = await sendUntilAnswered(ledger.url, '/api/v1/sync/import', 40 * MB, token);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'unauthorized', message: expect.any(String) },
      });
      // Socket buffers hold a few MB; a ledger that read the body first answers only after all 40.
      expect(res.sentWhenAnswered).toBeLessThan(16 * MB);
    }
  });

  it('answers 413 to a public route sent more than a few KiB', async () => {
    const res = await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
      pairingCode: 'AAAA-AAAA',
      name: 'x'.repeat(8 * 1024),
    });
    expect(res).toEqual({
      status: 413,
      body: { error: { code: 'payload-too-large', message: expect.any(String) } },
    });
  });
});
