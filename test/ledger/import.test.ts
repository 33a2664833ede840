// Sneakernet: a till's signed events file applied at the ledger, with the same idempotency as a push.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_FILE_FORMAT, type SyncFile, sha256Hex, signSyncFile } from '../../shared/sync-file';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSales,
  startLedger,
  type TestLedger,
} from './fixtures';

async function exportFile(
  till: { deviceId: string; storeId: string; token: string },
  events: SyncFile['events'],
) {
  return signSyncFile(
    {
      format: SYNC_FILE_FORMAT,
      deviceId: till.deviceId,
      storeId: till.storeId,
      exportedAt: new Date().toISOString(),
      events,
    },
    await sha256Hex(till.token),
  );
}

describe.each(engines)('importing an events file on %s', (engine) => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startLedger(engine);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  const salesOf = async (deviceId: string) =>
    Number(
      (
        await ledger.database.db
          .selectFrom('sales')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('device_id', '=', deviceId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('applies a signed file once, however often it is imported, and after a partial push', async () => {
    const till = await enrolTill(ledger, 'Market day');
    const events = makeSales(till.deviceId, till.prefix, 120, { seed: 3 });
    // Some of it already got through on a flaky connection before the internet went for good.
    await ledger.call('POST', '/api/v1/sync/push', till.token, { events: events.slice(0, 40) });
    const file = await exportFile(till, events);
    const first = await ledger.call('POST', '/api/v1/sync/import', ADMIN_TOKEN, file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 80, duplicate: 40, rejected: 0, watermark: 120 });
    const again = await ledger.call('POST', '/api/v1/sync/import', ADMIN_TOKEN, file);
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 120 });
    expect(await salesOf(till.deviceId)).toBe(120);
  });

  it('refuses a file that was edited after export, and applies none of it', async () => {
    const till = await enrolTill(ledger, 'Tampered');
    const file = await exportFile(till, makeSales(till.deviceId, till.prefix, 5, { seed: 4 }));
    const edited = structuredClone(file);
    (edited.events[2]!.payload as { total: number }).total -= 500;
    const res = await ledger.call('POST', '/api/v1/sync/import', ADMIN_TOKEN, edited);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/signature/);
    expect(await salesOf(till.deviceId)).toBe(0);
  });

  it('refuses a file signed by another till', async () => {
    const a = await enrolTill(ledger, 'A');
    const b = await enrolTill(ledger, 'B');
    const forged = await exportFile(
      { ...a, token: b.token },
      makeSales(a.deviceId, a.prefix, 2, { seed: 5 }),
    );
    expect((await ledger.call('POST', '/api/v1/sync/import', ADMIN_TOKEN, forged)).status).toBe(
      400,
    );
    expect(await salesOf(a.deviceId)).toBe(0);
  });

  it('still takes the facts of a till revoked since, and tells the manager', async () => {
    const till = await enrolTill(ledger, 'Lost laptop');
    const file = await exportFile(till, makeSales(till.deviceId, till.prefix, 3, { seed: 6 }));
    await ledger.call('POST', `/api/v1/devices/${till.deviceId}/revoke`, ADMIN_TOKEN);
    const res = await ledger.call('POST', '/api/v1/sync/import', ADMIN_TOKEN, file);
    expect(res.body).toMatchObject({ accepted: 3 });
    const open = await ledger.call(
      'GET',
      `/api/v1/stores/${ledger.storeId}/exceptions`,
      ADMIN_TOKEN,
    );
    expect(
      open.body.exceptions.filter(
        (e: { kind: string; deviceId: string }) =>
          e.kind === 'revoked-device' && e.deviceId === till.deviceId,
      ),
    ).toHaveLength(3);
  });
});

describe('npm run ledger -- import FILE', () => {
  it('applies a file from the command line and says what happened', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'poptill-import-cli-'));
    const ledger = await startLedger('sqlite', { dataDir });
    try {
      const till = await enrolTill(ledger, 'USB stick');
      const file = await exportFile(till, makeSales(till.deviceId, till.prefix, 7, { seed: 8 }));
      const where = path.join(dataDir, 'events.json');
      writeFileSync(where, JSON.stringify(file));
      await ledger.app.close(); // the CLI opens the same SQLite file
      const out = execFileSync(
        'node',
        ['--import', 'tsx', 'server/main.ts', '--data-dir', dataDir, 'import', where],
        {
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: '', LEDGER_ADMIN_TOKEN: ADMIN_TOKEN },
        },
      );
      expect(out).toMatch(/7 accepted, 0 already here, 0 rejected/);
    } finally {
      await ledger.close();
    }
  });
});
