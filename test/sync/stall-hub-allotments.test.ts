// A stall hub's drop units, all real processes: a till asks the hub for more than the stall holds and the hub gets the rest from central; a manager gives the stall's unsold units back to central once, however often retried; with the internet cut the till is told so and nothing moves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drop, DropItemProgress } from '../../shared/drops';
import type { PullResponse } from '../../shared/sync';
import { liveDrop } from '../ledger/drop-fixtures';
import { ADMIN_TOKEN } from '../ledger/fixtures';
import { createPgDatabase, type LedgerProcess, spawnLedger, stopLedger } from '../ledger/process';
import { type CutProxy, startCutProxy } from './cut-proxy';

const PG = process.env.DATABASE_URL;
const engines = ['sqlite', ...(PG ? ['postgres'] : [])] as const;
/** Central, the cut link and the hub on ports of their own, one set per engine. */
const PORTS = { sqlite: [4712, 4713, 4714], postgres: [4715, 4716, 4717] } as const;

const SKU = 'HAT-CAP-REF';
const DROP_ID = 'hub-pool';

async function pairingCode(ledger: LedgerProcess): Promise<string> {
  const res = await ledger.call<{ code: string }>(
    'POST',
    `/api/v1/stores/${ledger.storeId}/pairing-codes`,
    ADMIN_TOKEN,
  );
  if (res.status !== 200) throw new Error(`no pairing code: ${JSON.stringify(res.body)}`);
  return res.body.code;
}

/** The item's progress at a ledger, as its manager lists the drops. */
async function progress(ledger: LedgerProcess): Promise<DropItemProgress | undefined> {
  const res = await ledger.call<{ drops: (Drop & { progress: DropItemProgress[] })[] }>(
    'GET',
    `/api/v1/stores/${ledger.storeId}/drops`,
    ADMIN_TOKEN,
  );
  expect(res.status).toBe(200);
  return res.body.drops.find((d) => d.id === DROP_ID)?.progress.find((p) => p.sku === SKU);
}

