// Owns what the Electron shell does for each bridge call (app info, full screen, secrets, the enrolled ledger, printing) and the events it reports.
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import type { PosBridge } from '../shared/bridge';
import { findHubs } from './hub-finder';
import { sendEvent } from './ipc';
import type { LedgerTrust } from './ledger-trust';
import { printHandlers } from './printing/print-bridge';
import type { PrintService } from './printing/print-service';
import type { SecretStore } from './secrets';

// macOS animates into full screen, so the new state is only true once this event has fired.
const FULLSCREEN_SETTLE_MS = 1500;

/** The bridge as Electron implements it. `mainWindow` is the fallback when no PopTill window has focus. */
export function createHandlers(
  mainWindow: () => BrowserWindow | null,
  printing: PrintService,
  secrets: SecretStore,
  ledger: LedgerTrust,
): PosBridge {
  return {
    ...printHandlers(printing),
    'app-info': async () => ({
      name: app.getName(),
      version: app.getVersion(),
      shell: 'electron',
      platform: process.platform,
    }),
    'window-set-fullscreen': async (on) => {
      const win = BrowserWindow.getFocusedWindow() ?? mainWindow();
      if (!win) throw new Error('There is no PopTill window to change.');
      if (win.isFullScreen() !== on) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, FULLSCREEN_SETTLE_MS);
          const settled = () => {
            clearTimeout(timer);
            resolve();
          };
          if (on) win.once('enter-full-screen', settled);
          else win.once('leave-full-screen', settled);
          win.setFullScreen(on);
        });
      }
      return win.isFullScreen();
    },
    'secret-get': (name) => secrets.get(name),
    'secret-set': (name, value) => secrets.set(name, value),
    'secret-store-info': async () => secrets.info(),
    // Takes effect on the window's next load (the CSP header is per response).
    'ledger-set': (url) => ledger.set(url),
    'hubs-find': () => findHubs(),
  };
}

/** Where Electron keeps the device token and the promo signing key (encrypted). */
export function secretsDir(): string {
  return path.join(app.getPath('userData'), 'secrets');
}

/** Where Electron keeps the enrolled ledger's address (for the CSP). */
export function ledgerTrustFile(): string {
  return path.join(app.getPath('userData'), 'ledger.json');
}

/** Tells the renderer whenever the window enters or leaves full screen, whoever caused it (F11, menu, bridge). */
export function reportFullscreenChanges(win: BrowserWindow): void {
  win.on('enter-full-screen', () => sendEvent(win, 'window-fullscreen-changed', true));
  win.on('leave-full-screen', () => sendEvent(win, 'window-fullscreen-changed', false));
}

/** Forwards every print job change to the till window (queued, printing, done, failed). */
export function reportPrintJobChanges(
  printing: PrintService,
  mainWindow: () => BrowserWindow | null,
): () => void {
  return printing.onJobChanged((job) => {
    const win = mainWindow();
    if (win) sendEvent(win, 'print-job-changed', job);
  });
}

/** Where Electron keeps printers and the print queue. */
export function printingDataDir(): string {
  return path.join(app.getPath('userData'), 'printing');
}
