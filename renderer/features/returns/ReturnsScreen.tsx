// The returns screen: find the sale, choose what comes back and how the money goes back, then show the return receipt.
import { useState } from 'react';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { type FoundSale, findSaleForReturn, type ReturnCommit } from '../../db/returns-repo';
import { useSession } from '../../state/session';
import { saleLookup } from '../../sync/sale-lookup';
import { syncNow } from '../../sync/useSync';
import { autoPrintReturnReceipt } from '../printing/print-actions';
import { FindSale } from './FindSale';
import { ReturnDone } from './ReturnDone';
import { ReturnForm } from './ReturnForm';
import './returns.css';

export function ReturnsScreen() {
  // A sale picked in History ("Return or exchange") arrives as the session's sale.
  const initial = useSession((s) => s.saleId);
  const [found, setFound] = useState<FoundSale | null>(null);
  const store = useStoreSettings();
  const [done, setDone] = useState<Extract<ReturnCommit, { ok: true }> | null>(null);

  const find = async (text: string): Promise<string | null> => {
    const result = await findSaleForReturn(posDb, text, { lookup: saleLookup(posDb) });
    if (!result.ok) return result.message;
    setFound(result.found);
    return null;
  };

  return (
    <div className="returns">
      <h1>Returns</h1>
      {done && found ? (
        <ReturnDone
          recorded={done}
          sale={found.sale}
          onNext={() => {
            setDone(null);
            setFound(null);
            useSession.getState().go('returns', null);
          }}
        />
      ) : found ? (
        <ReturnForm
          key={found.sale.id}
          found={found}
          onBack={() => {
            setFound(null);
            useSession.getState().go('returns', null);
          }}
          onDone={(recorded) => {
            setDone(recorded);
            // Printing follows the commit and never undoes it: a failure shows beside the receipt.
            if (store) autoPrintReturnReceipt(recorded.saleReturn, store, found.sale);
            // The return is committed; pushing it is the sync engine's business.
            void syncNow();
          }}
        />
      ) : (
        <FindSale onFind={find} initial={initial} />
      )}
    </div>
  );
}
