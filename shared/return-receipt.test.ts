import { describe, expect, it } from 'vitest';
import type { StoreSettings } from './catalog';
import { type ReceiptWidth, receiptDocument, receiptText } from './receipt';
import { returnReceipt } from './return-receipt';
import { DEFAULT_RETURN_POLICY } from './returns/policy';
import type { SaleReturn } from './returns/return-fact';
import { tillSale } from './returns/till-sales.fixture';
import type { Sale } from './sale';

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
  address: ['Stall 12, Smithfield Square'],
  receiptFooter: 'Thanks for shopping local!',
  returnsPromise: 'Returns within 14 days with this receipt.',
};
const widths: ReceiptWidth[] = [32, 42, 48];

function named(sale: Sale, names: string[]): Sale {
  return { ...sale, lines: sale.lines.map((l, i) => ({ ...l, name: names[i] ?? l.name })) };
}

const sale = named(
  {
    ...tillSale({
      lines: [
        { sku: 'TEE', unitPrice: 2000, qty: 2 },
        { sku: 'MUG', unitPrice: 1200, qty: 1 },
      ],
      cardPerMille: 500,
      createdAt: '2026-12-05T15:30:00.000Z',
    }),
    receiptNumber: 'T1-000007',
  },
  ['Logo tee', 'Riso mug'],
);

function aReturn(over: Partial<SaleReturn> = {}): SaleReturn {
  return {
    id: '01KC0000000000000000000003',
    deviceId: 'till-1',
    seq: 9,
    returnNumber: 'T1-R-000003',
    saleId: sale.id,
    saleReceiptNumber: sale.receiptNumber,
    shiftId: 'shift-1',
    staffId: 'staff-aoife',
    createdAt: '2026-12-12T10:15:00.000Z',
    currency: 'EUR',
    lines: [
      {
        lineNo: 1,
        sku: 'TEE',
        qty: 1,
        reason: 'wrong-size',
        condition: 'resaleable',
        refund: 2000,
        method: 'original-tender',
      },
      {
        lineNo: 2,
        sku: 'MUG',
        qty: 1,
        reason: 'faulty',
        condition: 'damaged',
        refund: 1200,
        method: 'original-tender',
      },
    ],
    refundTotal: 3200,
    refunds: [
      { kind: 'card', amount: 2000, reference: 'RFND-77' },
      { kind: 'cash', amount: 1200 },
    ],
    ...over,
  };
}

/** The paper's words in order, the printer's line breaks and padding taken out. */
const paper = (lines: string[]) =>
  lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');

describe('the return receipt', () => {
  it.each(widths)(
    'says RETURN with its number, time in the store zone and the original receipt (%s columns)',
    (width) => {
      const text = paper(receiptText(returnReceipt(aReturn(), sale, store, { width })));
      expect(text).toContain('RETURN');
      expect(text).toMatch(/Return T1-R-000003/);
      expect(text).toMatch(/Original receipt T1-000007/);
      // 10:15 UTC on 12 Dec is 10:15 in Dublin (winter time).
      expect(text).toMatch(/12 Dec 2026, 10:15/);
    },
  );

  it('lists each returned line with its reason, condition and refund, then where the money went', () => {
    const doc = returnReceipt(aReturn(), sale, store, { width: 48 });
    const text = paper(receiptText(doc));
    expect(text).toMatch(/1 x Logo tee €20\.00/);
    expect(text).toMatch(/Reason: Wrong size Condition: resaleable/);
    expect(text).toMatch(/1 x Riso mug €12\.00 Reason: Faulty Condition: damaged/);
    expect(text).toMatch(/Refund total €32\.00/);
    expect(text).toMatch(/Card refund RFND-77 €20\.00/);
    expect(text).toMatch(/Cash from the drawer €12\.00/);
    expect(text).toContain('Returns within 14 days with this receipt.');
    expect(doc.blocks[0]).toEqual({ kind: 'drawer-kick' });
    expect(doc.blocks.at(-1)).toEqual({ kind: 'cut' });
  });

  it('never opens the drawer when no cash goes back', () => {
    const ret = aReturn({ refunds: [{ kind: 'card', amount: 3200, reference: 'RFND-78' }] });
    const doc = returnReceipt(ret, sale, store, { width: 32 });
    expect(doc.blocks.some((b) => b.kind === 'drawer-kick')).toBe(false);
  });

  it('prints a store-credit note as a QR of its signed form with the code typed below and its amount', () => {
    const ret = aReturn({
      refunds: [{ kind: 'store-credit', amount: 3200, code: 'CN1-7K3M-Q9XT' }],
    });
    const doc = returnReceipt(ret, sale, store, {
      width: 42,
      creditNotes: [
        { code: 'CN1-7K3M-Q9XT', qr: 'signed:CN1-7K3M-Q9XT.sig', validUntil: '5 Dec 2027' },
      ],
    });
    expect(doc.blocks).toContainEqual({
      kind: 'code',
      symbology: 'qr',
      data: 'signed:CN1-7K3M-Q9XT.sig',
    });
    const text = paper(receiptText(doc));
    expect(text).toMatch(/Store credit CN1-7K3M-Q9XT €32\.00/);
    expect(text).toContain('Store credit €32.00: spend it at any of our tills');
    expect(text).toMatch(/Scan or type this code CN1-7K3M-Q9XT Valid until 5 Dec 2027/);
  });

  it('a note the till did not sign prints its typed code as the QR', () => {
    const ret = aReturn({ refunds: [{ kind: 'store-credit', amount: 3200, code: 'CN1-AAAA' }] });
    const doc = returnReceipt(ret, sale, store, { width: 32 });
    expect(doc.blocks).toContainEqual({ kind: 'code', symbology: 'qr', data: 'CN1-AAAA' });
  });

  it('names the sale an exchange paid for, with the credit it took, and a manager override by whom and why', () => {
    const ret = aReturn({
      refunds: [{ kind: 'cash', amount: 200 }],
      exchangeSaleId: '01KC0000000000000000000012',
      override: { approvedBy: 'staff-niamh', reason: 'Regular customer, tag still on' },
    });
    const text = paper(
      receiptText(
        returnReceipt(ret, sale, store, {
          width: 48,
          exchangeReceiptNumber: 'T1-000012',
          approverName: 'Niamh',
        }),
      ),
    );
    expect(text).toMatch(/Exchanged for sale T1-000012 €30\.00/);
    expect(text).toMatch(/Cash from the drawer €2\.00/);
    expect(text).toContain('Approved by Niamh (manager override): Regular customer, tag still on');
  });
});

