import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CartLine, type Discount, priceCart } from './cart';
import type { StoreSettings } from './catalog';
import { formatMoney } from './money';
import {
  isControlCharacter,
  printableText,
  printedLength,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  receiptDocument,
  receiptText,
  tenderLabel,
} from './receipt';
import { type Sale, saleSchema } from './sale';
import { settle, type Tender } from './tender';

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
};
const rates = { standard: 230_000, reduced: 135_000 };
const widths: ReceiptWidth[] = [32, 42, 48];

interface LineSpec {
  name: string;
  unitPrice: number;
  qty?: number;
  taxClassId?: 'standard' | 'reduced';
  discount?: Discount;
}

/** A sale priced and settled with the shared rules, as the till commits it. */
function makeSale(
  specs: LineSpec[],
  opts: {
    tender?: 'cash' | 'card' | 'none';
    orderDiscount?: Discount;
    at?: string;
    pricesIncludeTax?: boolean;
  } = {},
): Sale {
  const lines: CartLine[] = specs.map((s, i) => ({
    lineId: `L${i}`,
    sku: `SKU-${i}`,
    name: s.name,
    unitPrice: s.unitPrice,
    qty: s.qty ?? 1,
    taxClassId: s.taxClassId ?? 'standard',
    ...(s.discount ? { discount: s.discount } : {}),
  }));
  const pricesIncludeTax = opts.pricesIncludeTax ?? true;
  const cart = priceCart(lines, opts.orderDiscount, { pricesIncludeTax, taxRatesPpm: rates });
  const tender = opts.tender ?? 'cash';
  const tenders: Tender[] =
    tender === 'none' || cart.total === 0
      ? []
      : tender === 'card'
        ? [{ kind: 'card', amount: cart.total, reference: 'AUTH42' }]
        : [{ kind: 'cash', amount: Math.ceil(cart.total / 1000) * 1000 + 1000 }];
  const s = settle(cart.total, tenders, 5);
  if (!s.ok) throw new Error(s.message);
  return saleSchema.parse({
    id: '01JD5Z6X2Q8G7V4N3M2K1H0F9E',
    receiptNumber: 'T1-000042',
    deviceId: 'till-1',
    seq: 42,
    shiftId: 'shift-1',
    staffId: 'staff-aoife',
    staffName: 'Aoife',
    createdAt: opts.at ?? '2026-11-25T10:00:00.000Z',
    currency: 'EUR',
    pricesIncludeTax,
    lines: cart.lines,
    ...(opts.orderDiscount ? { orderDiscount: opts.orderDiscount } : {}),
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: s.value.rounding,
    tenders,
    change: s.value.change,
  });
}

const money = (m: number) => formatMoney(m, 'EUR', 'en-IE');

const mixedSale = () =>
  makeSale(
    [
      { name: 'Northside Logo Tee – Black / S', unitPrice: 2995, qty: 2 },
      { name: 'Espresso', unitPrice: 250, taxClassId: 'reduced', qty: 3 },
      { name: 'Logo Sticker', unitPrice: 300, discount: { kind: 'percent', bp: 1000 } },
    ],
    { orderDiscount: { kind: 'amount', amount: 150 } },
  );

function rows(doc: ReceiptDocument) {
  return doc.blocks.filter((b): b is Extract<ReceiptBlock, { kind: 'row' }> => b.kind === 'row');
}

/** Columns each printed line takes on paper (large text takes two per character). */
function paperWidths(doc: ReceiptDocument): number[] {
  return doc.blocks.flatMap((b) => {
    switch (b.kind) {
      case 'text':
        return b.lines.map((l) => printedLength(l) * (b.size === 'large' ? 2 : 1));
      case 'row':
      case 'tax-table':
        return b.lines.map(printedLength);
      case 'rule':
        return [printedLength(b.line)];
      default:
        return [];
    }
  });
}

