// A web address shown full screen as a large QR for a customer's phone camera, with the address in words beside it.
import { type ReactNode, useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { ReceiptCode } from '../receipt/ReceiptCode';
import '../receipt/receipt-print.css';
import './public-links.css';

interface Props {
  /** The dialog's name: "Offers link of Aoife Byrne". */
  label: string;
  url: string;
  /** Drawn where the QR goes instead (the stall sign lays out its own label). */
  code?: ReactNode;
  children: ReactNode;
  onClose: () => void;
}

export function QrScreen({ label, url, code, children, onClose }: Props) {
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    done.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  // On the body, so printing can hide everything else (the app's root included).
  return createPortal(
    <div
      className="receipt-qr-screen public-qr-screen"
      role="dialog"
      aria-modal="true"
      aria-label={label}
    >
      {code ?? (
        <div className="receipt-qr-code" data-testid="public-qr">
          <ReceiptCode symbology="qr" data={url} />
        </div>
      )}
      <div className="receipt-qr-side public-qr-side">
        {children}
        <p className="public-qr-url" data-testid="public-qr-url">
          {url}
        </p>
        <button ref={done} type="button" className="btn btn-primary btn-big" onClick={onClose}>
          Done
        </button>
      </div>
    </div>,
    document.body,
  );
}
