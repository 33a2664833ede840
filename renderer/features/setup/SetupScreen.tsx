// First run (or after a manager's reset): connect this till to a ledger with a pairing code, or try it standalone.
import { useState } from 'react';
import { posDb } from '../../db/instance';
import { enrolTill, startStandalone } from '../../sync/enrol';
import { FindHubs } from './FindHubs';

export function SetupScreen({ onDone }: { onDone: () => void }) {
  const [url, setUrl] = useState(`http://${location.hostname || '127.0.0.1'}:4310`);
  const [code, setCode] = useState('');
  const [name, setName] = useState('Till');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<{ ok: true } | { ok: false; message: string }>) => {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.message);
  };

  return (
    <main className="setup">
      <h1>Set up this till</h1>
      <form
        className="stack panel"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => enrolTill(posDb, { url, pairingCode: code, name }));
        }}
      >
        <h2>Connect to your stock ledger</h2>
        <p className="muted">
          A manager creates a pairing code on the ledger; it works once, for 15 minutes.
        </p>
        <label>
          Ledger address
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            inputMode="url"
            autoComplete="off"
          />
        </label>
        <FindHubs onPick={setUrl} />
        <label>
          Pairing code
          <input
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            placeholder="7K3M-Q9XT"
            autoComplete="off"
            autoFocus
          />
        </label>
        <label>
          Name of this till
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" className="btn btn-primary btn-big" disabled={busy}>
          {busy ? 'Connecting…' : 'Connect till'}
        </button>
      </form>
      <section className="stack panel">
        <h2>No ledger yet?</h2>
        <p className="muted">
          Sell on this laptop alone with the demo catalog. You can connect to a ledger later (demo
          sales are then discarded).
        </p>
        <button
          type="button"
          className="btn btn-big"
          disabled={busy}
          onClick={() => void run(() => startStandalone(posDb))}
        >
          Try it with demo data
        </button>
      </section>
    </main>
  );
}
