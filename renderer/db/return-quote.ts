// What a return would refund and what the policy allows, read from this till's data: returns made here, the ledger's counts, the store's policy.
import { z } from 'zod';
import { applyOverride, judgeReturnLine, lineRule, receiptNote } from '../../shared/returns/policy';
import { DEFAULT_RETURN_POLICY } from '../../shared/returns/policy-schema';
import { planRefundTenders, refundFor } from '../../shared/returns/refund';
import {
  REFUND_METHODS,
  type RefundMethod,
  type RefundTender,
  returnConditionSchema,
  returnReasonSchema,
} from '../../shared/returns/return-fact';
import { type PriorReturnLine, priorReturnLines } from '../../shared/returns/returnable';
import type { Sale } from '../../shared/sale';
import type { ReturnedLine } from '../../shared/sync';
import { getSetting, type PosDb } from './db';
import type { ReturnableSale, ReturnLineDraft, ReturnQuote, ReturnQuoteLine } from './returns-repo';

export type { ReturnQuote };

/** The id under which the ledger's count of other tills' returns of a line is kept (one per line). */
const ledgerReturnId = (saleId: string, lineNo: number) => `ledger:${saleId}:${lineNo}`;

/**
 * Units already returned per line of a sale: every return made on this till, plus what the
 * ledger counted that this till did not make. The ledger's figure includes this till's returns
 * it has received (no longer queued, and — for a count from pull — made before that pull), so
 * those are taken off it rather than counted twice. `lookup`: fresh counts from the ledger.
 */
export async function returnedSoFarOf(
  db: PosDb,
  sale: Pick<Sale, 'id'>,
  lookup: readonly ReturnedLine[] | null,
): Promise<PriorReturnLine[]> {
  const own = await db.returns.where('saleId').equals(sale.id).toArray();
  const queued = new Set(
    (
      await db.outbox
        .where('eventId')
        .anyOf(own.map((r) => r.id))
        .toArray()
    ).map((o) => o.eventId),
  );
  const lastPull = (await getSetting(db, 'sync'))?.lastSuccessAt ?? '';
  const counted = own.filter(
    (r) => !queued.has(r.id) && (lookup !== null || r.createdAt < lastPull),
  );
  const ledger =
    lookup?.filter((l) => l.saleId === sale.id) ??
    (await db.returnedLines.where('saleId').equals(sale.id).toArray());
  const ownLines = own.flatMap(priorReturnLines);
  const countedLines = counted.flatMap(priorReturnLines);
  const others = ledger.flatMap((l) => {
    const mine = countedLines.filter((c) => c.lineNo === l.lineNo).reduce((n, c) => n + c.qty, 0);
    const qty = l.qty - mine;
    return qty > 0
      ? [{ returnId: ledgerReturnId(sale.id, l.lineNo), saleId: sale.id, lineNo: l.lineNo, qty }]
      : [];
  });
  return [...ownLines, ...others];
}

/** Money this till already sent back for a sale; an exchange's value moved onto a new sale counts too. */
async function priorRefundsOf(db: PosDb, saleId: string): Promise<RefundTender[]> {
  const own = await db.returns.where('saleId').equals(saleId).toArray();
  return own.flatMap((r) => {
    const tendered = r.refunds.reduce((n, t) => n + t.amount, 0);
    const moved = r.refundTotal - tendered;
    return moved > 0
      ? [...r.refunds, { kind: 'store-credit' as const, amount: moved, code: r.id }]
      : r.refunds;
  });
}

const lineDraftSchema = z.object({
  lineNo: z.number().int().min(1),
  qty: z.number().int().min(1, 'Return at least one whole unit.'),
  reason: returnReasonSchema,
  condition: returnConditionSchema,
});

/** `quoteReturn` for use inside a transaction (reads settings, drops, returns). */
export async function quoteIn(
  db: PosDb,
  found: Pick<ReturnableSale, 'sale' | 'returnedSoFar'>,
  lines: readonly ReturnLineDraft[],
  opts: { override?: { approvedBy: string; reason: string }; now?: Date },
): Promise<ReturnQuote> {
  const { sale } = found;
  const store = await getSetting(db, 'store');
  if (!store) throw new Error('This till is not set up yet (no store settings).');
  const policy = store.returnPolicy ?? DEFAULT_RETURN_POLICY;
  const now = (opts.now ?? new Date()).toISOString();
  const member = Boolean(sale.memberId);
  const refusals: ReturnQuote['refusals'] = [];
  const out: ReturnQuoteLine[] = [];
  // Units quoted so far count as returned for the next entry of the same line (resaleable + damaged).
  let running: PriorReturnLine[] = [...found.returnedSoFar];
  let methods: RefundMethod[] = [...REFUND_METHODS];
  if (lines.length === 0)
    refusals.push({ lineNo: 0, message: 'Choose at least one item to return.' });
  for (const [i, raw] of lines.entries()) {
    const parsed = lineDraftSchema.safeParse(raw);
    const line = sale.lines[(raw?.lineNo ?? 0) - 1];
    if (!parsed.success || !line) {
      const message = !line
        ? `Sale ${sale.receiptNumber} has no line ${raw?.lineNo}.`
        : parsed.error?.issues[0]?.path[0] === 'qty'
          ? 'Return at least one whole unit.'
          : 'Choose a reason and the condition of the item.';
      refusals.push({ lineNo: raw?.lineNo ?? 0, message });
      continue;
    }
    const d = parsed.data;
    const drop = line.drop ? await db.drops.get(line.drop.dropId) : undefined;
    const ruleInput = {
      line,
      member,
      ladderLength: drop?.items.find((item) => item.sku === line.sku)?.ladder.length,
      policy,
    };
    let verdict: ReturnQuoteLine['verdict'] = judgeReturnLine({
      ...ruleInput,
      sale,
      lineNo: d.lineNo,
      now,
      timeZone: store.timeZone,
      reason: d.reason,
      condition: d.condition,
    });
    if (!verdict.ok && opts.override) {
      const overridden = applyOverride(verdict, opts.override);
      if (overridden.ok) verdict = overridden;
      else refusals.push({ lineNo: d.lineNo, message: overridden.message });
    }
    if (!verdict.ok) {
      if (!opts.override) refusals.push({ lineNo: d.lineNo, message: verdict.message });
    } else {
      const allowed = verdict.methods;
      methods = methods.filter((m) => allowed.includes(m));
    }
    const refund = refundFor(sale, d.lineNo, d.qty, running);
    if (!refund.ok) refusals.push({ lineNo: d.lineNo, message: refund.message });
    else
      running = [
        ...running,
        { returnId: `quote:${i}`, saleId: sale.id, lineNo: d.lineNo, qty: d.qty },
      ];
    out.push({
      ...d,
      name: line.name,
      sku: line.sku,
      refund: refund.ok && verdict.ok ? refund.amount : 0,
      verdict,
      tierNote: receiptNote(lineRule(ruleInput)),
    });
  }
  const refundTotal = out.reduce((n, l) => n + l.refund, 0);
  const prior = await priorRefundsOf(db, sale.id);
  const plan: ReturnQuote['plan'] = { 'original-tender': [], 'store-credit': [] };
  if (refusals.length === 0) {
    for (const method of ['original-tender', 'store-credit'] as const) {
      const planned = planRefundTenders(sale, refundTotal, prior, method);
      if (planned.ok) plan[method] = planned.parts;
      else if (method === 'original-tender') refusals.push({ lineNo: 0, message: planned.message });
    }
  }
  return { lines: out, refundTotal, methods: refusals.length > 0 ? [] : methods, refusals, plan };
}
