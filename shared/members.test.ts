// Member contact hashes: the same person found however the cashier types their phone or e-mail, never the raw contact stored.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { contactHash, contactHashSchema, memberUpsertSchema, normaliseContact } from './members';

describe('contactHash', () => {
  it('is hex SHA-256 of store id and the normalised contact', () => {
    const expected = bytesToHex(sha256(utf8ToBytes('northside-pop-up:+353871234567')));
    expect(contactHash('northside-pop-up', '+353 87 123 4567')).toBe(expected);
    expect(contactHashSchema.safeParse(expected).success).toBe(true);
  });

  it('finds the same member however the phone or e-mail is typed', () => {
    const store = 'northside-pop-up';
    expect(contactHash(store, ' +353 (87) 123-4567 ')).toBe(contactHash(store, '+353871234567'));
    expect(contactHash(store, '  Aoife@Example.IE ')).toBe(contactHash(store, 'aoife@example.ie'));
    expect(normaliseContact('087 123 4567')).toBe('0871234567');
    expect(normaliseContact('+353 87')).toBe('+35387');
  });

  it('differs per store, so one store cannot match another store’s hashes', () => {
    expect(contactHash('a', 'aoife@example.ie')).not.toBe(contactHash('b', 'aoife@example.ie'));
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
