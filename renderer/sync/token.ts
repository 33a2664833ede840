// Where this till's device token lives (the OS keychain through the Electron bridge, else IndexedDB in browser mode) and which ledger the shell lets the window reach.
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

/**
 * Tells the Electron shell the ledger this till is now enrolled with (null: none), so its CSP lets
 * the window connect to that ledger only. The header applies from the next load; this page is
 * narrowed at once by a meta policy (policies only ever add restrictions). Widening needs a new
 * page, so forgetting the ledger reloads. Browser mode cannot change its policy at run time (see
 * docs/content-security-policy.md).
 */
export async function trustLedger(url: string | null): Promise<void> {
  if (!inElectron()) return;
  await pos['ledger-set'](url);
  if (url === null) {
    window.location.reload();
    return;
  }
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = `connect-src 'self' ${new URL(url).origin}`;
  document.head.append(meta);
}
