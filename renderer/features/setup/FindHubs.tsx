// The set-up screen's "Find a stall hub on this network": lists hubs that answered and fills the ledger address on a tap.
import { useState } from 'react';
import type { FoundHub } from '../../../shared/hub-discovery';
import { findStallHubs, type HubSearch } from './find-hubs';

export function FindHubs({ onPick }: { onPick: (url: string) => void }) {
  const [searching, setSearching] = useState(false);
  const [result, setResult] = useState<HubSearch | null>(null);

  const search = async () => {
    setSearching(true);
    setResult(null);
    setResult(await findStallHubs());
    setSearching(false);
  };

  return (
    <section className="stack" aria-label="Stall hubs on this network">
      <button type="button" className="btn" disabled={searching} onClick={() => void search()}>
        {searching ? 'Looking for stall hubs…' : 'Find a stall hub on this network'}
      </button>
      {result && !result.ok && <p role="status">{result.message}</p>}
      {result?.ok && result.hubs.length === 0 && (
        <p role="status">
          No stall hub answered on this network. Check the hub laptop is on and on the same Wi-Fi,
          or type its address.
        </p>
      )}
      {result?.ok && result.hubs.length > 0 && (
        <ul className="stack">
          {result.hubs.map((hub: FoundHub) => (
            <li key={hub.url}>
              <button type="button" className="btn" onClick={() => onPick(hub.url)}>
                Use {hub.name} — store {hub.storeId} at {hub.url}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
