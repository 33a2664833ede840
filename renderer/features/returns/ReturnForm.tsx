// The return itself: which units come back and why, the policy's verdict per line, and how the money goes back.
import { useEffect, useMemo, useState } from 'react';
import { MAX_NOTE_LENGTH } from '../../../shared/bounds';
import type { ReturnOverride } from '../../../shared/returns/override';
import type { RefundMethod } from '../../../shared/returns/policy-schema';
import { returnedQty } from '../../../shared/returns/returnable';
import { useCurrentShift } from '../../db/hooks';
import { posDb } from '../../db/instance';
import {
  type FoundSale,
  type ReturnCommit,
  type ReturnLineInput,
  recordReturn,
} from '../../db/returns-repo';
import { useExchange } from '../../state/exchange';
import { useSession } from '../../state/session';
import { useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';
import { OverrideDialog } from './OverrideDialog';
import { RefundPlan } from './RefundPlan';
import { type LineChoice, ReturnLineRow } from './ReturnLineRow';
import { useReturnQuote } from './useReturnQuote';

interface Props {
  found: FoundSale;
  onDone: (recorded: Extract<ReturnCommit, { ok: true }>) => void;
  onBack: () => void;
}

const METHOD_WORDS: Record<RefundMethod, string> = {
  'original-tender': 'Refund to card / cash',
  'store-credit': 'Store credit',
  exchange: 'Exchange',
};
const SOURCE_WORDS: Record<FoundSale['source'], string> = {
  'this-till': 'Sold on this till',
  'store-index': 'Sold on another till of this store (as of the last sync)',
  ledger: 'Sold on another till of this store (found at the ledger)',
};
const METHOD_ORDER: RefundMethod[] = ['original-tender', 'store-credit', 'exchange'];

export function ReturnForm({ found, onDone, onBack }: Props) {
  const dates = useDates();
  const money = useMoney();
  const staff = useSession((s) => s.staff)!;
  const { go, notify } = useSession.getState();
  const shift = useCurrentShift();
  const { sale } = found;
  const [choices, setChoices] = useState<LineChoice[]>(() =>
    sale.lines.map(() => ({ qty: 0, reason: 'changed-mind', condition: 'resaleable' })),
  );
  const [override, setOverride] = useState<ReturnOverride | undefined>(undefined);
  const [overriding, setOverriding] = useState(false);
  const [method, setMethod] = useState<RefundMethod | null>(null);
  const [references, setReferences] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [noteText, setNoteText] = useState('');
  const [saving, setSaving] = useState(false);

  const lines: ReturnLineInput[] = useMemo(
    () =>
      choices.flatMap((c, i) =>
        c.qty > 0 ? [{ lineNo: i + 1, qty: c.qty, reason: c.reason, condition: c.condition }] : [],
      ),
    [choices],
  );

  const { quote, current, failure, tierNotes } = useReturnQuote(found, lines, override);

  // A method the lines no longer allow is dropped (a line added that only exchanges).
  const methods = quote ? METHOD_ORDER.filter((m) => quote.methods.includes(m)) : [];
  useEffect(() => {
    if (method && quote && !quote.methods.includes(method)) setMethod(null);
  }, [method, quote]);

  const refusals = quote?.refusals ?? [];
  const refusalOf = (lineNo: number) => refusals.find((r) => r.lineNo === lineNo)?.message ?? null;
  // Refusals of the return as a whole (no line of its own): said above the refund buttons.
  const general = lines.length
    ? refusals.filter((r) => !lines.some((l) => l.lineNo === r.lineNo))
    : [];
  const quoted = (lineNo: number) => quote?.lines.find((l) => l.lineNo === lineNo);
  const plan = method && method !== 'exchange' && quote ? quote.plan[method] : [];
  const cardParts = plan.filter((p) => p.kind === 'card').length;
  const canConfirm =
    current && refusals.length === 0 && method !== null && lines.length > 0 && !saving;

  const confirm = async () => {
    if (!quote || !method || !current) return;
    setError(null);
    const note = noteText.trim() ? { note: noteText.trim() } : {};
    if (method === 'exchange') {
      const pending = useExchange.getState().exchange;
      if (pending) {
        return setError(
          `An exchange for ${pending.found.sale.receiptNumber} is already on the till: complete or cancel it on Sell first.`,
        );
      }
      useExchange.getState().start({ found, lines, credit: quote.refundTotal, override, ...note });
      notify(`Exchange: ${money(quote.refundTotal)} credit from ${sale.receiptNumber}.`);
      go('sell', null);
      return;
    }
    const refs = references.slice(0, cardParts).map((r) => r.trim());
    if (refs.length < cardParts || refs.some((r) => r === '')) {
      return setError("Enter the card terminal's refund reference for each card refund.");
    }
    if (!shift) return setError('Open a shift before giving money back.');
    setSaving(true);
    try {
      const result = await recordReturn(posDb, {
        found,
        lines,
        method,
        cardRefundReferences: refs,
        override,
        staff: { id: staff.id, name: staff.name },
        shiftId: shift.id,
        ...note,
      });
      if (!result.ok) return setError(result.message);
      onDone(result);
    } catch (e) {
      console.error('Return could not be saved', e);
      setError(`The return could not be saved: ${String(e)}. Nothing was recorded; try again.`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="return-form">
      <section className="return-lines" aria-label="Items coming back">
        <div className="row return-sale-head">
          <h2>
            Sale {sale.receiptNumber}
            <span className="muted">
              {' '}
              · {dates.dateTime(sale.createdAt)} · paid {money(sale.total + sale.rounding)}
            </span>
          </h2>
          <button type="button" className="btn btn-ghost" onClick={onBack}>
            Another sale
          </button>
        </div>
        <p className="muted" data-testid="sale-source">
          {SOURCE_WORDS[found.source]}
          {found.returns.length > 0 &&
            ` · returned before: ${found.returns.map((r) => r.returnNumber).join(', ')}`}
        </p>
        <ol className="list">
          {sale.lines.map((line, i) => {
            const lineNo = i + 1;
            const returned = returnedQty(sale.id, lineNo, found.returnedSoFar);
            const q = quoted(lineNo);
            const choice = choices[i]!;
            return (
              <ReturnLineRow
                key={line.lineId}
                lineNo={lineNo}
                name={line.name}
                sold={line.qty}
                returned={returned}
                choice={choice}
                onChange={(c) => {
                  const qty = Math.max(0, Math.min(c.qty, line.qty - returned));
                  setChoices(choices.map((old, j) => (j === i ? { ...c, qty } : old)));
                }}
                verdict={
                  q
                    ? {
                        refund: q.refund,
                        tierNote: q.tierNote,
                        refusal: refusalOf(lineNo),
                        overridable: !q.verdict.ok && q.verdict.overridable !== undefined,
                      }
                    : null
                }
                tierNote={tierNotes.get(lineNo) ?? null}
                onOverride={() => setOverriding(true)}
                overridden={override !== undefined}
              />
            );
          })}
        </ol>
      </section>

      <section className="return-refund" aria-label="Refund">
        <p className="return-total">
          Refund{' '}
          <strong data-testid="refund-total">
            {money(quote && lines.length ? quote.refundTotal : 0)}
          </strong>
        </p>
        {lines.length === 0 && (
          <p className="muted">Choose how many units of each item come back.</p>
        )}
        {override && <p className="muted">Manager override: {override.reason}</p>}
        {refusals.length > general.length && (
          <p className="muted">
            An item cannot come back as chosen: change its reason or condition, or ask a manager to
            override.
          </p>
        )}
        {general.map((r) => (
          <p key={r.message} className="error" role="alert">
            {r.message}
          </p>
        ))}
        {lines.length > 0 && quote && refusals.length === 0 && (
          <fieldset className="segmented return-methods">
            <legend>How the money goes back</legend>
            {methods.map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={method === m}
                className={method === m ? 'seg seg-on' : 'seg'}
                onClick={() => setMethod(m)}
              >
                {METHOD_WORDS[m]}
              </button>
            ))}
            {methods.length === 0 && <p className="error">These items cannot go back together.</p>}
          </fieldset>
        )}
        {method === 'exchange' && quote && (
          <p>
            {money(quote.refundTotal)} becomes credit on the till: ring up the new items, and the
            customer pays the difference (or gets the rest as store credit).
          </p>
        )}
        {plan.length > 0 && (
          <RefundPlan
            parts={plan}
            references={references}
            onReference={(i, r) => {
              const next = [...references];
              next[i] = r;
              setReferences(next);
            }}
          />
        )}
        {lines.length > 0 && (
          <label className="return-note">
            Note on the return (optional)
            <input
              value={noteText}
              maxLength={MAX_NOTE_LENGTH}
              autoComplete="off"
              onChange={(e) => setNoteText(e.target.value)}
            />
          </label>
        )}
        <p className="error" role="alert">
          {error ?? failure ?? ''}
        </p>
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary btn-pay"
            disabled={!canConfirm}
            onClick={() => void confirm()}
          >
            {saving
              ? 'Saving…'
              : method === 'exchange'
                ? 'Start exchange'
                : method === 'store-credit'
                  ? `Issue ${money(quote?.refundTotal ?? 0)} store credit`
                  : method === 'original-tender'
                    ? `Refund ${money(quote?.refundTotal ?? 0)}`
                    : 'Choose how the money goes back'}
          </button>
        </div>
      </section>

      {overriding && (
        <OverrideDialog
          refusals={refusals.map((r) => r.message)}
          onClose={() => setOverriding(false)}
          onApprove={(o) => {
            setOverride(o);
            setOverriding(false);
          }}
        />
      )}
    </div>
  );
}
