// Store credit at the ledger: credit notes issued by returns, spent by sales at any till, and the exceptions when codes clash, overspend or change currency.
import { type Insertable, sql, type Transaction } from 'kysely';
import type { ParsedEvent } from '../../shared/events';
import { exactMinor, formatMoney } from '../../shared/money';
import type { CreditNoteBalance } from '../../shared/returns/credit-note';
import { RETURNED_WINDOW_DAYS } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import { closeWaitingExceptions } from './exceptions';
import type { ExceptionInput } from './write';

type Of<T extends ParsedEvent['type']> = Extract<ParsedEvent, { type: T }>;
type Db = Transaction<LedgerDb>;

export interface CreditContext {
  device: { id: string; storeId: string };
  receivedAt: string;
}

/** Notes a till gets on every pull: at most this many (the newest activity first). */
export const MAX_PULLED_CREDIT_NOTES = 5_000;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const n = (v: unknown) => exactMinor(v);

/** One note per (return, code): two tenders of one return with the same code are one note. */
function issuesOf(returns: readonly Of<'sale.returned'>[], ctx: CreditContext) {
  const out: Insertable<LedgerDb['credit_notes']>[] = [];
  for (const e of returns) {
    const r = e.payload;
    const byCode = new Map<string, number>();
    for (const t of r.refunds)
      if (t.kind === 'store-credit') byCode.set(t.code, (byCode.get(t.code) ?? 0) + t.amount);
    for (const [code, amount] of byCode)
      out.push({
        store_id: ctx.device.storeId,
        code,
        currency: r.currency,
        amount,
        return_id: r.id,
        device_id: r.deviceId,
        issued_at: r.createdAt,
        received_at: ctx.receivedAt,
        last_activity_at: ctx.receivedAt,
      });
  }
  return out;
}

function spendsOf(sales: readonly Of<'sale.completed'>[], ctx: CreditContext) {
  const out: (Insertable<LedgerDb['credit_spends']> & { receipt: string })[] = [];
  for (const e of sales) {
    const s = e.payload;
    s.tenders.forEach((t, i) => {
      if (t.kind !== 'store-credit') return;
      out.push({
        sale_id: s.id,
        tender_no: i,
        store_id: ctx.device.storeId,
        code: t.code,
        currency: s.currency,
        amount: t.amount,
        device_id: s.deviceId,
        device_time: s.createdAt,
        received_at: ctx.receivedAt,
        receipt: s.receiptNumber,
      });
    });
  }
  return out;
}

interface StoredNote {
  code: string;
  currency: string;
  amount: number;
  return_id: string;
  device_id: string;
  issued_at: string;
}

async function notesOf(trx: Db, storeId: string, codes: readonly string[]) {
  const out = new Map<string, StoredNote>();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await trx
      .selectFrom('credit_notes')
      .select(['code', 'currency', 'amount', 'return_id', 'device_id', 'issued_at'])
      .where('store_id', '=', storeId)
      .where('code', 'in', codes.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.code, { ...r, amount: n(r.amount) });
  }
  return out;
}

/** Every spend of the codes, with the sale's receipt number and till when the ledger has the sale. */
async function spendsByCode(trx: Db, storeId: string, codes: readonly string[]) {
  const out = new Map<
    string,
    { saleId: string; receipt: string; deviceId: string; amount: number; currency: string }[]
  >();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await trx
      .selectFrom('credit_spends as c')
      .leftJoin('sales as s', 's.id', 'c.sale_id')
      .select(['c.code', 'c.sale_id', 'c.amount', 'c.currency', 'c.device_id', 's.receipt_number'])
      .where('c.store_id', '=', storeId)
      .where('c.code', 'in', codes.slice(i, i + 500))
      .orderBy('c.device_time')
      .orderBy('c.sale_id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.code) ?? [];
      list.push({
        saleId: r.sale_id,
        receipt: r.receipt_number ?? r.sale_id,
        deviceId: r.device_id,
        amount: n(r.amount),
        currency: r.currency,
      });
      out.set(r.code, list);
    }
  }
  return out;
}

/**
 * Step (apply): store the batch's credit notes and spends, then tell a manager about a code
 * issued twice, a spend of a note the ledger has not seen issued (closed when it arrives), a
 * note spent in another currency, and a note spent beyond what it was issued for.
 */
