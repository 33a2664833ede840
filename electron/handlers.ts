// Owns what the Electron shell does for each bridge call (app info, full screen) and the window events it reports.
import { app, BrowserWindow } from 'electron';
import type { PosBridge } from '../shared/bridge';
import { sendEvent } from './ipc';

// macOS animates into full screen, so the new state is only true once this event has fired.
const FULLSCREEN_SETTLE_MS = 1500;

/** The bridge as Electron implements it. `mainWindow` is the fallback when no PopTill window has focus. */
export function createHandlers(mainWindow: () => BrowserWindow | null): PosBridge {
  return {
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
  };
}

/** Tells the renderer whenever the window enters or leaves full screen, whoever caused it (F11, menu, bridge). */
export function reportFullscreenChanges(win: BrowserWindow): void {
  win.on('enter-full-screen', () => sendEvent(win, 'window-fullscreen-changed', true));
  win.on('leave-full-screen', () => sendEvent(win, 'window-fullscreen-changed', false));
}
