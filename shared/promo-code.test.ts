import { describe, expect, it } from 'vitest';
import type { Campaign, PromoKey } from './promo';
import {
  CROCKFORD,
  checkQr,
  deviceNoFromPrefix,
  issueCode,
  issueQr,
  parseCode,
  promoSigningKeyPair,
  verifyCode,
} from './promo-code';

const KEY: PromoKey = {
  kind: 'hmac',
  id: 'k1',
  secret: 'c2VjcmV0LWtleS1vZi10aGUtc3RvcmUtMDAx',
  retired: false,
};
const OTHER_STORE_KEY: PromoKey = {
  kind: 'hmac',
  id: 'k9',
  secret: 'YW5vdGhlci1zdG9yZS1rZXktMDAwMDAwMDA',
  retired: false,
};

const maya: Campaign = {
  id: 'maya-live',
  name: 'Maya Creates live stream',
  prefix: 'MAYA',
  offer: { kind: 'percent', bp: 1000 },
  scope: { kind: 'categories', categories: ['Hoodies'] },
  startsAt: '2026-11-01T00:00:00.000Z',
  endsAt: '2026-11-30T23:00:00.000Z',
  audience: { kind: 'anyone' },
  maxUsesPerCode: 1,
  maxUsesPerCustomer: null,
  budget: 50_000,
  channel: 'live-stream',
  promoter: 'Maya Creates',
  promoterCost: 15_000,
  tillsMayIssue: true,
  status: 'active',
};
const nextVisit: Campaign = {
  ...maya,
  id: 'next-visit',
  name: 'Next visit',
  prefix: 'BACK',
  offer: { kind: 'amount', amount: 500 },
  scope: { kind: 'all' },
  promoter: null,
  promoterCost: 0,
};
/** A prefix with I, L and O, which readers confuse with 1 and 0. */
const foil: Campaign = { ...nextVisit, id: 'foil-print', prefix: 'FOIL' };
const NOW = new Date('2026-11-15T12:00:00Z');
const opts = {
  keys: [KEY],
  campaigns: [maya, nextVisit, foil],
  now: NOW,
  timeZone: 'Europe/Dublin',
};

