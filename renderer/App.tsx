// The app frame: top bar with who/where/sync state, the screen for the current step, and the toast line.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { getSetting } from './db/db';
import { useCurrentShift, useDevice, useStoreSettings } from './db/hooks';
import { posDb } from './db/instance';
import { DropsScreen } from './features/drops/DropsScreen';
import { HistoryScreen } from './features/history/HistoryScreen';
import { LoginScreen } from './features/login/LoginScreen';
import { ManagerScreen } from './features/manager/ManagerScreen';
import { PayScreen } from './features/pay/PayScreen';
import { LabelsButton } from './features/printing/LabelsButton';
import { PrintingButton } from './features/printing/PrintingButton';
import { followPrintQueue } from './features/printing/print-queue';
import { PromosScreen } from './features/promos/PromosScreen';
import { ReceiptScreen } from './features/receipt/ReceiptScreen';
import { ReturnsScreen } from './features/returns/ReturnsScreen';
import { SellScreen } from './features/sell/SellScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { SetupScreen } from './features/setup/SetupScreen';
import { ShiftScreen } from './features/shift/ShiftScreen';
import { useCart } from './state/cart';
import { type Screen, useSession } from './state/session';
import { SyncPill } from './sync/SyncPill';
import { useSyncEngine, useSyncStatus } from './sync/useSync';
import { ToastLine } from './ui/Toast';

const NAV: { screen: Screen; label: string; managerOnly?: boolean }[] = [
  { screen: 'sell', label: 'Sell' },
  { screen: 'history', label: 'History' },
  { screen: 'returns', label: 'Returns' },
  { screen: 'shift', label: 'Shift' },
  { screen: 'drops', label: 'Drops', managerOnly: true },
  { screen: 'promos', label: 'Promos', managerOnly: true },
  { screen: 'manager', label: 'Reports', managerOnly: true },
  { screen: 'settings', label: 'Settings', managerOnly: true },
];

/**
 * Each screen's level-one heading, for screen readers and page outlines; visually hidden where
 * the tab bar already says where you are. Screens that draw their own h1 are left out (null).
 */
const HEADINGS: Record<Screen, string | null> = {
  login: null,
  sell: 'Sell',
  pay: null,
  receipt: 'Receipt',
  history: null,
  returns: null,
  shift: 'Shift',
  settings: 'Settings',
  drops: 'Drops',
  promos: 'Promos',
  manager: 'Reports',
};

function TopBar() {
  const staff = useSession((s) => s.staff);
  const screen = useSession((s) => s.screen);
  const { go, logout } = useSession.getState();
  const store = useStoreSettings();
  const device = useDevice();
  const shift = useCurrentShift();
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
        {(staff?.role === 'manager' || staff?.role === 'lead') && <LabelsButton />}
      </nav>
      <span className="status">
        <span className="device-name">{device?.name}</span>
        <SyncPill />
        <PrintingButton />
      </span>
      <span className="who">
        {staff?.name}
        <span className="who-shift"> · {shift ? 'shift open' : 'no shift'}</span>
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

/** The ledger refused this till's token: say so on every screen until a manager enrols it again. */
function ReEnrolBanner() {
  const status = useSyncStatus();
  if (!status?.needsEnrolment) return null;
  return (
    <p className="banner banner-bad" role="alert">
      The ledger no longer accepts this till, so its sales stay here. A manager must enrol it again:
      Settings → Reset this till (export unsynced sales first), then connect with a new pairing
      code.
    </p>
  );
}

export function App() {
  const screen = useSession((s) => s.screen);
  const visit = useSession((s) => s.visit);
  const staff = useSession((s) => s.staff);
  const logout = useSession((s) => s.logout);
  const mode = useLiveQuery(async () => (await getSetting(posDb, 'mode')) ?? null, []);
  const device = useDevice();
  useSyncEngine(mode ?? undefined, device?.deviceId);
  useEffect(followPrintQueue, []);

  if (mode === undefined) return null;
  if (mode === null) {
    return (
      <div className="app">
        <SetupScreen onDone={logout} />
        <ToastLine />
      </div>
    );
  }
  return (
    <div className="app">
      {staff && screen !== 'login' ? (
        <>
          <TopBar />
          <ReEnrolBanner />
          <main className="screen">
            {HEADINGS[screen] && <h1 className="sr-only">{HEADINGS[screen]}</h1>}
            {screen === 'sell' && <SellScreen />}
            {screen === 'pay' && <PayScreen />}
            {screen === 'receipt' && <ReceiptScreen />}
            {screen === 'history' && <HistoryScreen />}
            {/* Choosing Returns again (or another sale in History) starts a new return. */}
            {screen === 'returns' && <ReturnsScreen key={visit} />}
            {screen === 'shift' && <ShiftScreen />}
            {screen === 'settings' && staff.role === 'manager' && <SettingsScreen />}
            {screen === 'drops' && staff.role === 'manager' && <DropsScreen />}
            {screen === 'promos' && staff.role === 'manager' && <PromosScreen />}
            {screen === 'manager' && staff.role === 'manager' && <ManagerScreen />}
          </main>
        </>
      ) : (
        <LoginScreen />
      )}
      <ToastLine />
    </div>
  );
}
