// Manual allotments: how many units of each drop item each till holds, set by a manager at the ledger.
import { useEffect, useState } from 'react';
import { z } from 'zod';
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
