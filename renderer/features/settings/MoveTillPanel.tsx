// "Move this till to central" for managers: re-pair with another ledger (the stall hub died) keeping this till's unsynced facts and numbers.
import { useState } from 'react';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { repointTill } from '../../sync/repoint';
import { type SyncStatus, syncNow } from '../../sync/useSync';

// The app window may reach only the ledger it is enrolled with (electron/csp.ts), so the
// pairing request to another ledger would be blocked before it left; say so instead of failing.
const inElectron = () => window.pos !== undefined;

export function MoveTillPanel({ status }: { status: SyncStatus }) {
  const notify = useSession((s) => s.notify);
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  if (status.mode !== 'ledger') return null;

  const move = async () => {
    if (inElectron())
      return setOutcome({
        ok: false,
        message:
          'The PopTill app lets this window reach only the ledger it is paired with, so it cannot move itself yet. Nothing was changed.',
      });
    setBusy(true);
    setOutcome(null);
    const before = status.ledgerUrl;
    const unsynced = status.unsyncedFacts;
    const result = await repointTill(posDb, { url, pairingCode: code });
    setBusy(false);
    if (!result.ok)
      return setOutcome({
        ok: false,
        message: `Not moved: ${result.message} This till still syncs with ${before}.`,
      });
    setCode('');
    const words = `Moved: this till now syncs with ${url.trim()} under its own id and receipt numbers. Its ${unsynced} unsynced facts were kept and go there next.`;
    setOutcome({ ok: true, message: words });
    notify(words);
    void syncNow();
  };

  return (
    <form
      className="stack"
      aria-label="Move this till to central"
      onSubmit={(e) => {
        e.preventDefault();
        void move();
      }}
    >
      <h3>Move this till to the central ledger</h3>
      <p className="muted">
        When the stall hub is gone: make a pairing code at the central ledger and enter it here.
        Unsynced sales and receipt numbers stay; whatever the hub still holds reaches central once
        when the hub comes back.
      </p>
      <label>
        Central ledger address
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://ledger.example.ie"
          inputMode="url"
          autoComplete="off"
        />
      </label>
      <label>
        Pairing code made there
        <input
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          placeholder="7K3M-Q9XT"
          autoComplete="off"
        />
      </label>
      {outcome && (
        <p
          className={outcome.ok ? undefined : 'error'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="move-outcome"
        >
          {outcome.message}
        </p>
      )}
      <button type="submit" className="btn" disabled={busy || !url.trim() || !code.trim()}>
        {busy ? 'Moving…' : 'Move this till'}
      </button>
    </form>
  );
}
