import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidGtin, withCheckDigit } from './barcode';

describe('GTIN check digits of real codes', () => {
  // Weights run 3, 1, 3, … from the digit next to the check digit; check = (10 − sum mod 10) mod 10.
  it('EAN-13 4006381333931', () => {
    // 400638133393: 3·3+9+3·3+3+3·3+1+8·3+3+6·3+0+0·3+4 = 89 → 1
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(isValidGtin('4006381333931')).toBe(true);
  });

  it('EAN-13 5901234123457', () => {
    // 590123412345: 5·3+4+3·3+2+1·3+4+3·3+2+1·3+0+9·3+5 = 83 → 7
    expect(gtinCheckDigit('590123412345')).toBe(7);
    expect(isValidGtin('5901234123457')).toBe(true);
  });

  it('EAN-13 of a book (ISBN 978-0-306-40615-7)', () => {
    // 978030640615: 5·3+1+6·3+0+4·3+6+0·3+3+0·3+8+7·3+9 = 93 → 7
    expect(withCheckDigit('978030640615')).toBe('9780306406157');
  });

  it('UPC-A 036000291452', () => {
    // 03600029145: 5·3+4+1·3+9+2·3+0+0·3+0+6·3+3+0·3 = 58 → 2
    expect(gtinCheckDigit('03600029145')).toBe(2);
    expect(isValidGtin('036000291452')).toBe(true);
    // the same product as a 13-digit EAN (leading 0) is still valid
    expect(isValidGtin('0036000291452')).toBe(true);
  });

  it('EAN-8 96385074 and GTIN-14 10012345678902', () => {
    // 9638507: 7·3+0+5·3+8+3·3+6+9·3 = 86 → 4
    expect(withCheckDigit('9638507')).toBe('96385074');
    // 1001234567890: 0·3+9+8·3+7+6·3+5+4·3+3+2·3+1+0·3+0+1·3 = 88 → 2
    expect(withCheckDigit('1001234567890')).toBe('10012345678902');
  });

  it('a sum already a multiple of ten gives check digit 0, not 10', () => {
    // 400638133390: as 4006381333931 but the last body digit 3 → 0 takes 9 off: 89 − 9 = 80 → 0
    expect(gtinCheckDigit('400638133390')).toBe(0);
    expect(withCheckDigit('400638133390')).toBe('4006381333900');
  });
});

describe('isValidGtin: what a scanner or keyboard gives', () => {
  it('refuses a mistyped digit', () => {
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('5901234123475')).toBe(false); // last two digits swapped
    expect(isValidGtin('036000291453')).toBe(false);
  });

  it('refuses wrong lengths and anything but digits', () => {
    for (const bad of [
      '',
      '123',
      '9638507',
      '963850744',
      '1234567890',
      '400638133393100',
      '400638133393a',
      ' 4006381333931',
      '4006381333931\n',
      '-4006381333931',
    ]) {
      expect(isValidGtin(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('withCheckDigit refuses a body of the wrong length', () => {
    for (const bad of ['', '123456', '12345678', '1234567890', '12345678901234', '12345678901a']) {
      expect(() => withCheckDigit(bad), bad).toThrow(RangeError);
    }
  });
});

describe('GTIN invariants (property)', () => {
  const body = fc
    .constantFrom(7, 11, 12, 13)
    .chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)));

  it('every completed code is valid, and leading zeros do not change the check digit', () => {
    fc.assert(
      fc.property(body, (b) => {
        const code = withCheckDigit(b);
        expect(isValidGtin(code)).toBe(true);
        expect(gtinCheckDigit(`0${b}`)).toBe(gtinCheckDigit(b));
      }),
    );
  });

  it('catches every single wrong digit', () => {
    fc.assert(
      fc.property(body, fc.nat(), fc.integer({ min: 1, max: 9 }), (b, pos, delta) => {
        const code = withCheckDigit(b);
        const i = pos % code.length;
        const wrong = String((Number(code[i]) + delta) % 10);
        expect(isValidGtin(code.slice(0, i) + wrong + code.slice(i + 1))).toBe(false);
      }),
    );
  });

  it('catches a swap of neighbouring digits unless they differ by 0 or 5 (a known mod-10 blind spot)', () => {
    fc.assert(
      fc.property(body, fc.nat(), (b, pos) => {
        const code = withCheckDigit(b);
        const i = pos % (code.length - 1);
        const [x, y] = [Number(code[i]), Number(code[i + 1])];
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        expect(isValidGtin(swapped)).toBe(Math.abs(x - y) % 5 === 0);
      }),
    );
  });
});
