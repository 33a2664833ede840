// "Stall sign" on the Drops screen: the ledger's sign (a QR of the store's public drop page) drawn in the till and printed through the system print dialog on a 100 × 150 mm label.
import { useEffect, useState } from 'react';
import type { StorePublicPage } from '../../../shared/public-links';
import { posDb } from '../../db/instance';
import { ReceiptCode } from '../receipt/ReceiptCode';
import { fetchStorePublicPage } from './public-link-calls';
import { QrScreen } from './QrScreen';

/**
 * The page size rule through the CSSOM (the CSP's style-src 'self' refuses a <style> written at run
 * time). Drawn in the till rather than opening the ledger's /s/<store>/sign: the till window may open
 * no other window nor navigate away (electron/main.ts), and the QR holds the same address.
 */
const labelPage = new CSSStyleSheet();
labelPage.replaceSync('@page { size: 100mm 150mm; margin: 0; }');

function printSign() {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, labelPage];
  document.body.classList.add('print-sign');
  const cleanUp = () => {
    document.body.classList.remove('print-sign');
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== labelPage);
  };
  window.addEventListener('afterprint', cleanUp, { once: true });
  window.print();
}

interface Props {
  storeId: string;
  storeName: string;
}

export function StallSignButton({ storeId, storeName }: Props) {
  const [busy, setBusy] = useState(false);
  const [page, setPage] = useState<StorePublicPage | null>(null);
  const [why, setWhy] = useState<string | null>(null);
  // Leaving the screen mid-print leaves the page as it was.
  useEffect(() => () => document.body.classList.remove('print-sign'), []);

  const show = async () => {
    setBusy(true);
    setWhy(null);
    const result = await fetchStorePublicPage(posDb, storeId);
    setBusy(false);
    if (result.ok) setPage(result.value);
    else setWhy(result.message);
  };

  return (
    <>
      <button type="button" className="btn" disabled={busy} onClick={() => void show()}>
        {busy ? 'Asking the ledger…' : 'Stall sign'}
      </button>
      {why && (
        <p className="error" role="alert">
          {why}
        </p>
      )}
      {page && (
        <QrScreen
          label="Stall sign"
          url={page.storePage}
          onClose={() => setPage(null)}
          code={
            <section className="stall-sign" aria-label="Sign to print" data-testid="stall-sign">
              <p className="stall-sign-store">{storeName}</p>
              <h1>Live drops</h1>
              <p>Scan for what is left, today's prices and when each drop opens.</p>
              <ReceiptCode symbology="qr" data={page.storePage} />
              <p className="stall-sign-url">{page.storePage.replace(/^https?:\/\//, '')}</p>
            </section>
          }
        >
          <h2>The stall's sign</h2>
          <p>
            Phones that scan it open the store's drop page: live counts, prices and opening times,
            nothing private. Print it on a 100 × 150 mm label or on any paper.
          </p>
          <button type="button" className="btn btn-big" onClick={printSign}>
            Print…
          </button>
        </QrScreen>
      )}
    </>
  );
}
