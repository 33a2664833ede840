// The till window's CSP: before enrolment any ledger address may be tried; once enrolled, connect-src is that ledger alone, kept across restarts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';
import { LedgerTrust } from './ledger-trust';

const directive = (policy: string, name: string) =>
  policy
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1);

describe('contentSecurityPolicy', () => {
  it('lets an enrolled till connect to itself and its ledger only', () => {
    const policy = contentSecurityPolicy('http://192.168.1.20:4310');
    expect(directive(policy, 'connect-src')).toBe("'self' http://192.168.1.20:4310");
    expect(directive(policy, 'script-src')).toBe("'self'");
    expect(directive(policy, 'object-src')).toBe("'none'");
    expect(directive(policy, 'frame-ancestors')).toBe("'none'");
  });

  it('before enrolment lets the set-up screen reach whatever ledger address is typed', () => {
    expect(directive(contentSecurityPolicy(null), 'connect-src')).toBe("'self' http: https:");
  });
});

describe('LedgerTrust', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'poptill-csp-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the enrolled ledger (as its origin) across restarts, and forgets it on reset', async () => {
    const file = path.join(dir, 'ledger.json');
    const trust = await LedgerTrust.open(file);
    expect(trust.origin).toBeNull();
    await trust.set('https://ledger.example.com/api/v1');
    const again = await LedgerTrust.open(file);
    expect(again.origin).toBe('https://ledger.example.com');
    expect(directive(again.policy(), 'connect-src')).toBe("'self' https://ledger.example.com");
    await again.set(null);
    expect((await LedgerTrust.open(file)).origin).toBeNull();
  });

  it('refuses an address that is not http(s), or carries a password, and keeps what it had', async () => {
    const file = path.join(dir, 'ledger.json');
    const trust = await LedgerTrust.open(file);
    await trust.set('http://10.0.0.5:4310');
    for (const bad of ['javascript:alert(1)', 'file:///etc', 'http://u:p@10.0.0.6', 'nonsense']) {
      await expect(trust.set(bad)).rejects.toThrow(/is not a ledger address/);
    }
    expect(trust.origin).toBe('http://10.0.0.5:4310');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ origin: 'http://10.0.0.5:4310' });
  });
});
