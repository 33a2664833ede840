// Manager screen: end of day, drop KPIs and the exceptions inbox (issue 8).
import { useState } from 'react';
import { useManagerLedger } from '../../sync/manager-session';
import { DropKpisPanel } from './DropKpisPanel';
import { EndOfDayPanel } from './EndOfDayPanel';
import { ExceptionsPanel } from './ExceptionsPanel';
import './manager.css';

const VIEWS = [
  { id: 'day', label: 'End of day' },
  { id: 'drops', label: 'Drop KPIs' },
  { id: 'exceptions', label: 'Exceptions' },
] as const;
type View = (typeof VIEWS)[number]['id'];

export function ManagerScreen() {
  const [view, setView] = useState<View>('day');
  const signedIn = useManagerLedger((s) => s.name);
  return (
    <div className="manager">
      <header className="row manager-head">
        <h2>Reports</h2>
        <div className="row" role="tablist" aria-label="Reports">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={view === v.id}
              className={view === v.id ? 'tab tab-on' : 'tab'}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
        <span className="muted">
          {signedIn ? `Ledger: signed in as ${signedIn}` : 'Not signed in to the ledger'}
        </span>
      </header>
      {view === 'day' && <EndOfDayPanel />}
      {view === 'drops' && <DropKpisPanel />}
      {view === 'exceptions' && <ExceptionsPanel />}
    </div>
  );
}
