// Settings says plainly where the till's secrets are: the OS keychain, or unencrypted and why.
import { describe, expect, it } from 'vitest';
import { secretsSentence } from './secrets-note';

describe('secretsSentence', () => {
  const keychain = { encrypted: true, store: 'the OS keychain (gnome_libsecret)' };
  it('names the keychain when both secrets are in it', () => {
    expect(secretsSentence('electron', keychain, { place: 'keychain' })).toBe(
      'Secrets: the device token and the promo signing key are kept in the OS keychain (gnome_libsecret).',
    );
  });

  it('says browser mode keeps them unencrypted in IndexedDB', () => {
    expect(
      secretsSentence(
        'browser',
        { encrypted: false, store: 'IndexedDB' },
        { place: 'database', reason: 'browser mode has no keychain' },
      ),
    ).toMatch(/IndexedDB, unencrypted/);
  });

  it('says a plain-text-only keychain is refused, and what that means', () => {
    const sentence = secretsSentence(
      'electron',
      { encrypted: false, store: 'no OS keychain: only the plain-text backend (basic_text)' },
      { place: 'database', reason: 'refused' },
    );
    expect(sentence).toContain('plain-text backend (basic_text)');
    expect(sentence).toContain('will not store the device token');
    expect(sentence).toContain("promo signing key stays in the till's database, unencrypted");
  });
});
