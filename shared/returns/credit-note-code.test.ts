// Credit-note codes: issued and read back offline; any altered character or face value is caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PromoKey } from '../promo';
import { issueCode, promoSigningKeyPair } from '../promo-code';
import { issueCreditNote, readCreditNote, STORE_CREDIT_CAMPAIGN } from './credit-note-code';

const pair = promoSigningKeyPair(new Uint8Array(32).fill(7));
const signer = { keyId: 'ed-till-1', secretKeyHex: pair.secretKeyHex };
const secret = 'c3RvcmUtbWFjLWtleS1mb3ItdGVzdHM';
const keys: PromoKey[] = [
  { kind: 'hmac', id: 'k1', secret, retired: false },
  { kind: 'ed25519', id: 'ed-till-1', deviceId: 'device-1', publicKey: pair.publicKeyHex },
];
const note = (seq: number, amount = 2500) =>
  issueCreditNote({ deviceNo: 3, seq, key: { secret }, signer, amount, currency: 'EUR' });

describe('credit-note codes', () => {
  it('reads back what it issued, typed or scanned, with the face value only from the signed QR', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (seq, amount) => {
          const { code, qr } = note(seq, amount);
          expect(code.startsWith('CR-')).toBe(true);
          expect(readCreditNote(code.toLowerCase(), keys)).toEqual({
            ok: true,
            code,
            deviceNo: 3,
            seq,
            face: null,
            tagValid: true,
          });
          expect(readCreditNote(qr, keys)).toMatchObject({
            ok: true,
            code,
            face: { amount, currency: 'EUR' },
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a QR with any character of its code or face value changed', () => {
    const { qr } = note(42);
    const [prefix, code, amount] = qr.split('.') as [string, string, string];
    const bodyEnd = prefix.length + 1 + code.length + 1 + amount.length;
    fc.assert(
      fc.property(fc.integer({ min: prefix.length + 1, max: bodyEnd - 1 }), (at) => {
        const ch = qr[at]!;
        if (ch === '.' || ch === '-') return;
        const swapped = ch === '7' ? '8' : '7';
        const altered = qr.slice(0, at) + swapped + qr.slice(at + 1);
        expect(readCreditNote(altered, keys).ok).toBe(false);
      }),
    );
  });

  it('tells a typo, a promo code and a code made with another key apart', () => {
    const { code } = note(5);
    const last = code.at(-1)!;
    expect(readCreditNote(code.slice(0, -1) + (last === 'A' ? 'B' : 'A'), keys)).toMatchObject({
      ok: false,
      code: 'typo',
    });
    const promo = issueCode({
      campaign: { id: 'spring', prefix: 'SPRING' },
      deviceNo: 3,
      seq: 5,
      key: { secret },
    });
    expect(readCreditNote(promo, keys)).toMatchObject({ ok: false, code: 'unknown' });
    const other = issueCode({
      campaign: STORE_CREDIT_CAMPAIGN,
      deviceNo: 3,
      seq: 5,
      key: { secret: 'b3RoZXIta2V5LW5vdC10aGUtc3RvcmVz' },
    });
    expect(readCreditNote(other, keys)).toMatchObject({ ok: true, tagValid: false });
    expect(
      readCreditNote(
        note(6).qr,
        keys.filter((k) => k.kind === 'hmac'),
      ),
    ).toMatchObject({
      ok: false,
      code: 'tampered',
    });
  });

  it("a revoked till's signature vouches for no face value, and a revoked store key for no tag", () => {
    const { code, qr } = note(7);
    const revoked = keys.map((k) => ({ ...k, revoked: true }));
    expect(readCreditNote(qr, revoked)).toMatchObject({ ok: false, code: 'tampered' });
    expect(readCreditNote(code, revoked)).toMatchObject({ ok: true, tagValid: false });
  });
});
