import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSales } from '../../test/ledger/fixtures';
import { canonicalJson, contentHash, factIdentity } from './push-identity';

/** The definition: keys sorted with the default sort at every level, undefined members left out. */
function plainCanonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(plainCanonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${plainCanonical(record[k])}`);
  return `{${members.join(',')}}`;
}

// A fact's content hash must never change: a resent sale has to be recognised as the same fact.
describe('the canonical text a content hash is taken over', () => {
  it('is the plain definition for any JSON a till can send', () => {
    const key = fc.oneof(
      fc.constantFrom('a', 'b', 'B', 'é', '_', '10', '9', '01', '', 'constructor', 'toJSON'),
      fc.string({ unit: 'binary' }),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          null,
          true,
          false,
          0,
          -0,
          1e21,
          5e-7,
          -1.5,
          2 ** 53 + 2,
          '\u2028',
          '\ud800',
        ),
        fc.double(),
        fc.string({ unit: 'binary' }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 6 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(plainCanonical(value));
        // As the ledger gets it: text a till wrote, parsed again.
        const parsed: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
        expect(canonicalJson(parsed)).toBe(plainCanonical(parsed));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives a sale the hash it has always had', () => {
    const [sale] = makeSales('01J00000000000000000DEVICE', 'T1', 1, { seed: 3 });
    // Taken with the ledger before canonicalJson was rewritten for speed (commit ae18787).
    expect(contentHash(sale!)).toBe(
      '951f50a8604758d81854fe8d7135cd142f3901c998f78b86b9311837299c229e',
    );
  });

  it('is the hash of the plain canonical fact, and keeps the payload as the JSON it stores', () => {
    const fact = fc.record({
      type: fc.string({ unit: 'binary' }),
      seq: fc.oneof(fc.integer(), fc.double()),
      createdAt: fc.string({ unit: 'binary' }),
      payload: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    });
    fc.assert(
      fc.property(fact, (f) => {
        const { type, seq, createdAt, payload } = f;
        const plain = plainCanonical({ type, seq, createdAt, payload: payload ?? null });
        const identity = factIdentity(f);
        expect(identity.hash).toBe(createHash('sha256').update(plain, 'utf8').digest('hex'));
        expect(identity.payloadJson).toBe(plainCanonical(payload ?? null));
        expect(JSON.parse(identity.payloadJson)).toEqual(
          JSON.parse(JSON.stringify(payload ?? null)),
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
