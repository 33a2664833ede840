// Two ledgers on one database server (each on its own SQLite file or PostgreSQL schema) start and keep their data apart.
import { describe, expect, it } from 'vitest';
import { engines, enrolTill, makeSales, push, startLedger } from './fixtures';

describe.each(engines)('two ledgers on %s', (engine) => {
  it('start side by side, each with its own data', async () => {
    const first = await startLedger(engine);
    try {
      // A second ledger starting while the first runs: parallel test runs, or a second tenant.
      const second = await startLedger(engine);
      try {
        for (const ledger of [first, second]) {
          const health = await ledger.call('GET', '/api/v1/health');
          expect(health.body).toMatchObject({ ok: true, db: engine });
        }
        const till = await enrolTill(first);
        await push(first, till.token, makeSales(till.deviceId, till.prefix, 3, { seed: 4 }));
        const count = async (db: typeof first.database.db) =>
          Number(
            (
              await db
                .selectFrom('sales')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        expect(await count(first.database.db)).toBe(3);
        expect(await count(second.database.db)).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
