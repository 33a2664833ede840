// Give a line or order discount, as % or an amount; over the staff member's limit a manager's PIN approves it.
import { useRef, useState } from 'react';
import { checkDiscount, type Discount } from '../../../shared/cart';
import { discountLimitBp } from '../../../shared/catalog';
import type { Minor } from '../../../shared/money';
import { parseMoney } from '../../../shared/money';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { Dialog } from '../../ui/Dialog';
import { useMoney } from '../../ui/money';
import { approveDiscount } from '../login/approval';
import { PinPad } from '../login/PinPad';

interface Props {
  title: string;
  appliesTo: Minor;
  current: Discount | undefined;
  onApply: (discount: Discount | undefined, approvedBy?: string) => void;
  onClose: () => void;
}

function parsePercent(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

export function DiscountDialog({ title, appliesTo, current, onApply, onClose }: Props) {
  const staff = useSession((s) => s.staff)!;
  const store = useStoreSettings();
  const money = useMoney();
  const [kind, setKind] = useState<Discount['kind']>(current?.kind ?? 'percent');
  const [text, setText] = useState(
    current
      ? current.kind === 'percent'
        ? String(current.bp / 100)
        : String(current.amount / 100)
      : '',
  );
  const [error, setError] = useState<string | null>(null);
  const [approval, setApproval] = useState<{ discount: Discount; bp: number } | null>(null);
  const [pinError, setPinError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = () => {
    const value =
      kind === 'percent' ? parsePercent(text) : parseMoney(text, store?.currency ?? 'EUR');
    if (value === null) {
      setError(
        kind === 'percent'
          ? 'Enter a percentage such as 10 or 12.5.'
          : 'Enter an amount such as 5 or 2.50.',
      );
      return;
    }
    const discount: Discount = kind === 'percent' ? { kind, bp: value } : { kind, amount: value };
    const check = checkDiscount(discount, appliesTo, discountLimitBp[staff.role]);
    if (!check.ok) return setError(check.message);
    if (check.needsManager) return setApproval({ discount, bp: check.bp });
    onApply(check.amount === 0 ? undefined : discount);
  };

  const approve = async (pin: string) => {
    if (!approval) return;
    setPinError(null);
    const result = await approveDiscount(posDb, pin, approval.bp);
    if (result.ok) onApply(approval.discount, result.staff.id);
    else setPinError(result.message);
  };

  if (approval) {
    return (
      <Dialog title="Manager approval" onClose={onClose}>
        <p>
          A {approval.bp / 100}% discount is above your limit of {discountLimitBp[staff.role] / 100}
          %. A manager enters their PIN to approve it.
        </p>
        <PinPad
          label="Manager PIN"
          error={pinError}
          onSubmit={approve}
          onCancel={() => setApproval(null)}
        />
      </Dialog>
    );
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <p className="muted">Applies to {money(appliesTo)}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {/* The amount comes first so the dialog opens with the cursor in it: typed digits land there. */}
        <div className="discount-entry">
          <label>
            {kind === 'percent' ? 'Discount (%)' : 'Discount amount'}
            <input
              ref={input}
              inputMode="decimal"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setError(null);
              }}
            />
          </label>
          <fieldset className="segmented">
            <legend className="sr-only">Discount type</legend>
            {(['percent', 'amount'] as const).map((k) => (
              <button
                key={k}
                type="button"
                aria-pressed={kind === k}
                className={kind === k ? 'seg seg-on' : 'seg'}
                onClick={() => {
                  setKind(k);
                  input.current?.focus();
                }}
                onKeyDown={(e) => {
                  // Digits typed with the toggle focused still go into the amount.
                  if (/^[0-9.,]$/.test(e.key)) {
                    e.preventDefault();
                    setText((t) => t + e.key);
                    input.current?.focus();
                  }
                }}
              >
                {k === 'percent' ? 'Percent %' : `Amount ${store?.currency ?? ''}`}
              </button>
            ))}
          </fieldset>
        </div>
        <p className="error" role="alert">
          {error ?? ''}
        </p>
        <div className="row">
          {current && (
            <button type="button" className="btn" onClick={() => onApply(undefined)}>
              Remove discount
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
        </div>
      </form>
    </Dialog>
  );
}