describe('typed promo codes', () => {
  it('look like MAYA-XXXX-XXXX-XXXX-XXXX and verify offline with the store key', () => {
    const code = issueCode({ campaign: maya, deviceNo: 1, seq: 1, key: KEY });
    expect(code).toMatch(/^MAYA(-[0-9A-HJKMNP-TV-Z*~$=U]{4}){4}$/);
    const v = verifyCode(code, opts);
    expect(v).toMatchObject({ ok: true, code, via: 'typed', deviceNo: 1, seq: 1 });
    expect(v.ok && v.campaign.id).toBe('maya-live');
  });

  it('read back what people type: lower case, spaces, no hyphens, O for 0 and I/L for 1', () => {
    let code = '';
    for (let seq = 1; !/[01]/.test(code.slice(5)); seq++) {
      code = issueCode({ campaign: maya, deviceNo: 2, seq, key: KEY });
    }
    const sloppy = code
      .slice(0, 5)
      .concat(code.slice(5).replace(/0/g, 'o').replace(/1/g, 'l'))
      .toLowerCase()
      .replace(/-/g, ' ')
      .replace(' ', '');
    expect(verifyCode(` ${sloppy} `, opts)).toMatchObject({ ok: true, code });
    expect(verifyCode(code.replace(/-/g, '--'), opts)).toMatchObject({ ok: true, code });
  });

  it('never collide across 2 devices × 100,000 codes', () => {
    const seen = new Set<string>();
    for (const deviceNo of [1, 2]) {
      for (let seq = 1; seq <= 100_000; seq++) {
        seen.add(issueCode({ campaign: maya, deviceNo, seq, key: KEY }));
      }
    }
    expect(seen.size).toBe(200_000);
  }, 60_000);

  it('catch every single-character substitution and every adjacent transposition', () => {
    const alphabet = [...new Set([...CROCKFORD, ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ*~$='])];
    let tried = 0;
    for (let i = 0; i < 60; i++) {
      const campaign = i % 2 ? maya : foil;
      const code = issueCode({ campaign, deviceNo: (i * 37) % 1024, seq: 1 + i * 7919, key: KEY });
      const chars = [...code];
      for (let p = 0; p < chars.length; p++) {
        if (chars[p] === '-') continue;
        for (const c of alphabet) {
          // Reading O as 0 and I/L as 1 is a feature, not a typo, after the prefix.
          const same =
            c === chars[p] ||
            (p > campaign.prefix.length &&
              (c === 'O' ? '0' : c === 'I' || c === 'L' ? '1' : c) === chars[p]);
          if (same) continue;
          const typo = [...chars];
          typo[p] = c;
          const v = verifyCode(typo.join(''), opts);
          expect(v.ok, `${code} → ${typo.join('')}`).toBe(false);
          expect(!v.ok && v.code).toBe('typo');
          tried++;
        }
      }
      const flat = code.replace(/-/g, '');
      for (let p = 0; p + 1 < flat.length; p++) {
        if (flat[p] === flat[p + 1]) continue;
        const swapped = flat.slice(0, p) + flat[p + 1] + flat[p] + flat.slice(p + 2);
        const v = verifyCode(swapped, opts);
        expect(v.ok, `${flat} → ${swapped}`).toBe(false);
        expect(!v.ok && v.code).toBe('typo');
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(40_000);
  });

  it('refuse a code moved to another campaign, device or sequence, or made with another key', () => {
    const code = issueCode({ campaign: maya, deviceNo: 3, seq: 42, key: KEY });
    const parsed = parseCode(code);
    if (!parsed.ok) throw new Error('issued code does not parse');
    // Re-encode the same tag with one field changed and a correct check symbol: only the MAC can tell.
    const forge = (c: Pick<Campaign, 'id' | 'prefix'>, deviceNo: number, seq: number) => {
      const genuine = issueCode({ campaign: c, deviceNo, seq, key: KEY });
      const honest = parseCode(genuine);
      if (!honest.ok) throw new Error('no');
      return reencode(c.prefix, parsed.tag, honest.campaignTag, deviceNo, seq);
    };
    for (const fake of [forge(maya, 4, 42), forge(maya, 3, 43), forge(nextVisit, 3, 42)]) {
      expect(parseCode(fake).ok).toBe(true);
      expect(verifyCode(fake, opts)).toMatchObject({ ok: false, code: 'forged' });
    }
    const otherStore = issueCode({ campaign: maya, deviceNo: 3, seq: 42, key: OTHER_STORE_KEY });
    expect(verifyCode(otherStore, opts)).toMatchObject({
      ok: false,
      code: 'forged',
      message: "This code isn't one we issued — it may have been altered.",
    });
  });

  it('keep verifying with a retired key after rotation', () => {
    const code = issueCode({ campaign: maya, deviceNo: 1, seq: 9, key: KEY });
    const rotated = [OTHER_STORE_KEY, { ...KEY, retired: true }];
    expect(verifyCode(code, { ...opts, keys: rotated }).ok).toBe(true);
  });

  it('stop verifying, typed or as a QR, once their key is revoked: a retired key still verifies', () => {
    const code = issueCode({ campaign: maya, deviceNo: 1, seq: 10, key: KEY });
    const retired = [OTHER_STORE_KEY, { ...KEY, retired: true }];
    expect(verifyCode(code, { ...opts, keys: retired }).ok).toBe(true);
    const revoked: PromoKey[] = [OTHER_STORE_KEY, { ...KEY, retired: true, revoked: true }];
    expect(verifyCode(code, { ...opts, keys: revoked })).toEqual({
      ok: false,
      code: 'revoked-key',
      message:
        'This code was made with a key the store has withdrawn — it is no longer valid. Ask a manager.',
    });
    const till = promoSigningKeyPair(new Uint8Array(32).fill(5));
    const { qr } = issueQr({
      campaign: maya,
      deviceNo: 1,
      seq: 11,
      key: KEY,
      signer: { keyId: 'dev-b', secretKeyHex: till.secretKeyHex },
    });
    const tillKey: PromoKey = {
      kind: 'ed25519',
      id: 'dev-b',
      deviceId: 'dev-b',
      publicKey: till.publicKeyHex,
    };
    expect(verifyCode(qr, { ...opts, keys: [KEY, tillKey] }).ok).toBe(true);
    expect(verifyCode(qr, { ...opts, keys: [...revoked, tillKey] })).toMatchObject({
      ok: false,
      code: 'revoked-key',
    });
    // A till's own signing key withdrawn: its QR codes vouch for nothing.
    expect(verifyCode(qr, { ...opts, keys: [KEY, { ...tillKey, revoked: true }] })).toMatchObject({
      ok: false,
      code: 'revoked-key',
    });
  });

  it('refuse expired, not-yet-valid and paused campaigns with the reason in plain words', () => {
    const code = issueCode({ campaign: maya, deviceNo: 1, seq: 5, key: KEY });
    expect(verifyCode(code, { ...opts, now: new Date('2026-12-01T09:00:00Z') })).toEqual({
      ok: false,
      code: 'expired',
      message: 'This code expired on 30 Nov.',
    });
    expect(verifyCode(code, { ...opts, now: new Date('2026-10-31T09:00:00Z') })).toEqual({
      ok: false,
      code: 'not-yet-valid',
      message: 'This code works from 1 Nov.',
    });
    const paused = { ...opts, campaigns: [{ ...maya, status: 'paused' as const }] };
    expect(verifyCode(code, paused)).toMatchObject({ ok: false, code: 'paused' });
  });

  it('say plainly when a code is not a code or its campaign is unknown', () => {
    expect(verifyCode('HELLO', opts)).toMatchObject({ ok: false, code: 'malformed' });
    const code = issueCode({ campaign: maya, deviceNo: 1, seq: 5, key: KEY });
    expect(verifyCode(code, { ...opts, campaigns: [nextVisit] })).toMatchObject({
      ok: false,
      code: 'unknown-campaign',
    });
  });

  it('refuse device numbers and sequences that do not fit', () => {
    expect(() => issueCode({ campaign: maya, deviceNo: 1024, seq: 1, key: KEY })).toThrow(
      RangeError,
    );
    expect(() => issueCode({ campaign: maya, deviceNo: 1, seq: 0, key: KEY })).toThrow(RangeError);
    expect(deviceNoFromPrefix('T7')).toBe(7);
    expect(deviceNoFromPrefix('X1')).toBeNull();
  });
});

describe('signed QR codes', () => {
  const till = promoSigningKeyPair(new Uint8Array(32).fill(7));
  const thief = promoSigningKeyPair(new Uint8Array(32).fill(9));
  const tillKey: PromoKey = {
    kind: 'ed25519',
    id: 'dev-a',
    deviceId: 'dev-a',
    publicKey: till.publicKeyHex,
  };
  const keys = [KEY, tillKey];
  const issue = (seq: number) =>
    issueQr({
      campaign: nextVisit,
      deviceNo: 1,
      seq,
      key: KEY,
      signer: { keyId: 'dev-a', secretKeyHex: till.secretKeyHex },
    });

  it('verify offline with the issuing till public key', () => {
    const { code, qr } = issue(1);
    expect(verifyCode(qr, { ...opts, keys })).toMatchObject({ ok: true, code, via: 'qr' });
  });

  it('are the only form a signed-only campaign takes: the same code typed is refused', () => {
    const signedOnly = { ...nextVisit, signedOnly: true };
    const { code, qr } = issue(5);
    const only = { ...opts, keys, campaigns: [signedOnly] };
    expect(verifyCode(code, only)).toEqual({
      ok: false,
      code: 'signed-only',
      message:
        "This offer takes its QR code only — scan the customer's coupon or phone instead of typing the code.",
    });
    expect(verifyCode(qr, only)).toMatchObject({ ok: true, code, via: 'qr' });
    expect(verifyCode(code, { ...opts, keys }).ok).toBe(true);
  });

  it('fail after any change of any character', () => {
    const { qr } = issue(2);
    const swaps = 'ABCXYZ019-_';
    for (let p = 0; p < qr.length; p++) {
      const c = swaps[(p * 7) % swaps.length] === qr[p] ? 'Q' : swaps[(p * 7) % swaps.length]!;
      const changed = qr.slice(0, p) + c + qr.slice(p + 1);
      expect(verifyCode(changed, { ...opts, keys }).ok, `position ${p}`).toBe(false);
    }
  });

  it('fail when signed by a key the tills do not know, or when the campaign terms changed', () => {
    const stolen = issueQr({
      campaign: nextVisit,
      deviceNo: 1,
      seq: 3,
      key: KEY,
      signer: { keyId: 'dev-a', secretKeyHex: thief.secretKeyHex },
    });
    expect(checkQr(stolen.qr, keys)).toEqual({ ok: false, code: 'forged' });
    const { qr } = issue(4);
    const richer = { ...nextVisit, offer: { kind: 'amount' as const, amount: 5_000 } };
    expect(verifyCode(qr, { ...opts, keys, campaigns: [richer] })).toMatchObject({
      ok: false,
      code: 'terms-changed',
    });
  });
});

function reencode(
  prefix: string,
  tag: bigint,
  campaignTag: number,
  deviceNo: number,
  seq: number,
): string {
  let v = (((tag << 8n) | BigInt(campaignTag)) << 10n) | BigInt(deviceNo);
  v = (v << 20n) | BigInt(seq);
  let data = '';
  for (let i = 0; i < 15; i++) {
    data = CROCKFORD[Number(v & 31n)]! + data;
    v >>= 5n;
  }
  let r = 0;
  for (const ch of prefix + data) r = (r * 32 + CROCKFORD.indexOf(ch)) % 37;
  return `${prefix}-${data}${`${CROCKFORD}*~$=U`[r]}`;
}
