// Member contact hashes: the same person found however the cashier types their phone or e-mail, keyed with the store's secret, never the raw contact stored.
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  CONTACT_KDF,
  contactDigest,
  contactHash,
  contactHashSchema,
  memberUpsertSchema,
  normaliseContact,
} from './members';

const KEY = 'a1'.repeat(32);
const OTHER_KEY = 'b2'.repeat(32);
const store = 'northside-pop-up';

describe('contactHash', () => {
  it('is scrypt, keyed with the store secret, of the digest members were stored by before', async () => {
    const digest = bytesToHex(sha256(utf8ToBytes(`${store}:+353871234567`)));
    expect(contactDigest(store, '+353871234567')).toBe(digest);
    const expected = bytesToHex(scrypt(utf8ToBytes(digest), hexToBytes(KEY), CONTACT_KDF));
    const hash = await contactHash(KEY, store, '+353 87 123 4567', 'IE');
    expect(hash).toBe(expected);
    expect(contactHashSchema.safeParse(hash).success).toBe(true);
  });

  it('finds the same member however the phone or e-mail is typed', async () => {
    const forms = ['+353 85 555 0909', '085 555 0909', '00353855550909', '+353 (0)85 555-0909'];
    const hashes = await Promise.all(forms.map((f) => contactHash(KEY, store, f, 'IE')));
    expect(new Set(hashes).size).toBe(1);
    expect(await contactHash(KEY, store, '  Aoife@Example.IE ', 'IE')).toBe(
      await contactHash(KEY, store, 'aoife@example.ie', 'IE'),
    );
  });

  it('differs per key, so a member list copied without the key matches nothing', async () => {
    const phone = '+353855550909';
    expect(await contactHash(KEY, store, phone, 'IE')).not.toBe(
      await contactHash(OTHER_KEY, store, phone, 'IE'),
    );
  });
});

describe('normaliseContact', () => {
  it('keeps the digits of a national number it cannot place, as before', () => {
    expect(normaliseContact('087 123 4567', null)).toBe('0871234567');
    expect(normaliseContact('087 123 4567', 'IE')).toBe('+353871234567');
    expect(normaliseContact('+353 87', 'IE')).toBe('+35387');
  });
});

describe('memberUpsertSchema', () => {
  it('takes a name, tiers and optional contacts, refusing a malformed tier', () => {
    expect(
      memberUpsertSchema.parse({ name: 'Aoife', tiers: ['members'], email: 'a@example.ie' }),
    ).toEqual({ name: 'Aoife', tiers: ['members'], email: 'a@example.ie', active: true });
    expect(memberUpsertSchema.safeParse({ name: 'A', tiers: ['Members!'] }).success).toBe(false);
  });
});