export async function applyCredit(
  trx: Db,
  accepted: readonly ParsedEvent[],
  ctx: CreditContext,
): Promise<ExceptionInput[]> {
  const returns = accepted.filter((e): e is Of<'sale.returned'> => e.type === 'sale.returned');
  const sales = accepted.filter((e): e is Of<'sale.completed'> => e.type === 'sale.completed');
  const issues = issuesOf(returns, ctx);
  const spends = spendsOf(sales, ctx);
  if (issues.length === 0 && spends.length === 0) return [];
  const { storeId } = ctx.device;
  const exceptions: ExceptionInput[] = [];
  const codes = [...new Set([...issues.map((i) => i.code), ...spends.map((s) => s.code)])];
  const before = await notesOf(trx, storeId, codes);

  // The first return to issue a code owns the note; a later one is stored, and a manager told.
  const fresh: Insertable<LedgerDb['credit_notes']>[] = [];
  for (const issue of issues) {
    const owner = before.get(issue.code) ?? fresh.find((f) => f.code === issue.code);
    if (!owner) {
      fresh.push(issue);
      continue;
    }
    exceptions.push({
      kind: 'credit-note-reused',
      message: `Credit note ${issue.code} was issued again, for ${formatMoney(n(issue.amount), issue.currency)}, by return ${issue.return_id} on ${issue.device_id}; it was first issued for ${formatMoney(n(owner.amount), owner.currency)} by return ${owner.return_id}. The note keeps its first amount.`,
      deviceId: ctx.device.id,
      eventId: issue.return_id,
      details: {
        code: issue.code,
        returnId: issue.return_id,
        amount: n(issue.amount),
        firstReturnId: owner.return_id,
        firstAmount: n(owner.amount),
      },
    });
  }
  for (let i = 0; i < fresh.length; i += 500)
    await trx
      .insertInto('credit_notes')
      .values(fresh.slice(i, i + 500))
      .execute();
  for (let i = 0; i < spends.length; i += 500)
    await trx
      .insertInto('credit_spends')
      .values(spends.slice(i, i + 500).map(({ receipt: _, ...row }) => row))
      .execute();
  const spentCodes = [...new Set(spends.map((s) => s.code))];
  if (spentCodes.length > 0)
    await trx
      .updateTable('credit_notes')
      .set({ last_activity_at: ctx.receivedAt })
      .where('store_id', '=', storeId)
      .where('code', 'in', spentCodes)
      .execute();

  const notes = await notesOf(trx, storeId, codes);
  const all = await spendsByCode(trx, storeId, codes);
  const newCodes = new Set(fresh.map((f) => f.code));
  for (const s of spends) {
    if (notes.has(s.code)) continue;
    exceptions.push({
      kind: 'credit-note-unknown',
      message: `Sale ${s.receipt} spent ${formatMoney(n(s.amount), s.currency)} of credit note ${s.code}, which the ledger has not seen issued yet: the return may still be on an offline till`,
      deviceId: ctx.device.id,
      eventId: s.sale_id,
      details: { code: s.code, saleId: s.sale_id, receiptNumber: s.receipt, amount: n(s.amount) },
    });
  }
  await linkWaiting(trx, ctx, [...newCodes], all);

  // Currency: a spend checked when it arrives, and all earlier spends when its note does.
  const batchSales = new Set(spends.map((s) => s.sale_id));
  for (const code of codes) {
    const note = notes.get(code);
    if (!note) continue;
    const list = all.get(code) ?? [];
    const mine = newCodes.has(code) ? list : list.filter((s) => batchSales.has(s.saleId));
    for (const s of mine.filter((x) => x.currency !== note.currency)) {
      exceptions.push({
        kind: 'credit-currency',
        message: `Sale ${s.receipt} spent credit note ${code} in ${s.currency}, but the note was issued in ${note.currency} (${formatMoney(note.amount, note.currency)})`,
        deviceId: ctx.device.id,
        eventId: s.saleId,
        details: { code, saleId: s.saleId, spentIn: s.currency, issuedIn: note.currency },
      });
    }
    // Only when this batch issued the note or spent from it: an old overspend is told once.
    const spent = sum(list.map((s) => s.amount));
    if (spent <= note.amount || mine.length === 0) continue;
    const money = (v: number) => formatMoney(v, note.currency);
    exceptions.push({
      kind: 'credit-overspent',
      message: `Credit note ${code} was issued for ${money(note.amount)} but ${money(spent)} was spent (${list.length} times): ${list.map((s) => `${s.receipt} (${money(s.amount)})`).join(', ')}`,
      deviceId: ctx.device.id,
      eventId: spends.find((s) => s.code === code)?.sale_id ?? note.return_id,
      details: {
        code,
        returnId: note.return_id,
        issued: note.amount,
        spent,
        over: spent - note.amount,
        sales: list.map((s) => ({
          saleId: s.saleId,
          receiptNumber: s.receipt,
          deviceId: s.deviceId,
          amount: s.amount,
        })),
      },
    });
  }
  return exceptions;
}

/** Spends that waited for their note: now that it is issued, close their `credit-note-unknown` exceptions. */
async function linkWaiting(
  trx: Db,
  ctx: CreditContext,
  codes: readonly string[],
  spends: ReadonlyMap<string, { saleId: string }[]>,
): Promise<void> {
  await closeWaitingExceptions(trx, {
    kind: 'credit-note-unknown',
    eventIds: codes.flatMap((c) => (spends.get(c) ?? []).map((s) => s.saleId)),
    at: ctx.receivedAt,
    resolution: `The credit note arrived from ${ctx.device.id}; the spend is linked to it.`,
    storeId: ctx.device.storeId,
  });
}

/**
 * The store's credit notes a till needs offline: those with something left, and those issued
 * or spent in the last RETURNED_WINDOW_DAYS days (so a till sees a note it holds go to 0).
 */
export async function pullCreditNotes(
  db: Transaction<LedgerDb>,
  storeId: string,
  now: Date,
): Promise<CreditNoteBalance[]> {
  const since = new Date(now.getTime() - RETURNED_WINDOW_DAYS * 86_400_000).toISOString();
  const spent = db
    .selectFrom('credit_spends')
    .select((eb) => ['code', eb.fn.sum('amount').as('spent')])
    .where('store_id', '=', storeId)
    .groupBy('code')
    .as('sp');
  const rows = await db
    .selectFrom('credit_notes as c')
    .leftJoin(spent, 'sp.code', 'c.code')
    .select(['c.code', 'c.currency', 'c.amount', 'c.issued_at', 'c.return_id', 'sp.spent'])
    .where('c.store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        eb('c.last_activity_at', '>=', since),
        eb('c.amount', '>', sql<number>`coalesce(sp.spent, 0)`),
      ]),
    )
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.code')
    .limit(MAX_PULLED_CREDIT_NOTES)
    .execute();
  return rows.map((r) => ({
    code: r.code,
    currency: r.currency,
    issued: n(r.amount),
    spent: n(r.spent ?? 0),
    issuedAt: new Date(r.issued_at).toISOString(),
    returnId: r.return_id,
  }));
}
