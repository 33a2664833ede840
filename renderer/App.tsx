// The app frame: top bar with who/where/sync state, the screen for the current step, and the toast line.
import { useEffect, useState } from 'react';
import { useCurrentShift, useDevice, useStoreSettings, useUnsyncedCount } from './db/hooks';
import { HistoryScreen } from './features/history/HistoryScreen';
import { LoginScreen } from './features/login/LoginScreen';
import { PayScreen } from './features/pay/PayScreen';
import { ReceiptScreen } from './features/receipt/ReceiptScreen';
import { SellScreen } from './features/sell/SellScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { ShiftScreen } from './features/shift/ShiftScreen';
import { useCart } from './state/cart';
import { type Screen, useSession } from './state/session';
import { ToastLine } from './ui/Toast';

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

const NAV: { screen: Screen; label: string; managerOnly?: boolean }[] = [
  { screen: 'sell', label: 'Sell' },
  { screen: 'history', label: 'History' },
  { screen: 'shift', label: 'Shift' },
  { screen: 'settings', label: 'Settings', managerOnly: true },
];

function TopBar() {
  const staff = useSession((s) => s.staff);
  const screen = useSession((s) => s.screen);
  const { go, logout } = useSession.getState();
  const store = useStoreSettings();
  const device = useDevice();
  const shift = useCurrentShift();
  const unsynced = useUnsyncedCount();
  const online = useOnline();
  const cartHasItems = useCart((s) => s.lines.length > 0);
  return (
    <header className="topbar">
      <span className="brand">{store?.name ?? 'PopTill'}</span>
      <nav aria-label="Screens">
        {NAV.filter((n) => !n.managerOnly || staff?.role === 'manager').map((n) => (
          <button
            key={n.screen}
            type="button"
            className={screen === n.screen ? 'tab tab-on' : 'tab'}
            aria-current={screen === n.screen ? 'page' : undefined}
            onClick={() => go(n.screen, null)}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <span className="status" data-testid="sync-status">
        {online ? 'Online' : 'Offline'} · {device?.name} ·{' '}
        {unsynced === undefined
          ? '…'
          : `${unsynced} ${unsynced === 1 ? 'record' : 'records'} not yet synced`}
      </span>
      <span className="who">
        {staff?.name} ({staff?.role}) · {shift ? 'shift open' : 'no shift'}
      </span>
      <button
        type="button"
        className="btn btn-small"
        title={cartHasItems ? 'The cart is kept while the till is locked' : undefined}
        onClick={logout}
      >
        Lock
      </button>
    </header>
  );
}

export function App() {
  const screen = useSession((s) => s.screen);
  const staff = useSession((s) => s.staff);
  return (
    <div className="app">
      {staff && screen !== 'login' ? (
        <>
          <TopBar />
          <main className="screen">
            {screen === 'sell' && <SellScreen />}
            {screen === 'pay' && <PayScreen />}
            {screen === 'receipt' && <ReceiptScreen />}
            {screen === 'history' && <HistoryScreen />}
            {screen === 'shift' && <ShiftScreen />}
            {screen === 'settings' && staff.role === 'manager' && <SettingsScreen />}
          </main>
        </>
      ) : (
        <LoginScreen />
      )}
      <ToastLine />
    </div>
  );
}