describe('a reprinted sale receipt with its returns', () => {
  it('shows each returned line under the lines, the refunds and what the sale now paid', () => {
    const doc = receiptDocument(sale, store, { width: 48, returns: [aReturn()] });
    const text = paper(receiptText(doc));
    expect(text).toContain(
      'Returned 12 Dec (T1-R-000003) 1 x Logo tee -€20.00 1 x Riso mug -€12.00',
    );
    expect(text).toMatch(/Refunded -€32\.00/);
    expect(text).toMatch(/Paid less refunds €20\.00/);
    // Returned lines sit above the totals.
    expect(text.indexOf('Returned 12 Dec')).toBeLessThan(text.indexOf('Subtotal'));
  });

  it('ignores returns of other sales and prints as before when there are none', () => {
    const plain = receiptText(receiptDocument(sale, store, { width: 32 }));
    const other = aReturn({ saleId: '01KC0000000000000000000099' });
    expect(receiptText(receiptDocument(sale, store, { width: 32, returns: [other] }))).toEqual(
      plain,
    );
    expect(paper(plain)).not.toContain('Returned');
  });
});

describe('tier notes on sale lines', () => {
  const dropSale = named(
    tillSale({
      lines: [
        {
          sku: 'DROP-TEE',
          unitPrice: 3500,
          qty: 1,
          drop: { dropId: 'riso-friday', step: -1, tier: 'everyone', fastFulfilment: false },
        },
        { sku: 'TOTE', unitPrice: 1500, qty: 1 },
        { sku: 'CAP', unitPrice: 2000, qty: 1, discount: { kind: 'percent', bp: 5000 } },
      ],
    }),
    ['Riso Friday tee', 'Canvas tote', 'Cap'],
  );

  it('prints the stricter rule under a drop line and a steeply discounted line, nothing under a usual line', () => {
    const text = paper(receiptText(receiptDocument(dropSale, store, { width: 48 })));
    expect(text).toMatch(/Riso Friday tee €35\.00 Drop item: exchange only, 7 days/);
    expect(text).toMatch(/Canvas tote €15\.00 Cap/);
    expect(text).toMatch(
      /Discount -€10\.00 Discounted item: store credit or exchange only, 7 days/,
    );
  });

  it("follows the store's own policy and its final-sale list", () => {
    const policy = {
      ...DEFAULT_RETURN_POLICY,
      drop: { days: 3, methods: ['exchange' as const] },
      finalSaleSkus: ['TOTE'],
    };
    const text = paper(
      receiptText(receiptDocument(dropSale, { ...store, returnPolicy: policy }, { width: 48 })),
    );
    expect(text).toContain('Drop item: exchange only, 3 days');
    expect(text).toMatch(/Canvas tote €15\.00 Final sale: no returns unless faulty/);
  });
});
