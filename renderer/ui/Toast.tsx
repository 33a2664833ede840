// One short message at a time at the bottom of the screen; it never blocks the till.
import { useEffect } from 'react';
import { useSession } from '../state/session';

export function ToastLine() {
  const toast = useSession((s) => s.toast);
  const dismiss = useSession((s) => s.dismiss);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(dismiss, toast.kind === 'error' ? 6000 : 3000);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  return (
    <div className="toast-area" aria-live="polite">
      {toast && (
        <button
          type="button"
          className={`toast toast-${toast.kind}`}
          onClick={dismiss}
          key={toast.id}
        >
          {toast.text}
        </button>
      )}
    </div>
  );
}
