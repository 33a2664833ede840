// Delivery notes: parsing (quotes, BOM, separators, line-numbered errors) and turning lines into label copies.
import { describe, expect, it } from 'vitest';
import { deliveryLabelItems, parseDeliveryNote } from './delivery-note';

const codes = (text: string) => {
  const note = parseDeliveryNote(text);
  if (!note.ok) throw new Error(note.message);
  return note.lines.map(({ code, qty }) => [code, qty]);
};

describe('reading a delivery note', () => {
  it('reads sku,qty with a header, and a note without one', () => {
    expect(codes('sku,qty\nTEE-BLK-M,12\nCAF-ESP,3\n')).toEqual([
      ['TEE-BLK-M', 12],
      ['CAF-ESP', 3],
    ]);
    expect(codes('TEE-BLK-M,12\nCAF-ESP,3')).toEqual([
      ['TEE-BLK-M', 12],
      ['CAF-ESP', 3],
    ]);
  });

  it('takes barcodes, semicolons, a header in another order and Windows line ends', () => {
    expect(codes('Qty;Barcode\r\n4;4006381333931\r\n2;TEE-BLK-M\r\n')).toEqual([
      ['4006381333931', 4],
      ['TEE-BLK-M', 2],
    ]);
  });

  it('ignores a byte-order mark, blank lines and spaces around fields', () => {
    expect(codes('\uFEFFsku,qty\n\n  TEE-BLK-M , 5 \n\r\n,\nCAF-ESP,1\n\n')).toEqual([
      ['TEE-BLK-M', 5],
      ['CAF-ESP', 1],
    ]);
  });

  it('reads quoted fields, with separators and quotes inside', () => {
    expect(codes('"sku";"qty"\n"TEE;BLK ""M""";"7"\n')).toEqual([['TEE;BLK "M"', 7]]);
    expect(codes('barcode,qty\n"4006381333931","10"\n')).toEqual([['4006381333931', 10]]);
  });

  it('names the line of a bad quantity', () => {
    expect(parseDeliveryNote('sku,qty\nTEE-BLK-M,12\n\nCAF-ESP,two\n')).toEqual({
      ok: false,
      code: 'bad-delivery-note',
      message: 'Line 4: quantity for CAF-ESP must be a whole number, not "two"',
    });
    expect(parseDeliveryNote('TEE-BLK-M,1.5')).toMatchObject({
      ok: false,
      message: 'Line 1: quantity for TEE-BLK-M must be a whole number, not "1.5"',
    });
    expect(parseDeliveryNote('TEE-BLK-M,0')).toMatchObject({
      ok: false,
      message: 'Line 1: quantity for TEE-BLK-M must be from 1 to 500',
    });
    expect(parseDeliveryNote('sku,qty\nTEE-BLK-M\n')).toMatchObject({
      ok: false,
      message: 'Line 2: quantity for TEE-BLK-M must be a whole number, not "(empty)"',
    });
  });

  it('says what is wrong with an empty note, a half header, a missing code or an open quote', () => {
    expect(parseDeliveryNote('\uFEFF\n\n')).toMatchObject({
      ok: false,
      message: 'The delivery note lists no products',
    });
    expect(parseDeliveryNote('sku,amount\nA,1')).toMatchObject({
      ok: false,
      message: 'Line 1: the header needs a sku (or barcode) column and a qty column',
    });
    expect(parseDeliveryNote('A,1\n,3')).toMatchObject({
      ok: false,
      message: 'Line 2: no SKU or barcode',
    });
    expect(parseDeliveryNote('A,1\n"B,3\n')).toMatchObject({
      ok: false,
      message: 'Line 2: a quoted field is never closed',
    });
  });
});

describe('label copies from a delivery note', () => {
  const tee = { sku: 'TEE-BLK-M' };
  const coffee = { sku: 'CAF-ESP' };
  const lines = (...qty: number[]) => qty.map((q, i) => ({ code: `C${i}`, qty: q, line: i + 1 }));

  it('gives each product as many copies as arrived, adding up a product listed twice', () => {
    expect(deliveryLabelItems(lines(3, 2, 4), [tee, coffee, tee])).toEqual({
      ok: true,
      items: [
        { product: tee, copies: 7 },
        { product: coffee, copies: 2 },
      ],
    });
  });

  it('lists every unknown code in one message and adds nothing', () => {
    const result = deliveryLabelItems(lines(1, 1, 1), [undefined, tee, undefined]);
    expect(result).toMatchObject({ ok: false, code: 'unknown-codes', unknown: ['C0', 'C2'] });
    expect(result.ok ? '' : result.message).toBe(
      'Not in the catalog: C0, C2. Nothing was added; fix the delivery note and load it again.',
    );
  });

  it('refuses more than 500 labels of one product', () => {
    expect(deliveryLabelItems(lines(300, 300), [tee, tee])).toMatchObject({
      ok: false,
      code: 'too-many-copies',
    });
  });
});
