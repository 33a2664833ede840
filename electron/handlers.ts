// Owns what the Electron shell does for each bridge call (app info, full screen, secrets, printing) and the events it reports.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, safeStorage } from 'electron';
import type { PosBridge } from '../shared/bridge';
import { sendEvent } from './ipc';
import { printHandlers } from './printing/print-bridge';
import type { PrintService } from './printing/print-service';

// macOS animates into full screen, so the new state is only true once this event has fired.
const FULLSCREEN_SETTLE_MS = 1500;

/** The bridge as Electron implements it. `mainWindow` is the fallback when no PopTill window has focus. */
export function createHandlers(
  mainWindow: () => BrowserWindow | null,
  printing: PrintService,
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
    'secret-get': async (name) => {
      const file = secretFile(name);
      if (!existsSync(file)) return null;
      return safeStorage.decryptString(readFileSync(file));
    },
    'secret-set': async (name, value) => {
      const file = secretFile(name);
      if (value === null) return rmSync(file, { force: true });
      // Refuse to write a token in the clear where the OS offers no keychain.
      if (!safeStorage.isEncryptionAvailable())
        throw new Error('The OS keychain is not available to store the device token.');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, safeStorage.encryptString(value), { mode: 0o600 });
    },
  };
}

function secretFile(name: string): string {
  return path.join(app.getPath('userData'), 'secrets', `${name}.bin`);
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
