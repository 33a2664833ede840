// With no receipt printer: give the customer the receipt as a full-screen QR, or print it through the system print dialog on 58/80 mm paper.
import { useState } from 'react';
import type { SaleReturn } from '../../../shared/returns/return-fact';
import type { Sale } from '../../../shared/sale';
import { useSession } from '../../state/session';
import { ReceiptQrDialog } from './ReceiptQrDialog';
import { SystemPrintSheet } from './SystemPrintSheet';
import { type ReceiptDoc, useReturnReceipt, useSaleReceipt } from './useReceiptDocument';

function ReceiptOptions({ receipt, title }: { receipt: ReceiptDoc; title: string }) {
  const [showQr, setShowQr] = useState(false);
  // Each Print… lays out a fresh sheet (keyed by this count), so pressing it again prints again.
  const [printRun, setPrintRun] = useState(0);
  const notify = useSession((s) => s.notify);
  const { doc, width } = receipt;
  return (
    <div className="actions receipt-options">
      <button type="button" className="btn btn-big" disabled={!doc} onClick={() => setShowQr(true)}>
        Show QR
      </button>
      <button
        type="button"
        className="btn btn-big"
        disabled={!doc}
        onClick={() => setPrintRun((n) => n + 1)}
      >
        Print…
      </button>
      {doc && showQr && (
        <ReceiptQrDialog doc={doc} title={title} onClose={() => setShowQr(false)} />
      )}
      {doc && printRun > 0 && (
        <SystemPrintSheet
          key={printRun}
          doc={doc}
          width={width}
          label={title}
          onPrinted={() => {
            notify(`${title}: print dialog opened (${width === 32 ? '58' : '80'} mm paper).`);
          }}
        />
      )}
    </div>
  );
}

function SaleOptions({ sale }: { sale: Sale }) {
  return <ReceiptOptions receipt={useSaleReceipt(sale)} title={`Receipt ${sale.receiptNumber}`} />;
}

function ReturnOptions({ saleReturn, sale }: { saleReturn: SaleReturn; sale?: Sale | undefined }) {
  return (
    <ReceiptOptions
      receipt={useReturnReceipt(saleReturn, sale)}
      title={`Return receipt ${saleReturn.returnNumber}`}
    />
  );
}

/** A sale's receipt, or with `saleReturn` that return's receipt. */
export function ReceiptWithoutPrinter(
  props: { sale: Sale; saleReturn?: undefined } | { saleReturn: SaleReturn; sale?: Sale },
) {
  return props.saleReturn ? (
    <ReturnOptions saleReturn={props.saleReturn} sale={props.sale} />
  ) : (
    <SaleOptions sale={props.sale} />
  );
}
