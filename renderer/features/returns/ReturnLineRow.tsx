// One line of the sale being returned: sold, already back and still returnable; how many come back, why, in what state, and the policy's verdict.
import type { ReturnCondition, ReturnReason } from '../../../shared/returns/return-fact';
import { RETURN_REASONS } from '../../../shared/returns/return-fact';
import { useMoney } from '../../ui/money';

export const REASON_WORDS: Record<ReturnReason, string> = {
  'wrong-size': 'Wrong size',
  faulty: 'Faulty',
  'not-as-described': 'Not as described',
  'changed-mind': 'Changed mind',
  gift: 'Unwanted gift',
  other: 'Other',
};

export interface LineChoice {
  qty: number;
  reason: ReturnReason;
  condition: ReturnCondition;
}

interface Props {
  lineNo: number;
  name: string;
  sold: number;
  returned: number;
  choice: LineChoice;
  onChange: (choice: LineChoice) => void;
  /** The policy's word on this line as chosen (null while nothing of it comes back). */
  verdict: {
    refund: number;
    tierNote: string | null;
    refusal: string | null;
    /** A manager may override the refusal. */
    overridable: boolean;
  } | null;
  /** The line's stricter-tier note ("Drop item: exchange only, 7 days"), shown before any unit is chosen. */
  tierNote: string | null;
  onOverride: () => void;
  overridden: boolean;
}

export function ReturnLineRow(p: Props) {
  const money = useMoney();
  const left = Math.max(0, p.sold - p.returned);
  const { choice } = p;
  const set = (patch: Partial<LineChoice>) => p.onChange({ ...choice, ...patch });
  const id = `return-line-${p.lineNo}`;
  return (
    <li className="return-line" aria-labelledby={`${id}-name`} data-testid={id}>
      <div className="return-line-head">
        <strong id={`${id}-name`}>{p.name}</strong>
        <span className="muted" data-testid={`${id}-counts`}>
          Sold {p.sold} · returned {p.returned} · returnable {left}
        </span>
      </div>
      {left === 0 ? (
        <p className="muted">Every unit of this line has already come back.</p>
      ) : (
        <div className="return-line-controls">
          <fieldset className="qty-stepper">
            <legend className="sr-only">Units of {p.name} coming back</legend>
            <button
              type="button"
              className="btn"
              aria-label={`One fewer ${p.name}`}
              disabled={choice.qty === 0}
              onClick={() => set({ qty: choice.qty - 1 })}
            >
              −
            </button>
            <output aria-label={`${p.name} coming back`}>{choice.qty}</output>
            <button
              type="button"
              className="btn"
              aria-label={`One more ${p.name}`}
              disabled={choice.qty >= left}
              onClick={() => set({ qty: choice.qty + 1 })}
            >
              +
            </button>
          </fieldset>
          <label>
            Reason
            <select
              value={choice.reason}
              onChange={(e) => set({ reason: e.target.value as ReturnReason })}
            >
              {RETURN_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_WORDS[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Condition
            <select
              value={choice.condition}
              onChange={(e) => set({ condition: e.target.value as ReturnCondition })}
            >
              <option value="resaleable">Resaleable</option>
              <option value="damaged">Damaged</option>
            </select>
          </label>
        </div>
      )}
      {(p.verdict?.tierNote ?? p.tierNote) && (
        <p className="tier-note">{p.verdict?.tierNote ?? p.tierNote}</p>
      )}
      {p.verdict && choice.qty > 0 && (
        <div className="return-verdict" data-testid={`${id}-verdict`}>
          {p.verdict.refusal ? (
            <>
              <p className="error" role="alert">
                {p.verdict.refusal}
              </p>
              {p.verdict.overridable && !p.overridden && (
                <button type="button" className="btn" onClick={p.onOverride}>
                  Manager override
                </button>
              )}
            </>
          ) : (
            <p>
              Refund <strong>{money(p.verdict.refund)}</strong>
              {p.overridden && <span className="muted"> (manager override)</span>}
            </p>
          )}
        </div>
      )}
    </li>
  );
}
