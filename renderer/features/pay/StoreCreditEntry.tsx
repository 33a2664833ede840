// Store credit as a payment: type or scan the credit note's code, see its balance, spend all of it or less.
import { useEffect, useRef, useState } from 'react';
import { fractionDigits, type Minor, parseMoney } from '../../../shared/money';
import type { Tender } from '../../../shared/tender';
import { posDb } from '../../db/instance';
import { checkCreditNote } from '../../db/returns-repo';
import { useMoney } from '../../ui/money';

interface Props {
  currency: string;
  /** Still to pay: store credit never pays more (no change on a credit note). */
  due: Minor;
  /** Tenders already on this sale: a note's earlier part here counts against its balance. */
  tenders: readonly Tender[];
  onApply: (tender: Extract<Tender, { kind: 'store-credit' }>) => void;
  onClose: () => void;
}

export function StoreCreditEntry({ currency, due, tenders, onApply, onClose }: Props) {
  const money = useMoney();
  const [codeText, setCodeText] = useState('');
  const [note, setNote] = useState<{ code: string; balance: Minor } | null>(null);
  const [amountText, setAmountText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  useEffect(() => codeInput.current?.focus(), []);

  const check = async () => {
    if (codeText.trim() === '') return setError('Type or scan the code on the credit note.');
    setBusy(true);
    setError(null);
    try {
      const result = await checkCreditNote(posDb, codeText);
      if (!result.ok) return setError(result.message);
      if (result.currency !== currency) {
        return setError(`This credit note is in ${result.currency}, not ${currency}.`);
      }
      const usedHere = tenders.reduce(
        (n, t) => (t.kind === 'store-credit' && t.code === result.code ? n + t.amount : n),
        0,
      );
      const balance = Math.max(0, result.balance - usedHere);
      if (balance === 0) {
        return setError(`Credit note ${result.code} has nothing left to spend.`);
      }
      setNote({ code: result.code, balance });
      const digits = fractionDigits(currency);
      setAmountText((Math.min(balance, due) / 10 ** digits).toFixed(digits));
    } catch (e) {
      console.error('Credit note could not be checked', e);
      setError(`The credit note could not be checked: ${String(e)}. Nothing was applied.`);
    } finally {
      setBusy(false);
    }
  };

  const apply = () => {
    if (!note) return;
    const amount = parseMoney(amountText, currency);
    if (amount === null || amount <= 0) return setError('Enter the amount to spend, e.g. 12.50.');
    if (amount > note.balance) {
      return setError(`Only ${money(note.balance)} is left on this credit note.`);
    }
    if (amount > due) return setError(`Only ${money(due)} is still to pay.`);
    onApply({ kind: 'store-credit', amount, code: note.code });
  };

  return (
    <fieldset className="store-credit-entry">
      <legend>Store credit</legend>
      {note === null ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void check();
          }}
        >
          <label className="grow">
            Credit note code
            <input
              ref={codeInput}
              value={codeText}
              autoComplete="off"
              placeholder="Type or scan the code"
              onChange={(e) => {
                setCodeText(e.target.value);
                setError(null);
              }}
            />
          </label>
          <button type="submit" className="btn" disabled={busy}>
            {busy ? 'Checking…' : 'Check balance'}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
        </form>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <p data-testid="credit-balance">
            Credit note <span className="mono">{note.code}</span>: {money(note.balance)} left
          </p>
          <div className="row">
            <label className="grow">
              Amount to spend (at most {money(Math.min(note.balance, due))})
              <input
                inputMode="decimal"
                value={amountText}
                onChange={(e) => {
                  setAmountText(e.target.value);
                  setError(null);
                }}
              />
            </label>
            <button type="submit" className="btn btn-primary">
              Use store credit
            </button>
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
