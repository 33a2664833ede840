// The ledger's re-check of a sale's arithmetic: lines, totals, tax bands and tenders re-worked with the till's own pricing code.
import { type PricedCart, priceCart } from './cart';
import type { Minor } from './money';
import type { Sale } from './sale';
import { nonCashPaid, type Settlement, settle } from './tender';

export interface SaleAuditRules {
  /** The store's cash rounding increment now (StoreSettings.cashRounding). */
  cashRounding: number;
}

export type SaleAudit = { ok: true } | { ok: false; field: string; reason: string };

type Fail = Extract<SaleAudit, { ok: false }>;

const fail = (field: string, reason: string): Fail => ({ ok: false, field, reason });

/** Largest increment the store settings allow (storeSettingsSchema.cashRounding). */
const MAX_CASH_ROUNDING = 100;

/**
 * Re-price a sale from what the cashier chose (unit prices, quantities, discounts, tax
 * rates) and check every figure the till wrote down, then check the tenders pay it.
 * The first figure that does not add up is named with both values; nothing throws.
 */
export function auditSale(sale: Sale, rules: SaleAuditRules): SaleAudit {
  const rates = taxRatesOf(sale);
  if (!rates.ok) return rates;
  const priced = reprice(sale, rates.value);
  if (!priced.ok) return priced;
  return (
    compareLines(sale, priced.value) ??
    compareTotals(sale, priced.value) ??
    compareTaxBands(sale, priced.value) ??
    checkTenders(sale, rules.cashRounding) ?? { ok: true }
  );
}

/**
 * The tax rate of each tax class, as recorded on the sale's lines. The rate on the line is
 * the one the till priced with: a rate changed at the ledger since a sale was rung up
 * offline must not turn that sale into an error. The till prices every line of a class at
 * one rate, so two rates for one class cannot come from it.
 */
function taxRatesOf(sale: Sale): { ok: true; value: Record<string, number> } | Fail {
  // No prototype: a tax class id such as "__proto__" or "constructor" is just a key here.
  const rates: Record<string, number> = Object.create(null);
  const firstOf = new Map<string, number>();
  for (const [i, line] of sale.lines.entries()) {
    const seen = firstOf.get(line.taxClassId);
    if (seen === undefined) {
      firstOf.set(line.taxClassId, i);
      rates[line.taxClassId] = line.ratePpm;
    } else if (rates[line.taxClassId] !== line.ratePpm) {
      return fail(
        `lines[${i}].ratePpm`,
        `lines[${i}].ratePpm is ${line.ratePpm} but lines[${seen}] of tax class ${line.taxClassId} has ${rates[line.taxClassId]}`,
      );
    }
  }
  return { ok: true, value: rates };
}

/** The sale priced again with the till's priceCart; a line or order discount it cannot price is named. */
function reprice(
  sale: Sale,
  taxRatesPpm: Record<string, number>,
): { ok: true; value: PricedCart } | Fail {
  const ctx = { pricesIncludeTax: sale.pricesIncludeTax, taxRatesPpm };
  try {
    const cart = priceCart(sale.lines, sale.orderDiscount, ctx);
    const sums = [cart.subtotal, cart.discountTotal, cart.tax, cart.total];
    if (!sums.every(Number.isSafeInteger)) {
      return fail('subtotal', `the lines come to more than a safe amount (${cart.subtotal})`);
    }
    return { ok: true, value: cart };
  } catch (e) {
    // Anything pricing cannot take refuses this one sale with its reason; never its batch.
    if (!(e instanceof RangeError)) return fail('lines', `the sale cannot be priced: ${String(e)}`);
    // Which part could not be priced: a line alone, or else the order discount over them all.
    for (const [i, line] of sale.lines.entries()) {
      try {
        priceCart([line], undefined, ctx);
      } catch (lineError) {
        return fail(`lines[${i}]`, `lines[${i}] cannot be priced: ${(lineError as Error).message}`);
      }
    }
    return fail('orderDiscount', `orderDiscount cannot be applied: ${e.message}`);
  }
}

const LINE_FIELDS = ['gross', 'lineDiscount', 'orderDiscountShare', 'net', 'tax', 'total'] as const;

const LINE_WORDS: Record<(typeof LINE_FIELDS)[number], string> = {
  gross: 'unit price × quantity comes to',
  lineDiscount: 'its discounts come to',
  orderDiscountShare: 'its share of the order discount comes to',
  net: 'unit price, quantity and discounts come to',
  tax: 'its tax at the recorded rate comes to',
  total: 'with tax it comes to',
};

