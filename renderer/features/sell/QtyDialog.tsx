// Type a quantity for a cart line: whole numbers from 1 up; zero or less is refused (use Remove).
import { useState } from 'react';
import { MAX_QTY } from '../../../shared/cart';
import { Dialog, FormFooter } from '../../ui/Dialog';

interface Props {
  name: string;
  qty: number;
  onApply: (qty: number) => void;
  onClose: () => void;
}

export function QtyDialog({ name, qty, onApply, onClose }: Props) {
  const [text, setText] = useState(String(qty));
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const t = text.trim();
    if (!/^-?\d+$/.test(t)) return setError('Enter a whole number.');
    const n = Number(t);
    if (n < 1) return setError('Quantity must be at least 1 — use Remove to take the item off.');
    if (n > MAX_QTY) return setError(`Quantity can be at most ${MAX_QTY}.`);
    onApply(n);
  };
  return (
    <Dialog title={`Quantity · ${name}`} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          Quantity
          <input
            inputMode="numeric"
            value={text}
            onFocus={(e) => e.target.select()}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
          />
        </label>
        <FormFooter error={error} onCancel={onClose} submit="Set quantity" />
      </form>
    </Dialog>
  );
}
