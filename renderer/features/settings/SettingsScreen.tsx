// Till settings for managers: this till's name and receipt prefix, the store's receipt texts, sync, printers, and loading a catalog file.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { loadCatalog } from '../../db/catalog-repo';
import { getSetting } from '../../db/db';
import { useDevice } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useSession } from '../../state/session';
import { useDates } from '../../ui/dates';
import { PrintersPanel } from '../printing/PrintersPanel';
import { PrintQueuePanel } from '../printing/PrintQueuePanel';
import { SecretsNote } from './SecretsNote';
import { StorePromisesPanel } from './StorePromisesPanel';
import { SyncPanel } from './SyncPanel';

function DeviceForm() {
  const device = useDevice();
  const notify = useSession((s) => s.notify);
  const hasSales = useLiveQuery(async () => (await posDb.sales.count()) > 0, []);
  const linked = useLiveQuery(async () => (await getSetting(posDb, 'mode')) === 'ledger', []);
  const [name, setName] = useState('');
  const [prefix, setPrefix] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (device) {
      setName(device.name);
      setPrefix(device.prefix);
    }
  }, [device]);
  if (!device) return null;
  return (
    <form
      className="stack"
      onSubmit={async (e) => {
        e.preventDefault();
        const p = prefix.trim().toUpperCase();
        if (!name.trim()) return setError('Give the till a name, e.g. “Till 2 – front”.');
        if (!/^[A-Z][A-Z0-9]{0,7}$/.test(p))
          return setError(
            'The receipt prefix is a letter then up to 7 letters or digits, e.g. T2.',
          );
        await posDb.settings.put({
          key: 'device',
          value: { ...device, name: name.trim(), prefix: p },
        });
        setError(null);
        notify('Till settings saved.');
      }}
    >
      <h2>This till</h2>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Receipt prefix
        <input
          value={prefix}
          disabled={hasSales !== false || linked !== false}
          onChange={(e) => setPrefix(e.target.value)}
        />
      </label>
      {linked && (
        <p className="muted">The ledger gave this till its receipt prefix when it was enrolled.</p>
      )}
      {hasSales && !linked && (
        <p className="muted">
          The prefix is fixed once this till has sold something, so receipt numbers stay unique.
        </p>
      )}
      <SecretsNote />
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <button type="submit" className="btn">
        Save
      </button>
    </form>
  );
}

function CatalogImport() {
  const dates = useDates();
  const info = useLiveQuery(() => getSetting(posDb, 'catalog'), []);
  const notify = useSession((s) => s.notify);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onFile = async (file: File) => {
    setError(null);
    setProgress('Reading file…');
    let data: unknown;
    try {
      data = JSON.parse(await file.text());
    } catch {
      setProgress(null);
      return setError(`${file.name} is not a JSON file. Nothing was changed.`);
    }
    const result = await loadCatalog(posDb, data, file.name, (done, total) =>
      setProgress(`Loading products… ${done.toLocaleString()} of ${total.toLocaleString()}`),
    );
    setProgress(null);
    if (!result.ok) return setError(`${result.message}. Nothing was changed.`);
    notify(`Catalog loaded: ${result.productCount.toLocaleString()} products.`);
  };

  return (
    <section className="stack">
      <h2>Catalog</h2>
      <p data-testid="catalog-info">
        {info
          ? `${info.productCount.toLocaleString()} products from ${info.source}, loaded ${dates.dateTime(info.loadedAt)}`
          : '…'}
      </p>
      <label>
        Load a catalog file (JSON)
        <input
          type="file"
          accept="application/json,.json"
          disabled={progress !== null}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void onFile(file);
          }}
        />
      </label>
      {progress && (
        <p role="status" data-testid="catalog-progress">
          {progress}
        </p>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}

export function SettingsScreen() {
  const mode = useLiveQuery(() => getSetting(posDb, 'mode'), []);
  return (
    <div className="settings">
      <DeviceForm />
      <StorePromisesPanel />
      <SyncPanel />
      <PrintersPanel />
      <section className="stack">
        <h2>Print queue</h2>
        <PrintQueuePanel />
      </section>
      {/* With a ledger the catalog comes from it; a file would be overwritten at the next sync. */}
      {mode === 'standalone' && <CatalogImport />}
    </div>
  );
}
