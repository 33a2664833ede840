// The ledger's security options from its command line and environment: the metrics token, and a proxy trusted only when named.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './fixtures';
import { type LedgerProcess, spawnLedger, stopLedger } from './process';

let ledger: LedgerProcess | undefined;
let dataDir = '';
afterEach(async () => {
  await stopLedger(ledger);
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async (opts: { args?: string[]; env?: Record<string, string> }) => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-options-'));
  ledger = await spawnLedger({ dataDir, ...opts });
  return ledger;
};

/** Wrong manager sign-ins from a client the X-Forwarded-For header claims to be. */
const wrongPins = (running: LedgerProcess, client: string, times: number) =>
  Promise.all(
    Array.from({ length: times }, () =>
      fetch(`${running.url}/api/v1/auth/manager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        body: JSON.stringify({ storeId: running.storeId, pin: '0000', password: 'not-it-at-all' }),
      }).then((r) => r.status),
    ),
  );

it('serves /metrics only with LEDGER_METRICS_TOKEN or the admin token, and trusts no proxy by default', async () => {
  const running = await start({ env: { LEDGER_METRICS_TOKEN: 'scrape-me-please' } });
  const metrics = (token?: string) =>
    fetch(`${running.url}/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }).then((r) => r.status);
  expect(await metrics()).toBe(401);
  expect(await metrics('scrape-me-please')).toBe(200);
  expect(await metrics(ADMIN_TOKEN)).toBe(200);

  // Claiming to be another client changes nothing: five wrong tries lock this socket's address.
  await wrongPins(running, '198.51.100.1', 5);
  expect(await wrongPins(running, '198.51.100.2', 1)).toEqual([429]);
});

it('takes X-Forwarded-For from the proxies --trust-proxy names', async () => {
  const running = await start({ args: ['--trust-proxy', '127.0.0.1'] });
  expect(await wrongPins(running, '198.51.100.1', 6)).toEqual([401, 401, 401, 401, 401, 429]);
  expect(await wrongPins(running, '198.51.100.2', 1)).toEqual([401]);
});
