// Allotments on the Drops screen: how each till's share came about (allotted, sold, left, and why), and manual allotments set by a manager at the ledger.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { explainSplit, type SplitReason, type TillShare } from '../../../shared/allotment-split';
import type { Drop } from '../../../shared/drops';
import type { DropData } from '../../db/drops-repo';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { managerCall } from '../../sync/manager-session';

const devicesSchema = z.object({
  devices: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() }).loose()),
});

interface Props {
  drop: Drop;
  storeId: string;
  names: DropData['products'];
  onDone: () => void;
}

export function AllotmentsPanel({ drop, storeId, names, onDone }: Props) {
  const notify = useSession((s) => s.notify);
  const [devices, setDevices] = useState<{ id: string; name: string }[] | null>(null);
  const [qty, setQty] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const key = (deviceId: string, sku: string) => `${deviceId}|${sku}`;

  useEffect(() => {
    void managerCall(posDb, `/api/v1/stores/${encodeURIComponent(storeId)}/devices`, {
      schema: devicesSchema,
    }).then((res) => {
      if (!res.ok) return setError(res.message);
      setDevices(res.value.devices.filter((d) => d.status === 'active'));
    });
  }, [storeId]);

  const save = async () => {
    const allotments = (devices ?? []).flatMap((d) =>
      drop.items.map((i) => ({
        deviceId: d.id,
        sku: i.sku,
        qty: Number(qty[key(d.id, i.sku)] ?? '0'),
      })),
    );
    if (allotments.some((a) => !Number.isInteger(a.qty) || a.qty < 0)) {
      return setError('Units are whole numbers, 0 or more.');
    }
    const res = await managerCall(
      posDb,
      `/api/v1/stores/${encodeURIComponent(storeId)}/drops/${encodeURIComponent(drop.id)}/allotments`,
      { method: 'PUT', body: { allotments }, schema: z.unknown() },
    );
    if (!res.ok) return setError(res.message);
    notify(`Allotments for ${drop.name} saved. Tills get them at their next sync.`);
    onDone();
  };

  if (!devices) return <p className="muted">{error ?? 'Asking the ledger for the tills…'}</p>;
  return (
    <form
      className="stack"
      aria-label="Allotments per till"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <table className="drops-table">
        <thead>
          <tr>
            <th>Till</th>
            {drop.items.map((i) => (
              <th key={i.sku}>{names.get(i.sku)?.name ?? i.sku}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              {drop.items.map((i) => (
                <td key={i.sku}>
                  <input
                    aria-label={`${d.name} ${i.sku}`}
                    inputMode="numeric"
                    value={qty[key(d.id, i.sku)] ?? ''}
                    placeholder="0"
                    onChange={(e) => setQty({ ...qty, [key(d.id, i.sku)]: e.target.value })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary">
        Set allotments
      </button>
    </form>
  );
}

interface SplitProps {
  drop: Drop;
  tills: readonly TillShare[];
  split: SplitReason | null;
  names: DropData['products'];
  /** The instant on the store's clock ("14:02", or with the day when not today). */
  time: (iso: string) => string;
}

/** Per till and item, as the ledger has it: handed to the till, sold there, left there; and why. */
export function TillSplit({ drop, tills, split, names, time }: SplitProps) {
  if (tills.length === 0 && !split) return null;
  return (
    <section className="stack till-split" aria-label={`How ${drop.name} is split`}>
      {split && (
        <p className="muted" data-testid="split-why">
          {explainSplit(split, time)}
        </p>
      )}
      {tills.length > 0 && (
        <table className="drops-table">
          <thead>
            <tr>
              <th>Till</th>
              <th>Item</th>
              <th>Allotted</th>
              <th>Sold</th>
              <th>Left</th>
            </tr>
          </thead>
          <tbody>
            {tills.map((t) => (
              <tr key={`${t.deviceId}|${t.sku}`} data-testid="till-share">
                <td>{t.name}</td>
                <td>{names.get(t.sku)?.name ?? t.sku}</td>
                <td>{t.allotted}</td>
                <td>{t.sold}</td>
                <td>{t.left}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
