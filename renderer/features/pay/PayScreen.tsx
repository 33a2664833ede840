// Taking payment: cash with quick amounts and change, card on the external terminal, store credit, an exchange's credit, or a split; a next-visit code to give.
import { useEffect, useRef, useState } from 'react';
import { parseMoney } from '../../../shared/money';
import { tenderLabel } from '../../../shared/receipt';
import { quickCashAmounts, settle, type Tender } from '../../../shared/tender';
import { useCurrentShift, useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { recordSale, type SaleCommit } from '../../db/sales-repo';
import { useCart } from '../../state/cart';
import { useExchange } from '../../state/exchange';
import { useSession } from '../../state/session';
import { syncNow } from '../../sync/useSync';
import { useMoney } from '../../ui/money';
import { useDropSelling } from '../drops/useDropSelling';
import { autoPrintReceipt, autoPrintReturnReceipt } from '../printing/print-actions';
import { NextVisitCode } from '../promos/NextVisitCode';
import { rememberPaid } from '../receipt/just-paid';
import { Totals } from '../sell/Totals';
import { usePricedCart } from '../sell/usePricedCart';
import { ExchangeRest, ExchangeTenderRow, useExchangeTender } from './ExchangeCredit';
import { StoreCreditEntry } from './StoreCreditEntry';

/** How long a commit runs before the pay screen says "Saving…". */
const SAVING_SHOWN_AFTER_MS = 150;

export function PayScreen() {
  const priced = usePricedCart();
  // The cart's drop guard stays live here, so a refused price can be updated on the spot.
  useDropSelling();
  const store = useStoreSettings();
  const shift = useCurrentShift();
  const staff = useSession((s) => s.staff)!;
  const { go, notify } = useSession.getState();
  const money = useMoney();
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [cashText, setCashText] = useState('');
  const [cardText, setCardText] = useState('');
  const [cardRef, setCardRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** The rule that stopped the last attempt to record the sale (nothing was written). */
  const [refusal, setRefusal] = useState<Extract<SaleCommit, { ok: false }> | null>(null);
  // A commit takes a few ms: "Saving…" and the disabled buttons show only if it takes longer
  // (drawing them at once cost more than the commit). The ref keeps a second tap out meanwhile.
  const [committing, setCommitting] = useState(false);
  const saving = useRef(false);
  const [issue, setIssue] = useState<string[]>([]);
  const [creditOpen, setCreditOpen] = useState(false);
  const cashInput = useRef<HTMLInputElement>(null);
  const completeButton = useRef<HTMLButtonElement>(null);
  // An exchange's credit is a tender already applied: at most the new total, the rest becomes store credit.
  const exchanged = useExchangeTender(priced?.cart.total);
  const { exchange } = exchanged;
  const allTenders = [...exchanged.tenders, ...tenders];
  const result = priced && store ? settle(priced.cart.total, allTenders, store.cashRounding) : null;
  const s = result?.ok ? result.value : null;
  const done = s?.complete === true;

  // Keyboard flow: type the cash handed over + Enter, then Enter again to complete; Escape goes back.
  const ready = priced !== undefined && store !== undefined;
  useEffect(() => {
    if (ready) (done ? completeButton : cashInput).current?.focus();
  }, [done, ready]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !saving.current) go('sell');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  if (!priced || !store) return null;
  const { cart } = priced;

  const addTender = (t: Tender) => {
    const next = settle(cart.total, [...allTenders, t], store.cashRounding);
    if (!next.ok) return setError(next.message);
    setError(null);
    setTenders([...tenders, t]);
  };

  const addCash = (amount: number | null) => {
    if (amount === null || amount <= 0)
      return setError('Enter the cash amount handed over, e.g. 20 or 12.50.');
    addTender({ kind: 'cash', amount });
    setCashText('');
  };

  const addCard = () => {
    const amount =
      cardText.trim() === '' ? (s?.remaining ?? 0) : parseMoney(cardText, store.currency);
    if (amount === null || amount <= 0) return setError('Enter the amount paid by card.');
    const reference = cardRef.trim();
    if (reference === '' && store.cardReferenceRequired) {
      return setError('Enter the reference printed by the card terminal (this store asks for it).');
    }
    addTender({ kind: 'card', amount, ...(reference ? { reference } : {}) });
    setCardText('');
    setCardRef('');
  };

  const complete = async () => {
    if (!s?.complete) {
      return setError(`The payment is ${money(s?.remaining ?? cart.total)} short of the total.`);
    }
    if (!shift) return setError('Open a shift before taking payment.');
    if (saving.current) return;
    saving.current = true;
    setRefusal(null);
    const showSaving = setTimeout(() => setCommitting(true), SAVING_SHOWN_AFTER_MS);
    try {
      const { orderDiscount, approvedBy, memberId, reset } = useCart.getState();
      const committed = await recordSale(posDb, {
        cart,
        orderDiscount,
        approvedBy,
        ...(memberId ? { memberId } : {}),
        // A code the cart refused is not part of the sale; an applied one is checked again.
        ...(priced.promo.state === 'applied' && priced.promoInput
          ? { promo: priced.promoInput }
          : {}),
        issue,
        tenders: allTenders,
        settlement: s,
        ...exchanged.draft,
        staff: { id: staff.id, name: staff.name },
        shiftId: shift.id,
      });
      if (!committed.ok) {
        // A rule that stopped holding since the cart was built (a limit reached on another
        // till, a price step moved on): nothing was recorded; the cashier sees why.
        setRefusal(committed);
        setError(null);
        notify('The sale was not recorded.', 'error');
        return;
      }
      const { sale } = committed;
      rememberPaid(sale);
      reset();
      if (exchange) useExchange.getState().cancel();
      go('receipt', sale.id);
      // Printing follows the commit and never undoes it: a failure shows on the receipt screen.
      autoPrintReceipt(sale, store);
      // An exchange's return has its own receipt (what came back, and any credit note for the rest).
      if (exchange && committed.saleReturn) {
        autoPrintReturnReceipt(committed.saleReturn, store, exchange.found.sale);
      }
      // The sale is committed; pushing it is the sync engine's business and never blocks the till.
      void syncNow();
    } catch (e) {
      console.error('Sale could not be saved', e);
      setError(`The sale could not be saved: ${String(e)}. Nothing was recorded; try again.`);
      notify('The sale was not saved.', 'error');
    } finally {
      clearTimeout(showSaving);
      saving.current = false;
      setCommitting(false);
    }
  };

  // "Exact" for what is left in cash, then what a customer is likely to hand over: the amount
  // rounded up to each note the store takes (its quick amounts and the notes it counts).
  const exact = s && !s.complete ? s.remainingInCash : 0;
  const smallestNote = Math.min(...store.cashQuickAmounts);
  const notes = quickCashAmounts(exact, [
    ...store.cashQuickAmounts,
    ...store.denominations.filter((d) => d >= smallestNote),
  ]);

  return (
    <div className="pay">
      <h1 className="sr-only">Payment</h1>
      <section className="pay-summary" aria-label="Amount due">
        <p className="muted">Total</p>
        <p className="due" data-testid="due">
          {money(cart.total)}
        </p>
        {store.cashRounding > 1 && s && s.remainingInCash !== s.remaining && (
          <p className="muted">
            In cash: {money(s.remainingInCash)} (rounded to {money(store.cashRounding)})
          </p>
        )}
        <ul className="tenders" aria-label="Payments">
          <ExchangeTenderRow {...exchanged} />
          {tenders.map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: tenders are only appended or removed, never reordered
            <li key={`${t.kind}-${i}`}>
              <span>
                {tenderLabel(t)} {money(t.amount)}
              </span>
              {!s?.complete && (
                <button
                  type="button"
                  className="btn-icon"
                  aria-label="Remove payment"
                  onClick={() => setTenders(tenders.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        <ExchangeRest {...exchanged} />
        {s && !s.complete && (
          <p className="remaining" data-testid="remaining">
            Still to pay {money(s.remaining)}
          </p>
        )}
        {s?.complete && (
          <p className="change" data-testid="change">
            Change due {money(s.change)}
          </p>
        )}
        <Totals cart={cart} pricesIncludeTax={priced.pricesIncludeTax} promo={priced.promo} />
        <NextVisitCode chosen={issue} onChange={setIssue} disabled={committing} />
      </section>

      <section className="pay-methods">
        <fieldset disabled={s?.complete || committing}>
          <legend>Cash</legend>
          <div className="quick">
            {exact > 0 && (
              <button type="button" className="btn btn-big" onClick={() => addCash(exact)}>
                Exact {money(exact)}
              </button>
            )}
            {notes.map((a) => (
              <button key={a} type="button" className="btn btn-big" onClick={() => addCash(a)}>
                {money(a)}
              </button>
            ))}
          </div>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              addCash(parseMoney(cashText, store.currency));
            }}
          >
            <input
              ref={cashInput}
              aria-label="Cash handed over"
              inputMode="decimal"
              placeholder="Other amount"
              value={cashText}
              onChange={(e) => setCashText(e.target.value)}
            />
            <button type="submit" className="btn">
              Add cash
            </button>
          </form>
        </fieldset>
        <fieldset disabled={s?.complete || committing}>
          <legend>Card (external terminal)</legend>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              addCard();
            }}
          >
            <input
              aria-label="Card amount"
              inputMode="decimal"
              placeholder={s ? `Amount (${money(s.remaining)})` : 'Amount'}
              value={cardText}
              onChange={(e) => setCardText(e.target.value)}
            />
            <input
              aria-label={
                store.cardReferenceRequired ? 'Terminal reference' : 'Terminal reference (optional)'
              }
              placeholder={
                store.cardReferenceRequired ? 'Terminal reference' : 'Reference (optional)'
              }
              value={cardRef}
              onChange={(e) => setCardRef(e.target.value)}
            />
            <button type="submit" className="btn">
              Card paid
            </button>
          </form>
        </fieldset>
        {creditOpen && s && !s.complete ? (
          <StoreCreditEntry
            currency={store.currency}
            due={s.remaining}
            tenders={allTenders}
            onClose={() => setCreditOpen(false)}
            onApply={(t) => {
              addTender(t);
              setCreditOpen(false);
            }}
          />
        ) : (
          <fieldset disabled={s?.complete || committing}>
            <legend>Store credit</legend>
            <button type="button" className="btn" onClick={() => setCreditOpen(true)}>
              Pay with store credit
            </button>
          </fieldset>
        )}
        {refusal && (
          <div className="banner" role="alert" data-testid="sale-refused">
            <p>
              <strong>The sale was not recorded.</strong> {refusal.message}
            </p>
            {refusal.code === 'price-changed' && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  // New prices mean a new total: the payments taken so far are entered again.
                  useCart.getState().repriceDrops();
                  setTenders([]);
                  setRefusal(null);
                }}
              >
                Update prices
              </button>
            )}
          </div>
        )}
        <p className="error" role="alert">
          {error ?? ''}
        </p>
        <div className="actions">
          <button
            type="button"
            className="btn"
            disabled={committing}
            onClick={() => saving.current || go('sell')}
          >
            Back to cart
          </button>
          <button
            ref={completeButton}
            type="button"
            className="btn btn-primary btn-pay"
            disabled={committing}
            onClick={complete}
          >
            {committing ? 'Saving…' : 'Complete sale'}
          </button>
        </div>
      </section>
    </div>
  );
}
