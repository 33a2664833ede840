// The manager's form for one drop: name, window on the store's clock, early access, items with their price ladders, limit, restock, allotments.
import { useState } from 'react';
import { type Drop, dropSchema } from '../../../shared/drops';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { managerCall } from '../../sync/manager-session';
import { syncNow } from '../../sync/useSync';
import {
  type DropForm,
  emptyStep,
  formToDrop,
  type ItemForm,
  type StepForm,
  timeNotices,
} from './drop-form';

interface Props {
  initial: DropForm;
  isNew: boolean;
  storeId: string;
  timeZone: string;
  currency: string;
  onDone: () => void;
}

const savedSchema = dropSchema.loose();

export function DropEditor({ initial, isNew, storeId, timeZone, currency, onDone }: Props) {
  const notify = useSession((s) => s.notify);
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const patch = (p: Partial<DropForm>) => setForm((f) => ({ ...f, ...p }));
  const patchItem = (i: number, p: Partial<ItemForm>) =>
    patch({ items: form.items.map((it, k) => (k === i ? { ...it, ...p } : it)) });
  const times = timeNotices(form, timeZone);
  const patchStep = (i: number, j: number, p: Partial<StepForm>) =>
    patchItem(i, { ladder: form.items[i]!.ladder.map((s, k) => (k === j ? { ...s, ...p } : s)) });

  const save = async () => {
    const checked = formToDrop(form, timeZone, currency);
    if (!checked.ok) return setError(checked.message);
    setBusy(true);
    setError(null);
    const drop: Drop = checked.drop;
    // The times go as typed on the store's clock: the ledger converts them with the same rules.
    const res = await managerCall(
      posDb,
      `/api/v1/stores/${encodeURIComponent(storeId)}/drops/${encodeURIComponent(drop.id)}`,
      { method: 'PUT', body: checked.put, schema: savedSchema },
    );
    setBusy(false);
    if (!res.ok) return setError(res.message);
    notify(`${drop.name} saved at the ledger. Tills get it at their next sync.`);
    // This till gets it at once.
    void syncNow();
    onDone();
  };

  return (
    <form
      className="panel stack drop-form"
      aria-label={isNew ? 'New drop' : `Edit ${initial.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void save();
      }}
    >
      <h2>{isNew ? 'New drop' : `Edit ${initial.name}`}</h2>
      <div className="row">
        <label>
          Name
          <input value={form.name} onChange={(e) => patch({ name: e.target.value })} />
        </label>
        {isNew && (
          <label>
            Drop id (optional)
            <input value={form.id} onChange={(e) => patch({ id: e.target.value })} />
          </label>
        )}
      </div>
      <div className="row">
        <label>
          Starts ({timeZone})
          <input
            type="datetime-local"
            value={form.startsAt}
            onChange={(e) => patch({ startsAt: e.target.value })}
          />
        </label>
        <label>
          Ends ({timeZone})
          <input
            type="datetime-local"
            value={form.endsAt}
            onChange={(e) => patch({ endsAt: e.target.value })}
          />
        </label>
      </div>
      {times.problems.map((p) => (
        <p key={p} className="error" data-testid="time-problem">
          {p} Pick a time outside the change.
        </p>
      ))}
      {times.notes.map((n) => (
        <p key={n} className="muted" data-testid="time-note">
          {n}
        </p>
      ))}
      <fieldset>
        <legend>Early access (everyone else from the start)</legend>
        {form.access.map((a, i) => (
          <div className="row" key={`access-${i.toString()}`}>
            <label>
              Tier
              <input
                value={a.tier}
                onChange={(e) =>
                  patch({
                    access: form.access.map((x, k) =>
                      k === i ? { ...x, tier: e.target.value } : x,
                    ),
                  })
                }
              />
            </label>
            <label>
              Minutes before the start
              <input
                inputMode="numeric"
                value={a.minutesBefore}
                onChange={(e) =>
                  patch({
                    access: form.access.map((x, k) =>
                      k === i ? { ...x, minutesBefore: e.target.value } : x,
                    ),
                  })
                }
              />
            </label>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => patch({ access: form.access.filter((_, k) => k !== i) })}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => patch({ access: [...form.access, { tier: '', minutesBefore: '30' }] })}
        >
          Add early-access tier
        </button>
      </fieldset>
      <fieldset>
        <legend>Items</legend>
        {form.items.map((item, i) => (
          <div className="stack" key={`item-${i.toString()}`}>
            <div className="row item-row">
              <label>
                SKU
                <input value={item.sku} onChange={(e) => patchItem(i, { sku: e.target.value })} />
              </label>
              <label>
                Units
                <input
                  inputMode="numeric"
                  value={item.quantity}
                  onChange={(e) => patchItem(i, { quantity: e.target.value })}
                />
              </label>
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => patch({ items: form.items.filter((_, k) => k !== i) })}
              >
                Remove item
              </button>
            </div>
            {item.ladder.map((step, j) => (
              <div className="row step-row" key={`step-${j.toString()}`}>
                <label>
                  Step {j + 1}
                  <input
                    value={step.label}
                    onChange={(e) => patchStep(i, j, { label: e.target.value })}
                  />
                </label>
                <label>
                  Price
                  <input
                    inputMode="decimal"
                    value={step.price}
                    onChange={(e) => patchStep(i, j, { price: e.target.value })}
                  />
                </label>
                <label>
                  First units
                  <input
                    inputMode="numeric"
                    value={step.untilUnits}
                    onChange={(e) => patchStep(i, j, { untilUnits: e.target.value })}
                  />
                </label>
                <label>
                  First minutes
                  <input
                    inputMode="numeric"
                    value={step.untilMinutes}
                    onChange={(e) => patchStep(i, j, { untilMinutes: e.target.value })}
                  />
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={step.fastFulfilment}
                    onChange={(e) => patchStep(i, j, { fastFulfilment: e.target.checked })}
                  />
                  Fast fulfilment
                </label>
                <button
                  type="button"
                  className="btn btn-ghost"
                  onClick={() => patchItem(i, { ladder: item.ladder.filter((_, k) => k !== j) })}
                >
                  Remove step
                </button>
              </div>
            ))}
            <button
              type="button"
              className="btn btn-small"
              onClick={() => patchItem(i, { ladder: [...item.ladder, emptyStep()] })}
            >
              Add price step
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => patch({ items: [...form.items, { sku: '', quantity: '10', ladder: [] }] })}
        >
          Add item
        </button>
      </fieldset>
      <div className="row">
        <label>
          Limit per customer (empty: no limit)
          <input
            inputMode="numeric"
            value={form.perCustomerLimit}
            onChange={(e) => patch({ perCustomerLimit: e.target.value })}
          />
        </label>
        <label>
          Restock (empty: no restock)
          <input
            type="datetime-local"
            value={form.restockAt}
            onChange={(e) => patch({ restockAt: e.target.value })}
          />
        </label>
        <label>
          Allotments
          <select
            value={form.allotments}
            onChange={(e) => patch({ allotments: e.target.value as DropForm['allotments'] })}
          >
            <option value="auto">Automatic: split over the tills</option>
            <option value="manual">Manual: set per till</option>
            <option value="off">Off: no escrow (oversell is flagged)</option>
          </select>
        </label>
        <label>
          Status
          <select
            value={form.status}
            onChange={(e) => patch({ status: e.target.value as DropForm['status'] })}
          >
            <option value="scheduled">Scheduled</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving at the ledger…' : 'Save drop'}
        </button>
      </div>
    </form>
  );
}
