// Owns the till's secrets on disk (device token, promo signing key): encrypted by the OS keychain, never written where only a plain-text backend exists.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretName, SecretStoreInfo } from '../shared/bridge';

/** The part of Electron's `safeStorage` used here, so tests can pass a stand-in for the OS keychain. */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which backend Chromium picked; `basic_text` is a fixed key, i.e. no protection. */
  getSelectedStorageBackend?(): string;
};

/** Linux backends that do not protect anything: a hard-coded key (basic_text), or none known. */
const PLAIN_TEXT_BACKENDS = new Set(['basic_text', 'unknown']);

/** Whether secrets can be stored encrypted here, and what holds them, in words for Settings. */
export function secretStoreInfo(storage: SafeStorageLike, platform: string): SecretStoreInfo {
  if (!storage.isEncryptionAvailable()) {
    return { encrypted: false, store: 'no OS keychain is available' };
  }
  if (platform === 'linux') {
    const backend = storage.getSelectedStorageBackend?.() ?? 'unknown';
    if (PLAIN_TEXT_BACKENDS.has(backend)) {
      return {
        encrypted: false,
        store: `no OS keychain: only the plain-text backend (${backend}); install and unlock GNOME Keyring or KWallet`,
      };
    }
    return { encrypted: true, store: `the OS keychain (${backend})` };
  }
  return {
    encrypted: true,
    store: platform === 'darwin' ? 'the macOS Keychain' : 'the Windows credential store (DPAPI)',
  };
}

export class SecretStore {
  constructor(
    private readonly folder: string,
    private readonly storage: SafeStorageLike,
    private readonly platform: string,
  ) {}

  info(): SecretStoreInfo {
    return secretStoreInfo(this.storage, this.platform);
  }

  async get(name: SecretName): Promise<string | null> {
    const file = this.file(name);
    if (!existsSync(file)) return null;
    return this.storage.decryptString(await readFile(file));
  }

  /** Stores (or with null, forgets) a secret; refuses where it would sit on disk in the clear. */
  async set(name: SecretName, value: string | null): Promise<void> {
    const file = this.file(name);
    if (value === null) return rm(file, { force: true });
    const info = this.info();
    if (!info.encrypted) {
      throw new Error(`PopTill will not store the ${words[name]} here: ${info.store}.`);
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, this.storage.encryptString(value), { mode: 0o600 });
  }

  private file(name: SecretName): string {
    return path.join(this.folder, `${name}.bin`);
  }
}

const words: Record<SecretName, string> = {
  'device-token': 'device token',
  'promo-signing-key': 'promo signing key',
};
