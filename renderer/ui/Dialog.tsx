// A modal panel: focus moves into it, Escape closes it.
import { type ReactNode, useEffect, useRef } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

export function Dialog({ title, onClose, children }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    el?.querySelector<HTMLElement>('input, button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** The end of a dialog's form: its error line (kept in place so the layout does not jump), Cancel and the submit button. */
export function FormFooter({
  error,
  onCancel,
  submit,
}: {
  error: string | null;
  onCancel: () => void;
  submit: string;
}) {
  return (
    <>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <div className="row">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary">
          {submit}
        </button>
      </div>
    </>
  );
}
