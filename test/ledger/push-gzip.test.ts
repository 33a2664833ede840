// A push may come gzip-compressed and as big as 2,000 facts: the same verdicts as a plain push, and a compressed body is held to the same 4 MiB once inflated.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import { LEDGER_MAX_PUSH_BYTES, type PushResponse } from '../../shared/sync';
import { engines, enrolTill, makeSales, push, startLedger, type TestLedger } from './fixtures';

async function send(
  ledger: TestLedger,
  token: string,
  body: Buffer | string,
  encoding?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${ledger.url}/api/v1/sync/push`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const gzipped = (events: readonly EventEnvelope[]) =>
  gzipSync(Buffer.from(JSON.stringify({ events })));

const errorShape = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});

describe.each(engines)('gzip and 2,000-fact pushes on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine, { rateLimitPerMinute: 100_000 });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  async function salesStored(deviceId: string): Promise<number> {
    const row = await ledger.database.db
      .selectFrom('sales')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('device_id', '=', deviceId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('accepts a gzip push like a plain one, and the same facts sent plain again are duplicates', async () => {
    const till = await enrolTill(ledger, 'Gzip till');
    const events = makeSales(till.deviceId, till.prefix, 50, { seed: 17 });
    const res = await send(ledger, till.token, gzipped(events), 'gzip');
    expect(res.status).toBe(200);
    const answer = res.body as unknown as PushResponse;
    expect(answer.results.map((r) => r.status)).toEqual(events.map(() => 'accepted'));
    expect(answer.watermark).toBe(50);
    expect(await salesStored(till.deviceId)).toBe(50);

    const again = await push(ledger, till.token, events);
    expect(again.results.map((r) => r.status)).toEqual(events.map(() => 'duplicate'));
    expect(await salesStored(till.deviceId)).toBe(50);
  });

  it('takes 2,000 sales in one push, each accepted once', async () => {
    const till = await enrolTill(ledger, 'Hub till');
    const events = makeSales(till.deviceId, till.prefix, 2_000, { seed: 18, linesPerSale: 1 });
    const res = await send(ledger, till.token, gzipped(events), 'gzip');
    expect(res.status).toBe(200);
    const answer = res.body as unknown as PushResponse;
    expect(answer.results.filter((r) => r.status === 'accepted')).toHaveLength(2_000);
    expect(answer.watermark).toBe(2_000);
    expect(await salesStored(till.deviceId)).toBe(2_000);
  });

  it('answers 413 to a small gzip body that inflates past 4 MiB, and stores nothing from it', async () => {
    const till = await enrolTill(ledger, 'Bomb till');
    const [sale] = makeSales(till.deviceId, till.prefix, 1, { seed: 19 });
    const padding = ' '.repeat(LEDGER_MAX_PUSH_BYTES);
    const body = gzipSync(Buffer.from(`{"events":[${JSON.stringify(sale)}]${padding}}`));
    expect(body.length).toBeLessThan(64 * 1024);
    const res = await send(ledger, till.token, body, 'gzip');
    expect(res).toEqual({ status: 413, body: errorShape('payload-too-large') });
    expect(await salesStored(till.deviceId)).toBe(0);
  });

  it('answers 400 to a body that says gzip but is not, and 415 to an encoding it does not read', async () => {
    const till = await enrolTill(ledger, 'Odd till');
    const events = makeSales(till.deviceId, till.prefix, 1, { seed: 20 });
    const plain = JSON.stringify({ events });
    expect(await send(ledger, till.token, plain, 'gzip')).toEqual({
      status: 400,
      body: errorShape('bad-request'),
    });
    const brotli = await send(ledger, till.token, plain, 'br');
    expect(brotli).toEqual({ status: 415, body: errorShape('bad-request') });
    expect(await salesStored(till.deviceId)).toBe(0);

    // The same facts, sent properly, still go in.
    const fine = await send(ledger, till.token, gzipped(events), 'gzip');
    expect(fine.status).toBe(200);
    expect(await salesStored(till.deviceId)).toBe(1);
  });
});
