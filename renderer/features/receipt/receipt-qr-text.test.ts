// The receipt a customer photographs as a QR: the same document the printer gets, compact, bounded, with the returns id.
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../../shared/cart';
import type { StoreSettings } from '../../../shared/catalog';
import { receiptDocument } from '../../../shared/receipt';
import { returnReceipt } from '../../../shared/return-receipt';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import { type Sale, saleSchema } from '../../../shared/sale';
import { settle } from '../../../shared/tender';
import { QR_TEXT_MAX_BYTES, receiptQrText } from './receipt-qr-text';

const store: StoreSettings = {
  storeId: 'northside',
  name: 'Northside Pop-Up',
  currency: 'EUR',
  locale: 'en-IE',
  timeZone: 'Europe/Dublin',
  pricesIncludeTax: true,
  cashRounding: 5,
  cashQuickAmounts: [500, 1000],
  denominations: [1000, 500, 100, 5, 1],
  address: ['Stall 12, Smithfield Square', 'Dublin 7'],
  receiptFooter: 'Thanks for shopping local!',
  returnsPromise: 'Returns: 14 days with receipt (members 30).',
};

function sale(names: string[]): Sale {
  const cart = priceCart(
    names.map((name, i) => ({
      lineId: `L${i}`,
      sku: `SKU-${i}`,
      name,
      unitPrice: 1250,
      qty: 1,
      taxClassId: 'standard',
    })),
    undefined,
    { pricesIncludeTax: true, taxRatesPpm: { standard: 230_000 } },
  );
  const tenders = [{ kind: 'cash' as const, amount: Math.ceil(cart.total / 1000) * 1000 }];
  const paid = settle(cart.total, tenders, 5);
  if (!paid.ok) throw new Error(paid.message);
  return saleSchema.parse({
    id: '01JD5Z6X2Q8G7V4N3M2K1H0F9E',
    receiptNumber: 'T1-000042',
    deviceId: 'till-1',
    seq: 42,
    shiftId: 'shift-1',
    staffId: 'staff-aoife',
    staffName: 'Aoife',
    createdAt: '2026-12-04T16:31:00.000Z',
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: cart.lines,
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: paid.value.rounding,
    tenders,
    change: paid.value.change,
  });
}

describe('receiptQrText', () => {
  it('reads as the paper does, one row a line without padding, and carries the returns id', () => {
    const doc = receiptDocument(sale(['Logo tee', 'Tote bag']), store, { width: 48 });
    const text = receiptQrText(doc).split('\n');
    expect(text[0]).toBe('Northside Pop-Up');
    expect(text).toContain('Receipt T1-000042');
    expect(text).toContain('Total €25.00');
    expect(text).toContain('Cash €30.00');
    expect(text).toContain('Change €5.00');
    expect(text).toContain('01JD5Z6X2Q8G7V4N3M2K1H0F9E');
    expect(text).toContain('Thanks for shopping local!');
    for (const line of text) expect(line).not.toMatch(/ {2}|^ | $/);
  });

  it('a long sale still fits a readable QR: promises go first, then middle lines, never the total or the returns id', () => {
    const long = sale(Array.from({ length: 60 }, (_, i) => `Limited print number ${i + 1}`));
    const text = receiptQrText(receiptDocument(long, store, { width: 48 }));
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(QR_TEXT_MAX_BYTES);
    expect(text).toMatch(/^Northside Pop-Up\n/);
    expect(text).toMatch(/… \d+ more lines/);
    expect(text).toContain('Total €750.00');
    expect(text).toContain('01JD5Z6X2Q8G7V4N3M2K1H0F9E');
    expect(text).not.toContain('Thanks for shopping local!');
  });

  it('a return receipt reads the same way: the return, the refund and a credit note’s code to type', () => {
    const from = sale(['Logo tee', 'Tote bag']);
    const ret: SaleReturn = {
      id: '01KC0000000000000000000003',
      deviceId: 'till-1',
      seq: 43,
      returnNumber: 'T1-R-000003',
      saleId: from.id,
      saleReceiptNumber: from.receiptNumber,
      shiftId: 'shift-1',
      staffId: 'staff-aoife',
      createdAt: '2026-12-05T10:15:00.000Z',
      currency: 'EUR',
      lines: [
        {
          lineNo: 1,
          sku: 'SKU-0',
          qty: 1,
          reason: 'wrong-size',
          condition: 'resaleable',
          refund: 1250,
          method: 'original-tender',
        },
      ],
      refundTotal: 1250,
      refunds: [{ kind: 'store-credit', amount: 1250, code: 'CN1-7K3M-Q9XT' }],
    };
    const doc = returnReceipt(ret, from, store, {
      width: 32,
      creditNotes: [
        { code: 'CN1-7K3M-Q9XT', qr: 'signed:CN1-7K3M-Q9XT.sig', validUntil: '5 Dec 2027' },
      ],
    });
    const text = receiptQrText(doc);
    expect(text).toContain('T1-R-000003');
    expect(text).toContain('Refund total €12.50');
    expect(text).toContain('CN1-7K3M-Q9XT');
    expect(text).not.toContain('signed:');
  });
});
