// Electron entry point: wires the till window, its security settings and the bridge handlers together.
import path from 'node:path';
import { app, BrowserWindow, ipcMain, safeStorage, session } from 'electron';
import {
  createHandlers,
  ledgerTrustFile,
  printingDataDir,
  reportFullscreenChanges,
  reportPrintJobChanges,
  secretsDir,
} from './handlers';
import { type AppLocation, isAppUrl, registerHandlers } from './ipc';
import { LedgerTrust } from './ledger-trust';
import { PrintService } from './printing/print-service';
import { SecretStore } from './secrets';

// Bundled to dist-electron/*.cjs, so __dirname is dist-electron/ and the renderer build sits beside it.
const location: AppLocation = {
  indexFile: path.join(__dirname, '../dist/renderer/index.html'),
  devUrl: process.env.POPTILL_DEV_URL || undefined,
};

let mainWindow: BrowserWindow | null = null;

/** Every response gets the CSP of the moment: connect-src is the enrolled ledger only (see csp.ts). */
function lockDownSession(ledger: LedgerTrust): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [ledger.policy()],
      },
    });
  });
  // A till needs no camera, notifications or geolocation; grant nothing so a bad page can ask for nothing.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    console.warn(`PopTill denied a "${permission}" permission request.`);
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'PopTill',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  reportFullscreenChanges(win);
  if (location.devUrl) void win.loadURL(location.devUrl);
  else void win.loadFile(location.indexFile);
  return win;
}

// Applies to every web contents, including any a future feature creates, not just the main window.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, location)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

// Two tills on one laptop would share (and fight over) one IndexedDB, so a second launch focuses the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // A till has one window; closing it ends the session on every platform, macOS included.
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(async () => {
    const ledger = await LedgerTrust.open(ledgerTrustFile());
    lockDownSession(ledger);
    const printing = await PrintService.open({
      dataDir: printingDataDir(),
      receiptLogoFile: path.join(__dirname, '../assets/receipt-logo.png'),
    });
    app.once('will-quit', () => void printing.close());
    reportPrintJobChanges(printing, () => mainWindow);
    registerHandlers(
      ipcMain,
      createHandlers(
        () => mainWindow,
        printing,
        new SecretStore(secretsDir(), safeStorage, process.platform),
        ledger,
      ),
      (url) => isAppUrl(url, location),
    );
    mainWindow = createWindow();
  });
}
