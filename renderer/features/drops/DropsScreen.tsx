// Manager screen for drops: every drop with its progress, create or edit one at the ledger, and set manual allotments per till.
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import {
  type SplitReason,
  splitReasonSchema,
  type TillShare,
  tillShareSchema,
} from '../../../shared/allotment-split';
import { type Drop, dropPhase } from '../../../shared/drops';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { managerCall } from '../../sync/manager-session';
import { StallSignButton } from '../public-links/StallSign';
import { AllotmentsPanel, TillSplit } from './AllotmentsPanel';
import { DropEditor } from './DropEditor';
import { type DropForm, dropToForm, newDropForm } from './drop-form';
import { itemStatus, storeTime } from './drop-till';
import { useDropData, useNow } from './useDropData';
import './drops.css';

const progressSchema = z.object({
  sku: z.string(),
  quantity: z.number(),
  sold: z.number(),
  allotted: z.number(),
  pool: z.number(),
});
const ledgerDropsSchema = z.object({
  drops: z.array(
    z
      .object({
        id: z.string(),
        progress: z.array(progressSchema),
        // A ledger from before per-till splits does not send these.
        tills: z.array(tillShareSchema).default([]),
        split: splitReasonSchema.nullable().default(null),
      })
      .loose(),
  ),
});
export type LedgerProgress = z.infer<typeof progressSchema>;
interface LedgerDrop {
  progress: LedgerProgress[];
  tills: TillShare[];
  split: SplitReason | null;
}

export function DropsScreen() {
  const data = useDropData();
  const store = useStoreSettings();
  const now = useNow(10_000);
  const [editing, setEditing] = useState<{ form: DropForm; isNew: boolean } | null>(null);
  const [allotting, setAllotting] = useState<Drop | null>(null);
  const [ledger, setLedger] = useState<Map<string, LedgerDrop> | null>(null);
  const [ledgerError, setLedgerError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    if (!store) return;
    const res = await managerCall(
      posDb,
      `/api/v1/stores/${encodeURIComponent(store.storeId)}/drops`,
      { schema: ledgerDropsSchema },
    );
    if (!res.ok) {
      setLedgerError(
        `${res.message} Creating or changing a drop needs the ledger; figures below are as of the last sync.`,
      );
      return;
    }
    setLedgerError(null);
    setLedger(new Map(res.value.drops.map((d) => [d.id, d])));
  }, [store]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (!data || !store) return null;
  const timeZone = store.timeZone;
  const done = () => {
    setEditing(null);
    setAllotting(null);
    void refresh();
  };
  if (editing) {
    return (
      <div className="drops-screen">
        <DropEditor
          initial={editing.form}
          isNew={editing.isNew}
          storeId={store.storeId}
          timeZone={timeZone}
          currency={store.currency}
          onDone={done}
        />
      </div>
    );
  }
  const drops = [...data.drops].sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return (
    <div className="drops-screen">
      <div className="row">
        <h2>Drops</h2>
        <button
          type="button"
          className="btn btn-primary"
          disabled={ledgerError !== null}
          onClick={() => setEditing({ form: newDropForm(now, timeZone), isNew: true })}
        >
          New drop
        </button>
        <StallSignButton storeId={store.storeId} storeName={store.name} />
      </div>
      {ledgerError && (
        <p className="banner" role="status">
          {ledgerError}
        </p>
      )}
      {drops.length === 0 && <p className="muted">No drops yet.</p>}
      {drops.map((drop) => (
        <section key={drop.id} className="panel stack" aria-label={drop.name}>
          <div className="row">
            <h3>{drop.name}</h3>
            <span className="badge">{dropPhase(drop, now)}</span>
            <span className="muted">
              {storeTime(drop.startsAt, timeZone, now)} – {storeTime(drop.endsAt, timeZone, now)} ·
              {drop.perCustomerLimit === null ? 'no limit' : `limit ${drop.perCustomerLimit}`} per
              customer · allotments {drop.allotments}
            </span>
          </div>
          <table className="drops-table">
            <thead>
              <tr>
                <th>Item</th>
                <th>Units</th>
                <th>Sold</th>
                <th>Here</th>
                <th>Allotted / pool (ledger)</th>
              </tr>
            </thead>
            <tbody>
              {drop.items.map((item) => {
                const s = itemStatus(data, drop, item, [], now);
                const p = ledger?.get(drop.id)?.progress.find((x) => x.sku === item.sku);
                return (
                  <tr key={item.sku}>
                    <td>
                      {s.name} <span className="muted">{item.sku}</span>
                    </td>
                    <td>{item.quantity}</td>
                    <td>{p ? p.sold : item.quantity - s.overall}</td>
                    <td>{s.here}</td>
                    <td>{p ? `${p.allotted} / ${p.pool}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <TillSplit
            drop={drop}
            tills={ledger?.get(drop.id)?.tills ?? []}
            split={ledger?.get(drop.id)?.split ?? null}
            names={data.products}
            time={(iso) => storeTime(iso, timeZone, now)}
          />
          <div className="row">
            <button
              type="button"
              className="btn"
              disabled={ledgerError !== null}
              onClick={() => setEditing({ form: dropToForm(drop, timeZone), isNew: false })}
            >
              Edit
            </button>
            {drop.allotments === 'manual' && (
              <button
                type="button"
                className="btn"
                disabled={ledgerError !== null}
                onClick={() => setAllotting(allotting?.id === drop.id ? null : drop)}
              >
                Allotments per till
              </button>
            )}
          </div>
          {allotting?.id === drop.id && (
            <AllotmentsPanel
              drop={drop}
              storeId={store.storeId}
              names={data.products}
              onDone={done}
            />
          )}
        </section>
      ))}
    </div>
  );
}