function compareLines(sale: Sale, cart: PricedCart): Fail | null {
  for (const [i, line] of sale.lines.entries()) {
    const want = cart.lines[i]!;
    for (const f of LINE_FIELDS) {
      if (line[f] !== want[f]) {
        return fail(
          `lines[${i}].${f}`,
          `lines[${i}].${f} is ${line[f]} but ${LINE_WORDS[f]} ${want[f]}`,
        );
      }
    }
  }
  return null;
}

function compareTotals(sale: Sale, cart: PricedCart): Fail | null {
  const fields = ['subtotal', 'discountTotal', 'tax', 'total'] as const;
  for (const f of fields) {
    if (sale[f] !== cart[f]) return fail(f, `${f} is ${sale[f]} but its lines come to ${cart[f]}`);
  }
  return null;
}

function compareTaxBands(sale: Sale, cart: PricedCart): Fail | null {
  if (sale.taxBands.length !== cart.taxBands.length) {
    return fail(
      'taxBands',
      `taxBands has ${sale.taxBands.length} bands but the lines have ${cart.taxBands.length} tax classes`,
    );
  }
  for (const [j, band] of sale.taxBands.entries()) {
    const want = cart.taxBands[j]!;
    for (const f of ['taxClassId', 'ratePpm', 'base', 'tax'] as const) {
      if (band[f] !== want[f]) {
        return fail(
          `taxBands[${j}].${f}`,
          `taxBands[${j}].${f} is ${band[f]} but the lines of tax class ${want.taxClassId} come to ${want[f]}`,
        );
      }
    }
  }
  return null;
}

const matches = (sale: Sale, s: Settlement) =>
  s.complete && s.rounding === sale.rounding && s.change === sale.change;

/**
 * The tenders pay the total: settled with the store's cash rounding they are complete, and
 * the rounding and change are what the till wrote (change = tendered − due).
 */
function checkTenders(sale: Sale, cashRounding: number): Fail | null {
  const now = settle(sale.total, sale.tenders, cashRounding);
  if (now.ok && matches(sale, now.value)) return null;
  // The ledger keeps no history of the store's cash rounding, and a till offline for days
  // settles with the increment it had then. Any increment the settings allow may have been
  // in force, so a sale that settles exactly under one of them is the till's honest work;
  // what that lets through is bounded by half the largest increment per sale.
  const then: Settlement[] = [];
  for (let increment = 1; increment <= MAX_CASH_ROUNDING; increment++) {
    const s = settle(sale.total, sale.tenders, increment);
    if (s.ok && matches(sale, s.value)) return null;
    if (s.ok) then.push(s.value);
  }
  return tenderFailure(sale, now, then, cashRounding);
}

/** Names the payment figure that is off: tenders, else change when some rounding fits, else rounding. */
function tenderFailure(
  sale: Sale,
  now: ReturnType<typeof settle>,
  then: readonly Settlement[],
  cashRounding: number,
): Fail {
  const tendered = sale.tenders.reduce((n, t) => n + t.amount, 0);
  if (!now.ok) {
    if (now.code === 'tender-invalid') {
      return fail('tenders', 'tenders must each be a positive amount');
    }
    const { card, credit } = nonCashPaid(sale.tenders);
    return fail(
      'tenders',
      credit > 0
        ? `tenders pay ${card} by card and ${credit} in store or exchange credit (${card + credit}) but the total is ${sale.total}`
        : `tenders pay ${card} by card but the total is ${sale.total}`,
    );
  }
  const fits = [now.value, ...then].find((s) => s.complete && s.rounding === sale.rounding);
  if (fits) {
    const due: Minor = sale.total + fits.rounding;
    return fail(
      'change',
      `change is ${sale.change} but tendered ${tendered} − due ${due} is ${fits.change}`,
    );
  }
  const s = now.value;
  if (s.complete) {
    return fail(
      'rounding',
      `rounding is ${sale.rounding} but the total ${sale.total} paid with these tenders rounds by ${s.rounding} (cash rounding ${cashRounding}, and no increment up to ${MAX_CASH_ROUNDING} gives ${sale.rounding})`,
    );
  }
  return fail(
    'tenders',
    `tenders come to ${tendered} but ${sale.total} is due (${s.remaining} short, cash rounding ${cashRounding})`,
  );
}
