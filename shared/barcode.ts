// GTIN barcodes (EAN-13, UPC-A, EAN-8): check digits and validation.

/** The GS1 mod-10 check digit for the digits before it. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14 digit GTIN with a correct check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** Complete a GTIN body (7, 11, 12 or 13 digits) with its check digit. */
export function withCheckDigit(body: string): string {
  if (!/^(\d{7}|\d{11,13})$/.test(body))
    throw new RangeError('a GTIN body is 7, 11, 12 or 13 digits');
  return body + gtinCheckDigit(body);
}
