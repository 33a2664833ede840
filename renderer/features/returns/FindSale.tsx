// Finding the sale goods come back from: type its receipt number, scan the receipt's QR, or arrive from History.
import { useEffect, useRef, useState } from 'react';
import { useScanner } from '../sell/useScanner';

interface Props {
  /** Look the text up (receipt number, or the sale id a receipt QR carries); a refusal in plain words, or null when found. */
  onFind: (text: string) => Promise<string | null>;
  /** A sale picked in History: looked up once on arrival. */
  initial: string | null;
}

export function FindSale({ onFind, initial }: Props) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const find = async (what: string) => {
    const t = what.trim();
    if (!t) return setError('Type the receipt number, e.g. T1-000042 or 42, or scan the receipt.');
    setBusy(true);
    setError(null);
    try {
      const refusal = await onFind(t);
      if (refusal) setError(refusal);
    } finally {
      setBusy(false);
    }
  };
  // A scanner types fast and presses Enter anywhere on the screen: the receipt's QR is looked up at once.
  useScanner(
    !busy,
    (code) => void find(code),
    (typed) => {
      setText((t) => t + typed);
      input.current?.focus();
    },
    // No cart here: a scanned promo or credit-note code is looked up as a receipt (and refused in words).
    false,
  );
  const findRef = useRef(find);
  findRef.current = find;
  useEffect(() => {
    if (initial) void findRef.current(initial);
  }, [initial]);

  return (
    <section className="return-find" aria-label="Find the sale">
      <p>Scan the QR code on the customer's receipt, or type its receipt number.</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void find(text);
        }}
      >
        <label className="grow">
          Receipt number
          <input
            ref={input}
            value={text}
            placeholder="T1-000042 or 42"
            autoComplete="off"
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Looking…' : 'Find sale'}
        </button>
      </form>
      <p className="error" role="alert" data-testid="find-error">
        {error ?? ''}
      </p>
    </section>
  );
}
