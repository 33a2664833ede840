// Two ledger processes on one PostgreSQL database: the public page is the same from either (same counts, same ETag), a sale through one shows on the other, and member claims on both make one code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSeller } from './drop-fixtures';
import { ADMIN_TOKEN, membersCampaign } from './fixtures';
import {
  createPgDatabase,
  enrolTillOn,
  type LedgerProcess,
  spawnLedger,
  stopLedger,
} from './process';

const DATABASE_URL = process.env.DATABASE_URL;
const DROP = 'winter-drop-01';
const CAP = 'HAT-CAP-REF';
const MEMBER = 'M7K3MQ9XT';

interface PublicSnapshot {
  drops: { id: string; items: { sku: string; left: number }[] }[];
}

/** The JSON as the page's script reads it: a 503 (a process just started is still busy) is waited out once, as its Retry-After says. */
async function publicJson(ledger: LedgerProcess) {
  const url = `${ledger.url}/api/v1/public/stores/${ledger.storeId}/drops`;
  let res = await fetch(url);
  if (res.status === 503) {
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after'))));
    res = await fetch(url);
  }
  expect(res.status).toBe(200);
  const body = (await res.json()) as PublicSnapshot;
  const left = body.drops.find((d) => d.id === DROP)?.items.find((i) => i.sku === CAP)?.left;
  return { etag: res.headers.get('etag'), left };
}

describe.skipIf(!DATABASE_URL)('public pages on two ledger processes sharing PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: LedgerProcess;
  let b: LedgerProcess;
  const dirs: string[] = [];
  beforeAll(async () => {
    database = await createPgDatabase(DATABASE_URL!, 'public');
    const start = () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-public-cluster-'));
      dirs.push(dataDir);
      return spawnLedger({ dataDir, databaseUrl: database.url, env: { LOG_LEVEL: 'warn' } });
    };
    a = await start();
    b = await start();
  }, 60_000);
  afterAll(async () => {
    await stopLedger(a);
    await stopLedger(b);
    await database?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('gives the same page and ETag from either process, and a sale through one shows on the other', async () => {
    const before = await publicJson(a);
    expect(before.left).toBeGreaterThan(0);
    expect((await publicJson(b)).etag).toBe(before.etag);
    const till = await enrolTillOn(a, 'Cluster till');
    const sale = dropSeller({ ...till, token: till.token } as never)(DROP, CAP, 1);
    const pushed = await a.call<{ results: { status: string }[] }>(
      'POST',
      '/api/v1/sync/push',
      till.token,
      { events: [sale] },
    );
    expect(pushed.body.results.map((r) => r.status)).toEqual(['accepted']);
    await new Promise((r) => setTimeout(r, 1_100));
    const [fromA, fromB] = [await publicJson(a), await publicJson(b)];
    expect(fromB.left).toBe(before.left! - 1);
    expect(fromB.etag).toBe(fromA.etag);
    expect(fromB.etag).not.toBe(before.etag);
  });

  it('makes one code for a member tapping claim on both processes at once', async () => {
    const campaign = await a.call(
      'PUT',
      `/api/v1/stores/${a.storeId}/campaigns/members-15`,
      ADMIN_TOKEN,
      membersCampaign(),
    );
    expect(campaign.status).toBe(200);
    const link = await a.call<{ path: string }>(
      'GET',
      `/api/v1/stores/${a.storeId}/members/${MEMBER}/link`,
      ADMIN_TOKEN,
    );
    const taps = await Promise.all(
      [a, b, a, b, a, b].map((l) =>
        fetch(`${l.url}${link.body.path}/claim/members-15`, { method: 'POST', redirect: 'manual' }),
      ),
    );
    expect(taps.map((t) => t.status)).toEqual(Array(6).fill(303));
    const codes = await Promise.all(
      [a, b].map(async (l) => {
        const html = await (await fetch(l.url + link.body.path)).text();
        return [...html.matchAll(/data-testid="claimed-code">([^<]+)</g)].map((m) => m[1]);
      }),
    );
    expect(codes[0]).toHaveLength(1);
    expect(codes[1]).toEqual(codes[0]);
  });
});
