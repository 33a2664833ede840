// Settings → Store texts: a manager edits the returns and shipping promises every receipt prints.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { MAX_PROMISE_LENGTH } from '../../../shared/catalog';
import { getSetting } from '../../db/db';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { promisesProblem, saveStorePromises } from './store-promises';

function subscribeOnline(change: () => void): () => void {
  window.addEventListener('online', change);
  window.addEventListener('offline', change);
  return () => {
    window.removeEventListener('online', change);
    window.removeEventListener('offline', change);
  };
}

function PromiseField(props: {
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {props.label}
      <textarea
        rows={3}
        value={props.value}
        placeholder={props.hint}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <span className="muted">
        {props.value.length} of {MAX_PROMISE_LENGTH} characters
      </span>
    </label>
  );
}

export function StorePromisesPanel() {
  const store = useStoreSettings();
  const mode = useLiveQuery(() => getSetting(posDb, 'mode'), []);
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  const notify = useSession((s) => s.notify);
  const [returnsPromise, setReturns] = useState('');
  const [shippingPromise, setShipping] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The form shows the texts this till has (the ledger's, as of the last pull), and follows them.
  const savedReturns = store?.returnsPromise ?? '';
  const savedShipping = store?.shippingPromise ?? '';
  useEffect(() => {
    setReturns(savedReturns);
    setShipping(savedShipping);
  }, [savedReturns, savedShipping]);
  if (!store || mode === undefined) return null;

  const linked = mode === 'ledger';
  const texts = { returnsPromise, shippingPromise };
  const problem = promisesProblem(texts);
  return (
    <form
      className="stack"
      aria-label="Store texts"
      onSubmit={async (e) => {
        e.preventDefault();
        setSaving(true);
        const result = await saveStorePromises(posDb, texts, navigator.onLine);
        setSaving(false);
        if (!result.ok) return setError(result.message);
        setError(null);
        notify(result.message);
      }}
    >
      <h2>Store texts</h2>
      <p className="muted">
        Printed on every receipt above the returns code, and shown on the screen receipt. Leave one
        empty to print none.
        {linked && ' They are kept at the ledger, so every till of the store prints the same.'}
      </p>
      <PromiseField
        label="Returns promise"
        hint="Returns: 14 days with receipt. Drop items: exchange only, 7 days."
        value={returnsPromise}
        onChange={setReturns}
      />
      <PromiseField
        label="Shipping promise"
        hint="Shipping: we don't post orders. What you buy leaves the stall with you."
        value={shippingPromise}
        onChange={setShipping}
      />
      {linked && !online && (
        <p className="error" role="status">
          This till is offline: the store texts cannot be saved now. They are kept at the ledger —
          save again when the till is back online.
        </p>
      )}
      <p className="error" role="alert">
        {error ?? problem ?? ''}
      </p>
      <button type="submit" className="btn" disabled={saving || problem !== null}>
        {saving ? 'Saving…' : 'Save store texts'}
      </button>
    </form>
  );
}
