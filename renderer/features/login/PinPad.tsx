// A touch PIN pad that also takes digits, Backspace and Enter from the keyboard; during the wrong-PIN lock it counts down and says a PIN was not checked.
import { useEffect, useRef, useState } from 'react';
import { useLockoutSeconds } from './useLockout';

interface Props {
  label: string;
  busy?: boolean;
  error?: string | null;
  onSubmit: (pin: string) => void;
  onCancel?: () => void;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

export function PinPad({ label, busy = false, error, onSubmit, onCancel }: Props) {
  const [pin, setPin] = useState('');
  const lockedFor = useLockoutSeconds();
  /** A PIN entered (on the keyboard) during the lock: it is not checked, and the cashier is told so. */
  const [refusedDuringLock, setRefusedDuringLock] = useState(false);

  useEffect(() => {
    if (error) setPin('');
  }, [error]);
  // The message that announced the lock is not true once it ends.
  const [spentError, setSpentError] = useState<string | null>(null);
  const wasLocked = useRef(false);
  useEffect(() => {
    if (lockedFor > 0) wasLocked.current = true;
    else if (wasLocked.current) {
      wasLocked.current = false;
      setRefusedDuringLock(false);
      setSpentError(error ?? null);
    }
  }, [lockedFor, error]);

  const press = (key: (typeof KEYS)[number] | 'back') => {
    if (busy) return;
    if (key === 'clear') setPin('');
    else if (key === 'back') setPin((p) => p.slice(0, -1));
    else if (key === 'ok') {
      if (pin.length === 0) return;
      if (lockedFor > 0) {
        setRefusedDuringLock(true);
        setPin('');
      } else onSubmit(pin);
    } else setPin((p) => (p.length < 8 ? p + key : p));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) press(e.key as (typeof KEYS)[number]);
      else if (e.key === 'Backspace') press('back');
      else if (e.key === 'Enter') press('ok');
      else if (e.key === 'Escape') onCancel?.();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const message =
    lockedFor > 0
      ? refusedDuringLock
        ? `The till is locked for ${lockedFor}\u00a0s more — that PIN was not checked. Enter it again when the lock ends.`
        : `Too many wrong PINs. Try again in ${lockedFor}\u00a0s.`
      : error && error !== spentError
        ? error
        : '';

  return (
    <div className="pinpad">
      <p className="pinpad-label">{label}</p>
      <output className="pinpad-dots" aria-label="PIN entered">
        {pin.length === 0 ? <span className="muted">Enter PIN</span> : '•'.repeat(pin.length)}
      </output>
      <p className="pinpad-error" role="alert" data-testid="pin-message">
        {message}
      </p>
      <div className="pinpad-keys">
        {KEYS.map((k) => (
          <button
            key={k}
            type="button"
            className={`key key-${k}`}
            disabled={busy || lockedFor > 0}
            onClick={() => press(k)}
            aria-label={k === 'ok' ? 'Enter' : k === 'clear' ? 'Clear' : k}
          >
            {k === 'ok' ? 'Enter' : k === 'clear' ? 'Clear' : k}
          </button>
        ))}
      </div>
      {onCancel && (
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