/** What central allotted the stall hub of the item, as the hub's own pull from central says. */
async function hubAllotmentAtCentral(central: LedgerProcess, token: string): Promise<number> {
  const res = await central.call<PullResponse>('GET', '/api/v1/sync/pull', token);
  expect(res.status).toBe(200);
  return res.body.allotments.find((a) => a.dropId === DROP_ID && a.sku === SKU)?.qty ?? 0;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(engines)('a stall hub’s drop units with a %s central ledger', (engine) => {
  const [centralPort, wirePort, hubPort] = PORTS[engine as keyof typeof PORTS];
  const dir = mkdtempSync(path.join(tmpdir(), 'poptill-hub-pool-'));
  let pg: { url: string; drop: () => Promise<void> } | undefined;
  let central: LedgerProcess;
  let wire: CutProxy;
  let hub: LedgerProcess | undefined;
  let hubId = '';
  let till = { deviceId: '', token: '' };

  const ask = (qty: number) =>
    hub!.call<{ granted: number; allotment: number; reason?: string }>(
      'POST',
      `/api/v1/drops/${DROP_ID}/allotments/request`,
      till.token,
      { sku: SKU, qty },
    );
  const giveBack = (qty: number, key: string) =>
    hub!.call<{ returned: number; allotment: number }>(
      'POST',
      `/api/v1/hub/drops/${DROP_ID}/return`,
      ADMIN_TOKEN,
      { sku: SKU, qty, key },
    );
  const stall = async () => {
    const p = await progress(hub!);
    return { quantity: p?.quantity, allotted: p?.allotted, pool: p?.pool };
  };

  beforeAll(async () => {
    if (engine === 'postgres') pg = await createPgDatabase(PG as string, 'hub_pool_central');
    central = await spawnLedger({
      dataDir: path.join(dir, 'central'),
      args: ['--port', String(centralPort)],
      ...(pg ? { databaseUrl: pg.url } : {}),
    });
    wire = await startCutProxy(central.url, wirePort);
    hub = await spawnLedger({
      dataDir: path.join(dir, 'hub'),
      demo: false,
      args: [
        '--port',
        String(hubPort),
        '--no-mdns',
        '--upstream',
        wire.url,
        '--upstream-pairing',
        await pairingCode(central),
      ],
    });
    const devices = await central.call<{ devices: { id: string; name: string }[] }>(
      'GET',
      `/api/v1/stores/${central.storeId}/devices`,
      ADMIN_TOKEN,
    );
    hubId = devices.body.devices.find((d) => d.name.startsWith('Stall hub'))?.id ?? '';
    expect(hubId).not.toBe('');
    const enrolled = await hub.call<{ deviceId: string; token: string }>(
      'POST',
      '/api/v1/devices/enroll',
      undefined,
      { pairingCode: await pairingCode(hub), name: 'Till A' },
    );
    expect(enrolled.status).toBe(200);
    till = enrolled.body;

    // A drop of 20 units; central gives the stall 4 of them, and its manager splits by hand.
    const drop = liveDrop(DROP_ID, {
      allotments: 'manual',
      items: [{ sku: SKU, quantity: 20, ladder: [] }],
    });
    const put = await central.call(
      'PUT',
      `/api/v1/stores/${central.storeId}/drops/${DROP_ID}`,
      ADMIN_TOKEN,
      drop,
    );
    expect(put.status).toBe(200);
    const allot = await central.call(
      'PUT',
      `/api/v1/stores/${central.storeId}/drops/${DROP_ID}/allotments`,
      ADMIN_TOKEN,
      { allotments: [{ deviceId: hubId, sku: SKU, qty: 4 }] },
    );
    expect(allot.status).toBe(200);
    await waitFor('the hub mirrors its allotment of 4', async () => {
      return (await stall()).quantity === 4;
    });
  }, 120_000);

  afterAll(async () => {
    await stopLedger(hub);
    await wire?.close();
    await stopLedger(central);
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a till asking for more than the stall holds gets it: the hub asks central for the rest', async () => {
    expect(await stall()).toEqual({ quantity: 4, allotted: 0, pool: 4 });
    const granted = await ask(7);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ granted: 7, allotment: 7 });
    // Central granted the hub the 3 the stall lacked: its allotment grew by that, its pool shrank.
    expect(await hubAllotmentAtCentral(central, await hubToken())).toBe(7);
    expect(await progress(central)).toMatchObject({ quantity: 20, allotted: 7, pool: 13 });
    expect(await stall()).toEqual({ quantity: 7, allotted: 7, pool: 0 });
    // The next pull from central says the same.
    await hub!.call('GET', '/api/v1/hub/status', ADMIN_TOKEN);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await stall()).toEqual({ quantity: 7, allotted: 7, pool: 0 });
  }, 60_000);

  it('units a till returns go back to the stall; a manager returns them to central once, however often retried', async () => {
    const back = await hub!.call<{ returned: number; allotment: number }>(
      'POST',
      `/api/v1/drops/${DROP_ID}/allotments/return`,
      till.token,
      { sku: SKU, qty: 3 },
    );
    expect(back.body).toEqual({ returned: 3, allotment: 4 });
    expect(await stall()).toEqual({ quantity: 7, allotted: 4, pool: 3 });
    // Central did not hear of it: the units stay the stall's.
    expect(await progress(central)).toMatchObject({ allotted: 7, pool: 13 });

    // More than the stall's unsold units: refused in words, nothing moved.
    const tooMany = await giveBack(4, 'return-too-many-1');
    expect(tooMany.status).toBe(409);
    expect(JSON.stringify(tooMany.body)).toMatch(/Only 3 units of HAT-CAP-REF are unsold/);
    const badKey = await giveBack(1, 'no');
    expect(badKey.status).toBe(400);
    expect(await progress(central)).toMatchObject({ allotted: 7, pool: 13 });

    const first = await giveBack(3, 'return-key-0001');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ returned: 3, allotment: 4 });
    expect(await progress(central)).toMatchObject({ allotted: 4, pool: 16 });
    expect(await stall()).toEqual({ quantity: 4, allotted: 4, pool: 0 });
    // The same return again (an answer lost on the way): nothing moves a second time.
    const again = await giveBack(3, 'return-key-0001');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ returned: 3, allotment: 4 });
    // Central itself replays a key the hub sends again, even if the hub had lost its record.
    const token = await hubToken();
    const replay = await central.call<{ returned: number; allotment: number }>(
      'POST',
      `/api/v1/hub/drops/${DROP_ID}/allotments/return`,
      token,
      { sku: SKU, qty: 3, key: 'return-key-0001' },
    );
    expect(replay.body).toEqual({ returned: 3, allotment: 4 });
    expect(await progress(central)).toMatchObject({ allotted: 4, pool: 16 });
    expect(await hubAllotmentAtCentral(central, await hubToken())).toBe(4);
    // A till cannot act as the hub at central.
    const asTill = await central.call(
      'POST',
      `/api/v1/hub/drops/${DROP_ID}/allotments/return`,
      till.token,
      { sku: SKU, qty: 1, key: 'return-key-0002' },
    );
    expect(asTill.status).toBe(401);
  }, 60_000);

  it('with the internet cut the till is told the hub cannot reach central, and nothing changes', async () => {
    wire.cut();
    try {
      const before = await stall();
      const refused = await ask(5);
      expect(refused.status).toBe(200);
      expect(refused.body.granted).toBe(0);
      expect(refused.body.allotment).toBe(4);
      expect(refused.body.reason).toBe(
        'Nothing was granted: the stall hub cannot reach the central ledger; units left at the stall: 0.',
      );
      expect(await stall()).toEqual(before);
      // A return to central cannot happen either; the stall keeps its units.
      await hub!.call('POST', `/api/v1/drops/${DROP_ID}/allotments/return`, till.token, {
        sku: SKU,
        qty: 1,
      });
      const cut = await giveBack(1, 'return-key-0003');
      expect(cut.status).toBe(503);
      expect(JSON.stringify(cut.body)).toMatch(
        /cannot reach the central ledger; nothing was returned \(units left at the stall: 1\)/,
      );
      expect(await stall()).toEqual({ quantity: 4, allotted: 3, pool: 1 });
    } finally {
      wire.restore();
    }
    expect(await progress(central)).toMatchObject({ allotted: 4, pool: 16 });
    // Back online, the same key goes through once.
    const later = await giveBack(1, 'return-key-0003');
    expect(later.body).toEqual({ returned: 1, allotment: 3 });
    expect(await progress(central)).toMatchObject({ allotted: 3, pool: 17 });
  }, 60_000);

  async function hubToken(): Promise<string> {
    const { default: SQLite } = await import('better-sqlite3');
    const file = new SQLite(path.join(dir, 'hub', 'ledger.sqlite'), { readonly: true });
    const { token } = file.prepare('select token from hub_link').get() as { token: string };
    file.close();
    return token;
  }
});
