// "Log complaint" on a past sale: a category and a note, saved with its outbox fact; lists what was logged before.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { COMPLAINT_CATEGORIES, type Complaint } from '../../../shared/complaints';
import type { Sale } from '../../../shared/sale';
import { COMPLAINT_LABELS, complaintsForSale, logComplaint } from '../../db/complaints-repo';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { Dialog } from '../../ui/Dialog';
import './manager.css';
import { useDates } from '../../ui/dates';

export function ComplaintPanel({ sale }: { sale: Sale }) {
  const dates = useDates();
  const staff = useSession((s) => s.staff);
  const [open, setOpen] = useState(false);
  const logged = useLiveQuery(() => complaintsForSale(posDb, sale.id), [sale.id]);
  return (
    <section className="complaints" aria-label="Complaints">
      <div className="row">
        <button type="button" className="btn" onClick={() => setOpen(true)} disabled={!staff}>
          Log complaint
        </button>
        {logged && logged.length > 0 && (
          <span className="muted">
            {logged.length} {logged.length === 1 ? 'complaint' : 'complaints'} logged
          </span>
        )}
      </div>
      {logged && logged.length > 0 && (
        <ul className="list complaint-list" aria-label="Logged complaints">
          {logged.map((c) => (
            <li key={c.id}>
              <strong>{COMPLAINT_LABELS[c.category]}</strong>{' '}
              <span className="muted">{dates.dateTime(c.createdAt)}</span>
              {c.note && <div>{c.note}</div>}
            </li>
          ))}
        </ul>
      )}
      {open && staff && (
        <ComplaintDialog
          sale={sale}
          staffId={staff.id}
          onClose={() => setOpen(false)}
          onSaved={() => setOpen(false)}
        />
      )}
    </section>
  );
}

function ComplaintDialog({
  sale,
  staffId,
  onClose,
  onSaved,
}: {
  sale: Sale;
  staffId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [category, setCategory] = useState<Complaint['category'] | ''>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    if (!category) {
      setError('Choose what the complaint is about.');
      return;
    }
    setBusy(true);
    try {
      const result = await logComplaint(posDb, { saleId: sale.id, category, note, staffId });
      if (result.ok) onSaved();
      else setError(result.message);
    } catch (e) {
      console.error('logging a complaint failed', e);
      setError('The complaint could not be saved on this till. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Complaint about ${sale.receiptNumber}`} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>What is it about?</legend>
          <div className="complaint-categories">
            {COMPLAINT_CATEGORIES.map((c) => (
              <label key={c} className="complaint-category">
                <input
                  type="radio"
                  name="complaint-category"
                  value={c}
                  checked={category === c}
                  onChange={() => setCategory(c)}
                />
                {COMPLAINT_LABELS[c]}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          Note
          <textarea
            value={note}
            maxLength={500}
            rows={3}
            onChange={(e) => setNote(e.target.value)}
            placeholder="What the customer said"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Save complaint
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
