// What Settings says about where this till's secrets (device token, promo signing key) are kept.
import type { SecretStoreInfo } from '../../../shared/bridge';
import type { PromoKeyPlace } from '../../db/promo-repo';

/** One plain sentence (or two) for the "This till" panel. */
export function secretsSentence(
  shell: 'electron' | 'browser',
  store: SecretStoreInfo,
  key: PromoKeyPlace,
): string {
  if (shell === 'browser') {
    return "Secrets: browser mode has no keychain, so the device token and the promo signing key are kept in this browser's IndexedDB, unencrypted. Run the till in the desktop app to keep them in the OS keychain.";
  }
  if (!store.encrypted) {
    return `Secrets: this computer has ${store.store}. PopTill will not store the device token here, so this till cannot join a ledger, and the promo signing key stays in the till's database, unencrypted.`;
  }
  if (key.place === 'database') {
    return `Secrets: the device token is kept in ${store.store}; the promo signing key is still in the till's database, unencrypted (${key.reason}).`;
  }
  return `Secrets: the device token and the promo signing key are kept in ${store.store}.`;
}
