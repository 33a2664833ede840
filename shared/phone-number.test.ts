// Phone numbers to E.164: one number however a cashier types it, in the store's country.
import { describe, expect, it } from 'vitest';
import { regionOfLocale, toE164 } from './phone-number';

describe('toE164', () => {
  it('reads an Irish number typed in every usual way as one number', () => {
    for (const typed of [
      '+353 85 555 0909',
      '085 555 0909',
      '00353855550909',
      '+353 (0)85 555 0909',
      '(085) 555-0909',
      '085.555.0909',
    ])
      expect(toE164(typed, 'IE'), typed).toBe('+353855550909');
  });

  it("uses each country's trunk and international prefixes", () => {
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(toE164('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(toE164('1 415 555 0100', 'US')).toBe('+14155550100');
    expect(toE164('011 353 85 555 0909', 'US')).toBe('+353855550909');
    expect(toE164('0011 353 85 555 0909', 'AU')).toBe('+353855550909');
    expect(toE164('0412 345 678', 'AU')).toBe('+61412345678');
    // Italy keeps the leading 0 of a landline.
    expect(toE164('06 1234 5678', 'IT')).toBe('+390612345678');
    expect(toE164('030 1234567', 'DE')).toBe('+49301234567');
  });

  it('reads a number with its country code the same in any store', () => {
    expect(toE164('+353 85 555 0909', 'DE')).toBe('+353855550909');
    expect(toE164('00353855550909', null)).toBe('+353855550909');
  });

  it('cannot place a national number without a known country, nor too few or many digits', () => {
    expect(toE164('085 555 0909', null)).toBeNull();
    expect(toE164('085 555 0909', 'ZZ')).toBeNull();
    expect(toE164('+353 1', 'IE')).toBeNull();
    expect(toE164('+1234567890123456', 'IE')).toBeNull();
  });
});

describe('regionOfLocale', () => {
  it("takes the locale's region, or the likeliest for its language", () => {
    expect(regionOfLocale('en-IE')).toBe('IE');
    expect(regionOfLocale('ga')).toBe('IE');
    expect(regionOfLocale('not a locale!')).toBeNull();
  });
});
