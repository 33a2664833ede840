// The return receipt document: goods that came back, why, and how the money went back (cash, card refund, store-credit note).
import { z } from 'zod';
import type { StoreSettings } from './catalog';
import { formatMoney, type Minor } from './money';
import { issuedCodeBlocks, promiseBlocks } from './receipt';
import {
  formatTime,
  HANGING_INDENT,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  rowBlock as row,
  ruleBlock as rule,
  textBlock as text,
} from './receipt-layout';
import type { RefundTender, ReturnReason, SaleReturn } from './returns/return-fact';
import { saleReturnedSchema } from './returns/return-fact';
import type { Sale } from './sale';

/** A credit note as the customer takes it away: the code to type, what its QR carries, until when. */
export const returnCreditNoteSchema = z.object({
  code: z.string().min(1).max(60),
  /** The signed form when the till signs codes; the typed code otherwise. */
  qr: z.string().min(1).max(400).optional(),
  /** Last day it can be spent, already formatted for the store. */
  validUntil: z.string().max(40).optional(),
});
export type ReturnCreditNote = z.infer<typeof returnCreditNoteSchema>;

/** What a return receipt needs beyond the return and its sale, as it crosses to the printer. */
export const returnReceiptExtrasSchema = z.object({
  /** Printed QR and expiry of each store-credit note, by code (a note without one prints its code as the QR). */
  creditNotes: z.array(returnCreditNoteSchema).max(8).optional(),
  /** Receipt number of the sale that took an exchange's credit ("Exchanged for sale T1-000012"). */
  exchangeReceiptNumber: z.string().min(1).max(60).optional(),
  /** The manager who approved an override, by name (the fact carries the staff id). */
  approverName: z.string().min(1).max(80).optional(),
});
export type ReturnReceiptExtras = z.infer<typeof returnReceiptExtrasSchema>;

/** A return receipt for the print queue: the return and any extras (the original sale travels beside it). */
export const returnReceiptPrintSchema = returnReceiptExtrasSchema.extend({
  return: saleReturnedSchema,
});
export type ReturnReceiptPrint = z.infer<typeof returnReceiptPrintSchema>;

export interface ReturnReceiptOptions extends ReturnReceiptExtras {
  width: ReceiptWidth;
  /** Instead of the store's returns promise (the print CLI's --returns-text). */
  returnsText?: string;
  shippingText?: string;
}

const REASON_WORDS: Record<ReturnReason, string> = {
  'wrong-size': 'Wrong size',
  faulty: 'Faulty',
  'not-as-described': 'Not as described',
  'changed-mind': 'Changed mind',
  gift: 'Unwanted gift',
  other: 'Other',
};

/** How a refund reads on paper: where the money went. */
export function refundLabel(t: RefundTender): string {
  switch (t.kind) {
    case 'cash':
      return 'Cash from the drawer';
    case 'card':
      return `Card refund ${t.reference}`;
    case 'store-credit':
      return `Store credit ${t.code}`;
  }
}

/** What an exchange's new sale took from the refund: the refund total less the money handed back. */
export function exchangeCredit(ret: Pick<SaleReturn, 'refundTotal' | 'refunds'>): Minor {
  return Math.max(0, ret.refundTotal - ret.refunds.reduce((n, t) => n + t.amount, 0));
}

/**
 * Everything a return receipt shows, in print order: store header, RETURN with its number and
 * time (store's zone), the original receipt, each returned line with reason, condition and refund,
 * the refund total and where it went, the exchange it paid for, a manager's override, each
 * store-credit note as a QR with its code typed below, the store's promises, cut.
 * A drawer kick leads when cash goes back, so the drawer opens while the receipt prints.
 */
export function returnReceipt(
  ret: SaleReturn,
  sale: Sale,
  store: StoreSettings,
  options: ReturnReceiptOptions,
): ReceiptDocument {
  const width = options.width;
  const money = (m: Minor) => formatMoney(m, ret.currency, store.locale);
  const blocks: ReceiptBlock[] = [];
  if (ret.refunds.some((t) => t.kind === 'cash')) blocks.push({ kind: 'drawer-kick' });

  blocks.push(text(store.name, width, { align: 'center', bold: true, size: 'large' }));
  if (store.address.length > 0) {
    blocks.push(text(store.address.join('\n'), width, { align: 'center' }));
  }
  blocks.push(rule(width));
  blocks.push(text('RETURN', width, { align: 'center', bold: true, size: 'large' }));
  blocks.push(row('Return', ret.returnNumber, width));
  blocks.push(row('Date', formatTime(ret.createdAt, store), width));
  blocks.push(row('Original receipt', ret.saleReceiptNumber, width));
  blocks.push(row('Sold', formatTime(sale.createdAt, store), width));
  blocks.push(rule(width));

  const detail = { indent: HANGING_INDENT };
  for (const line of ret.lines) {
    const name = sale.lines[line.lineNo - 1]?.name ?? line.sku;
    blocks.push(row(`${line.qty} x ${name}`, money(line.refund), width));
    blocks.push(row(`Reason: ${REASON_WORDS[line.reason]}`, '', width, detail));
    const condition = line.condition === 'resaleable' ? 'resaleable' : 'damaged';
    blocks.push(row(`Condition: ${condition}`, '', width, detail));
  }
  blocks.push(rule(width));

  blocks.push(row('Refund total', money(ret.refundTotal), width, { bold: true, size: 'tall' }));
  for (const t of ret.refunds) blocks.push(row(refundLabel(t), money(t.amount), width));
  const exchanged = exchangeCredit(ret);
  if (ret.exchangeSaleId && exchanged > 0) {
    const onto = options.exchangeReceiptNumber ?? ret.exchangeSaleId;
    blocks.push(row(`Exchanged for sale ${onto}`, money(exchanged), width));
  }
  if (ret.override) {
    const who = options.approverName ?? ret.override.approvedBy;
    blocks.push(rule(width));
    blocks.push(text(`Approved by ${who} (manager override): ${ret.override.reason}`, width));
  }
  if (ret.note) blocks.push(text(`Note: ${ret.note}`, width));

  for (const t of ret.refunds) {
    if (t.kind !== 'store-credit') continue;
    const note = options.creditNotes?.find((n) => n.code === t.code);
    blocks.push(
      ...issuedCodeBlocks(
        {
          code: t.code,
          qr: note?.qr ?? t.code,
          headline: `Store credit ${money(t.amount)}: spend it at any of our tills`,
          ...(note?.validUntil ? { validUntil: note.validUntil } : {}),
        },
        width,
      ),
    );
  }

  blocks.push(rule(width));
  blocks.push(...promiseBlocks(store, options, width));
  if (store.receiptFooter.trim()) {
    blocks.push({ kind: 'feed', lines: 1 });
    blocks.push(text(store.receiptFooter, width, { align: 'center' }));
  }
  blocks.push({ kind: 'cut' });
  return { width, saleId: ret.id, receiptNumber: ret.returnNumber, blocks };
}
