// Where this till's device token lives: the OS keychain through the Electron bridge, else IndexedDB (browser mode).
import { pos } from '../bridge';
import { getSetting, type PosDb } from '../db/db';

const inElectron = () => window.pos !== undefined;

export async function readDeviceToken(db: PosDb): Promise<string | null> {
  if (inElectron()) return pos['secret-get']('device-token');
  return (await getSetting(db, 'ledger'))?.token ?? null;
}

/** Stores the token with the link (browser) or in the keychain (Electron, link saved without it). */
export async function saveDeviceToken(
  token: string | null,
): Promise<{ inLink: string | undefined }> {
  if (inElectron()) {
    await pos['secret-set']('device-token', token);
    return { inLink: undefined };
  }
  return { inLink: token ?? undefined };
}
