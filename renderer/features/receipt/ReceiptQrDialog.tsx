// A receipt shown full screen as a QR the customer photographs (any phone camera reads it as text), with the receipt number large for returns.
import { useEffect, useRef, useState } from 'react';
import type { ReceiptDocument } from '../../../shared/receipt';
import { receiptQrText } from './receipt-qr-text';
import './receipt-print.css';

interface Props {
  doc: ReceiptDocument;
  /** "Receipt T1-000042", "Return receipt T1-R-000003". */
  title: string;
  onClose: () => void;
}

export function ReceiptQrDialog({ doc, title, onClose }: Props) {
  const [svg, setSvg] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const done = useRef<HTMLButtonElement>(null);
  const text = receiptQrText(doc);
  useEffect(() => {
    let live = true;
    // bwip-js is large: split out so the till starts without it. It encodes the text as UTF-8.
    import('bwip-js/browser')
      .then(({ toSVG }) => {
        if (live) setSvg(toSVG({ bcid: 'qrcode', text, scale: 4 }));
      })
      .catch((e: unknown) => {
        console.error('Receipt QR could not be drawn', e);
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [text]);
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

  return (
    <div
      className="receipt-qr-screen"
      role="dialog"
      aria-modal="true"
      aria-label={`${title} as a QR code`}
    >
      <div className="receipt-qr-code" data-testid="receipt-qr">
        {svg && (
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
            alt={`QR code of ${title.toLowerCase()}`}
          />
        )}
        {failed && (
          <p className="error">The QR code could not be drawn. Print the receipt instead.</p>
        )}
      </div>
      <div className="receipt-qr-side">
        <h2>Take a photo of this code</h2>
        <p>
          It holds the receipt as text: your phone's camera shows it, no internet needed. For a
          return, bring it or say the receipt number.
        </p>
        <p className="receipt-qr-number" data-testid="receipt-qr-number">
          {doc.receiptNumber}
        </p>
        <button ref={done} type="button" className="btn btn-primary btn-big" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
