// Secrets are stored only where the OS keychain encrypts them: the plain-text backend is refused and said so in words.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SafeStorageLike, SecretStore, secretStoreInfo } from './secrets';

/** Stands in for the OS keychain behind Electron's safeStorage (the edge of the world). */
function keychain(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (sealed) => Buffer.from([...sealed].map((b) => b ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => backend,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'poptill-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('SecretStore', () => {
  it('keeps the promo signing key encrypted where a keychain exists, and forgets it on null', async () => {
    const store = new SecretStore(dir, keychain('gnome_libsecret'), 'linux');
    await store.set('promo-signing-key', 'a'.repeat(64));
    expect(await store.get('promo-signing-key')).toBe('a'.repeat(64));
    const onDisk = await readFile(path.join(dir, 'promo-signing-key.bin'));
    expect(onDisk.toString()).not.toContain('aaaa');
    await store.set('promo-signing-key', null);
    expect(await store.get('promo-signing-key')).toBeNull();
  });

  it('refuses to store a secret when Linux offers only the plain-text backend, writing nothing', async () => {
    const store = new SecretStore(dir, keychain('basic_text'), 'linux');
    await expect(store.set('promo-signing-key', 'b'.repeat(64))).rejects.toThrow(
      'PopTill will not store the promo signing key here: no OS keychain: only the plain-text backend (basic_text)',
    );
    await expect(store.set('device-token', 'token')).rejects.toThrow(/device token/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('says where secrets are kept, for Settings', () => {
    expect(secretStoreInfo(keychain('kwallet6'), 'linux')).toEqual({
      encrypted: true,
      store: 'the OS keychain (kwallet6)',
    });
    expect(secretStoreInfo(keychain('unknown'), 'linux').encrypted).toBe(false);
    expect(secretStoreInfo(keychain('basic_text', false), 'darwin')).toEqual({
      encrypted: false,
      store: 'no OS keychain is available',
    });
    expect(secretStoreInfo(keychain('unknown'), 'darwin')).toEqual({
      encrypted: true,
      store: 'the macOS Keychain',
    });
  });
});
