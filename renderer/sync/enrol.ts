// Joining a ledger with a pairing code, leaving it (manager reset), and the standalone demo mode.
import { ulid } from 'ulid';
import { enrollRequestSchema, enrollResponseSchema } from '../../shared/sync';
import { loadCatalog } from '../db/catalog-repo';
import { announceProducts } from '../db/code-map';
import type { PosDb } from '../db/db';
import { idleSync } from './apply-pull';
import { ledgerCall } from './client';
import { checkHandover } from './handover';
import { saveDeviceToken, trustLedger } from './token';

export type SetupResult = { ok: true } | { ok: false; message: string };

export function normaliseLedgerUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Everything this till did and knows locally, except its settings rows we set next. */
async function wipeLocalData(db: PosDb): Promise<void> {
  await db.transaction(
    'rw',
    [
      db.productPages,
      db.stockPages,
      db.staff,
      db.taxClasses,
      db.shifts,
      db.sales,
      db.voids,
      db.outbox,
      db.parked,
      db.quarantine,
      db.rejected,
      db.settings,
    ],
    async () => {
      await Promise.all([
        db.productPages.clear(),
        db.stockPages.clear(),
        db.staff.clear(),
        db.taxClasses.clear(),
        db.shifts.clear(),
        db.sales.clear(),
        db.voids.clear(),
        db.outbox.clear(),
        db.parked.clear(),
        db.quarantine.clear(),
        db.rejected.clear(),
      ]);
      await db.settings.bulkDelete([
        'store',
        'catalog',
        'counters',
        'sync',
        'ledger',
        'mode',
        'lockout',
        'export',
      ]);
    },
  );
  announceProducts(db, { type: 'keep-only', skus: [] });
}

/**
 * Enrol with a pairing code. A linked till with facts the ledger has not got, or facts it
 * refused, is refused until they are exported; a standalone till's demo sales are discarded,
 * which the UI says beforehand.
 */
export async function enrolTill(
  db: PosDb,
  input: { url: string; pairingCode: string; name: string },
): Promise<SetupResult> {
  const url = normaliseLedgerUrl(input.url);
  if (!url)
    return { ok: false, message: 'Enter the ledger address, e.g. http://192.168.1.20:4310' };
  const body = enrollRequestSchema.safeParse({
    pairingCode: input.pairingCode.trim(),
    name: input.name,
  });
  if (!body.success)
    return {
      ok: false,
      message: body.error.issues[0]?.message ?? 'Check the pairing code and till name.',
    };
  const handover = await checkHandover(db);
  if (!handover.ok) return handover;
  const res = await ledgerCall(url, '/api/v1/devices/enroll', {
    method: 'POST',
    body: body.data,
    schema: enrollResponseSchema,
  });
  if (!res.ok) {
    return {
      ok: false,
      message:
        res.failure === 'network' || res.failure === 'timeout'
          ? `No ledger answers at ${url}.`
          : res.message,
    };
  }
  const enrolled = res.value;
  const { inLink } = await saveDeviceToken(enrolled.token);
  await wipeLocalData(db);
  await db.settings.bulkPut([
    { key: 'mode', value: 'ledger' },
    {
      key: 'ledger',
      value: {
        url,
        deviceId: enrolled.deviceId,
        storeId: enrolled.storeId,
        prefix: enrolled.prefix,
        enrolledAt: new Date().toISOString(),
        token: inLink,
      },
    },
    {
      key: 'device',
      value: { deviceId: enrolled.deviceId, prefix: enrolled.prefix, name: body.data.name },
    },
    { key: 'counters', value: { receipt: 0, seq: 0 } },
    { key: 'sync', value: idleSync },
  ]);
  await trustLedger(url);
  return { ok: true };
}

/** Run without a ledger on the demo catalog (first run, or after a reset). */
export async function startStandalone(db: PosDb): Promise<SetupResult> {
  await wipeLocalData(db);
  const demo = await import('../../assets/demo-catalog.json');
  const loaded = await loadCatalog(db, demo.default, 'demo');
  if (!loaded.ok) return { ok: false, message: loaded.message };
  await db.settings.bulkPut([
    { key: 'mode', value: 'standalone' },
    { key: 'device', value: { deviceId: ulid(), prefix: 'T1', name: 'Till 1' } },
  ]);
  return { ok: true };
}

/** A manager's reset: forget the ledger and this till's data, back to the set-up screen (after an export). */
export async function resetDevice(db: PosDb): Promise<SetupResult> {
  const handover = await checkHandover(db);
  if (!handover.ok) return handover;
  await saveDeviceToken(null);
  await wipeLocalData(db);
  await trustLedger(null);
  return { ok: true };
}