describe('receipt document', () => {
  it.each(widths)('never prints past %i columns, even with long names and big amounts', (width) => {
    const sale = makeSale([
      {
        name: 'Limited Drop Heavyweight Hoodie – Bottle Green / XXL – signed by the artist',
        unitPrice: 99_999_99,
        qty: 12,
      },
      { name: 'Supercalifragilisticexpialidociousandthensomemorewithoutspaces', unitPrice: 5 },
    ]);
    const doc = receiptDocument(
      sale,
      { ...store, name: 'The Very Long Named Pop-Up Stall of Smithfield' },
      {
        width,
        returnsText: 'Free shipping over €50. Returns within 14 days, no questions asked.',
      },
    );
    expect(Math.max(...paperWidths(doc))).toBeLessThanOrEqual(width);
    for (const line of receiptText(doc)) expect(printedLength(line)).toBeLessThanOrEqual(width);
    // Nothing of the names got lost in the wrapping.
    const all = receiptText(doc).join(' ').replace(/\s+/g, ' ');
    expect(all).toContain('Supercalifragilisticexpialidocious'.slice(0, 20));
    expect(all).toContain('signed by the artist');
  });

  it('fits any name and price into every width (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...widths),
        fc.array(
          fc.record({
            name: fc.string({ minLength: 1, maxLength: 120, unit: 'grapheme' }),
            unitPrice: fc.integer({ min: 0, max: 10_000_000 }),
            qty: fc.integer({ min: 1, max: 500 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (width, specs) => {
          const named = specs.map((s) => ({ ...s, name: printableText(s.name) || 'x' }));
          const doc = receiptDocument(makeSale(named), store, { width });
          return Math.max(...paperWidths(doc)) <= width;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps amounts right-aligned when a name wraps', () => {
    const sale = makeSale([{ name: 'Northside Pigeon Tee – Heather Grey / XXL', unitPrice: 2995 }]);
    const doc = receiptDocument(sale, store, { width: 32 });
    const line = rows(doc).find((r) => r.left.startsWith('Northside Pigeon'))!;
    expect(line.lines.length).toBeGreaterThan(1);
    expect(line.lines[0]).toMatch(/ €29\.95$/);
    expect(printedLength(line.lines[0]!)).toBe(32);
    expect(line.lines.slice(1).every((l) => l.startsWith('  ') && !l.includes('€'))).toBe(true);
  });

  it('shows the total, what was tendered and the change', () => {
    const sale = mixedSale();
    const doc = receiptDocument(sale, store, { width: 42 });
    const byLabel = new Map(rows(doc).map((r) => [r.left, r]));
    expect(byLabel.get('Total')?.right).toBe(money(sale.total));
    expect(byLabel.get('Total')?.bold).toBe(true);
    expect(sale.change).toBeGreaterThan(0);
    expect(byLabel.get('Change')?.right).toBe(money(sale.change));
    expect(byLabel.get('Cash')?.right).toBe(money(sale.tenders[0]!.amount));
    expect(byLabel.get('Subtotal')?.right).toBe(money(sale.subtotal));
    expect(byLabel.get('Discounts')?.right).toBe(money(-sale.discountTotal));
    expect(byLabel.get('Receipt')?.right).toBe('T1-000042');
    expect(byLabel.get('Served by')?.right).toBe('Aoife');
    const text = receiptText(doc).join('\n');
    expect(text).toMatch(/^Total +€\d+\.\d\d$/m);
    expect(text).toContain('3 x €2.50');
    expect(text).toMatch(/^ {2}Discount +-€0\.30$/m);
  });

  it('breaks tax down by band, and the bands add up to the tax on the sale', () => {
    const sale = mixedSale();
    const doc = receiptDocument(sale, store, { width: 32 });
    const table = doc.blocks.find((b) => b.kind === 'tax-table');
    if (table?.kind !== 'tax-table') throw new Error('no tax table');
    expect(table.bands.map((b) => b.label)).toEqual(['23%', '13.5%']);
    expect(table.bands.reduce((s, b) => s + b.tax, 0)).toBe(sale.tax);
    expect(table.lines.at(-1)).toMatch(
      new RegExp(`^Total .* ${money(sale.tax).replace('.', '\\.')}$`),
    );
    for (const band of table.bands) {
      expect(table.lines.some((l) => l.startsWith(band.label) && l.endsWith(money(band.tax)))).toBe(
        true,
      );
    }
  });

  it('adds tax as its own line when prices exclude it', () => {
    const sale = makeSale([{ name: 'Tote', unitPrice: 1500 }], { pricesIncludeTax: false });
    const doc = receiptDocument(sale, store, { width: 32 });
    const tax = rows(doc).find((r) => r.left === 'Tax');
    expect(tax?.right).toBe(money(sale.tax));
    expect(sale.total).toBe(sale.subtotal + sale.tax);
  });

  it('opens the drawer for cash, never for a card-only sale', () => {
    const kicks = (sale: Sale) =>
      receiptDocument(sale, store, { width: 32 }).blocks.filter((b) => b.kind === 'drawer-kick')
        .length;
    expect(kicks(makeSale([{ name: 'Cap', unitPrice: 3200 }], { tender: 'cash' }))).toBe(1);
    expect(kicks(makeSale([{ name: 'Cap', unitPrice: 3200 }], { tender: 'card' }))).toBe(0);
    const free = makeSale([
      { name: 'Sticker', unitPrice: 300, discount: { kind: 'percent', bp: 10_000 } },
    ]);
    expect(free.tenders).toEqual([]);
    expect(kicks(free)).toBe(0);
  });

  it('ends with a cut, after the returns QR carrying the sale id', () => {
    const sale = mixedSale();
    const doc = receiptDocument(sale, store, { width: 48, returnsText: 'Returns within 14 days.' });
    expect(doc.blocks.at(-1)).toEqual({ kind: 'cut' });
    const code = doc.blocks.find((b) => b.kind === 'code');
    expect(code).toMatchObject({ kind: 'code', symbology: 'qr', data: sale.id });
    const text = receiptText(doc).join('\n');
    expect(text.indexOf('Returns within 14 days.')).toBeLessThan(text.indexOf(`[QR: ${sale.id}]`));
    expect(text).toContain('Thanks for shopping local!');
  });

  it('keeps accents and the euro sign, composed, and drops control characters', () => {
    const sale = makeSale([
      // "Crème" typed with a combining grave accent, as some keyboards produce it.
      { name: 'Cre\u0300me brûlée Ñandú – Über süß', unitPrice: 450 },
      { name: 'Evil name', unitPrice: 100 },
    ]);
    // Facts refuse control characters now; a name saved before that rule still prints safely.
    sale.lines[1]!.name = 'Evil\u001bp\u0000\u0019\u00faname';
    const doc = receiptDocument(sale, { ...store, name: 'Café Łódź' }, { width: 48 });
    const text = receiptText(doc).join('\n');
    expect(text).toContain('Crème brûlée Ñandú – Über süß');
    expect(text).toContain('Café Łódź');
    expect(text).toContain('€4.50');
    expect(receiptText(doc).some((l) => Array.from(l).some(isControlCharacter))).toBe(false);
    expect(text).toContain('Evil p úname');
  });

  it("prints the time in the store's time zone and money in its locale", () => {
    // 23:30 UTC on 30 June is half past midnight on 1 July in Dublin (summer time).
    const sale = makeSale([{ name: 'Tote', unitPrice: 1250 }], { at: '2026-06-30T23:30:00.000Z' });
    const dublin = receiptDocument(sale, store, { width: 42 });
    expect(rows(dublin).find((r) => r.left === 'Date')?.right).toBe('1 Jul 2026, 00:30');
    const berlin = receiptDocument(
      sale,
      { ...store, locale: 'de-DE', timeZone: 'Europe/Berlin' },
      { width: 42 },
    );
    expect(rows(berlin).find((r) => r.left === 'Date')?.right).toBe('01.07.2026, 01:30');
    expect(rows(berlin).find((r) => r.left === 'Total')?.right).toBe('12,50 €');
  });
});

describe('promo codes on the receipt', () => {
  const issued = {
    code: 'NEXT-7K3M-Q9XT',
    qr: 'P1.NEXT-7K3M-Q9XT.signature',
    headline: '10% off your next visit',
    validUntil: '31 Jan 2027',
  };

  it('prints a next-visit code as a QR of its signed form with the code typed below, in every width', () => {
    for (const width of widths) {
      const doc = receiptDocument(mixedSale(), store, { width, issuedCodes: [issued] });
      const codes = doc.blocks.filter((b) => b.kind === 'code');
      expect(codes.at(-1)).toEqual({ kind: 'code', symbology: 'qr', data: issued.qr });
      const text = receiptText(doc).join('\n');
      const qrAt = text.indexOf(`[QR: ${issued.qr}]`);
      expect(qrAt).toBeGreaterThan(text.indexOf('10% off your next visit'));
      expect(text.indexOf('NEXT-7K3M-Q9XT', qrAt + issued.qr.length + 6)).toBeGreaterThan(qrAt);
      expect(text).toContain('Valid until 31 Jan 2027');
      expect(Math.max(...paperWidths(doc))).toBeLessThanOrEqual(width);
      expect(doc.blocks.at(-1)).toEqual({ kind: 'cut' });
    }
  });

  it('prints no coupon when none was given', () => {
    const doc = receiptDocument(mixedSale(), store, { width: 48 });
    expect(doc.blocks.filter((b) => b.kind === 'code')).toHaveLength(1);
    expect(receiptText(doc).join('\n')).not.toContain('Scan or type this code');
  });

  it('names the redeemed code under the discounts', () => {
    const sale = makeSale([
      { name: 'Tote', unitPrice: 2000, discount: { kind: 'amount', amount: 500 } },
    ]);
    const doc = receiptDocument(sale, store, {
      width: 32,
      redeemed: { code: 'DROP-7K3M-Q9XT', label: 'Creator 25%', discount: 500 },
    });
    const row = rows(doc).find((r) => r.left.includes('DROP-7K3M-Q9XT'));
    expect(row?.right).toBe(money(-500));
    expect(row?.left).toContain('Creator 25%');
  });
});

describe('tenderLabel', () => {
  it('names a card payment by its terminal reference, or just "Card" where none was taken', () => {
    expect(tenderLabel({ kind: 'card', amount: 1250, reference: 'AUTH-7731' })).toBe(
      'Card AUTH-7731',
    );
    expect(tenderLabel({ kind: 'card', amount: 1250 })).toBe('Card');
  });
});
