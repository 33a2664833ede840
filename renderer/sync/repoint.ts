// Moving a till from its stall hub to another ledger (the hub died): re-pair under the same device id, keeping every unsynced fact and the sequence numbers.
import { enrollRequestSchema, enrollResponseSchema } from '../../shared/sync';
import { getSetting, type PosDb } from '../db/db';
import { updateSync } from './apply-pull';
import { ledgerCall } from './client';
import { normaliseLedgerUrl, type SetupResult } from './enrol';
import { saveDeviceToken, trustLedger } from './token';

/**
 * Re-pair with a pairing code of the new ledger, asking for this till's own id. Unlike a new
 * enrolment nothing local is wiped: the outbox keeps its facts and numbers, so the ledger gets
 * each exactly once whether this till or its old hub delivers it. The next pull is a full one.
 */
export async function repointTill(
  db: PosDb,
  input: { url: string; pairingCode: string },
): Promise<SetupResult> {
  const link = await getSetting(db, 'ledger');
  const device = await getSetting(db, 'device');
  if (!link || !device)
    return { ok: false, message: 'This till is not linked to a ledger: pair it instead.' };
  const url = normaliseLedgerUrl(input.url);
  if (!url)
    return { ok: false, message: 'Enter the ledger address, e.g. http://192.168.1.20:4310' };
  const body = enrollRequestSchema.safeParse({
    pairingCode: input.pairingCode.trim(),
    name: device.name,
    deviceId: link.deviceId,
  });
  if (!body.success)
    return { ok: false, message: body.error.issues[0]?.message ?? 'Check the pairing code.' };
  const res = await ledgerCall(url, '/api/v1/devices/enroll', {
    method: 'POST',
    body: body.data,
    schema: enrollResponseSchema,
  });
  if (!res.ok)
    return {
      ok: false,
      message:
        res.failure === 'network' || res.failure === 'timeout'
          ? `No ledger answers at ${url}.`
          : res.message,
    };
  const moved = res.value;
  if (moved.deviceId !== link.deviceId || moved.prefix !== link.prefix)
    return {
      ok: false,
      message: `The ledger at ${url} gave this till another identity (${moved.prefix}); it is not moved.`,
    };
  const { inLink } = await saveDeviceToken(moved.token);
  await db.settings.put({ key: 'ledger', value: { ...link, url, token: inLink } });
  await updateSync(db, { cursor: null });
  await trustLedger(url);
  return { ok: true };
}
