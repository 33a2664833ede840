// Owns window.pos in Electron: the named bridge calls and event subscriptions, and nothing else from Node.
// Sandboxed preloads may require only 'electron', so shared/ is imported for types alone.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { PosApi } from '../shared/bridge';

const api = {
  'app-info': () => ipcRenderer.invoke('app-info'),
  'window-set-fullscreen': (on) => ipcRenderer.invoke('window-set-fullscreen', on),
  'secret-get': (name) => ipcRenderer.invoke('secret-get', name),
  'secret-set': (name, value) => ipcRenderer.invoke('secret-set', name, value),
  'secret-store-info': () => ipcRenderer.invoke('secret-store-info'),
  'ledger-set': (url) => ipcRenderer.invoke('ledger-set', url),
  'hubs-find': () => ipcRenderer.invoke('hubs-find'),
  'printers-list': () => ipcRenderer.invoke('printers-list'),
  'printers-save': (printer) => ipcRenderer.invoke('printers-save', printer),
  'printers-remove': (printerId) => ipcRenderer.invoke('printers-remove', printerId),
  'printers-discover': () => ipcRenderer.invoke('printers-discover'),
  'printers-test': (printerId) => ipcRenderer.invoke('printers-test', printerId),
  'print-receipt': (request) => ipcRenderer.invoke('print-receipt', request),
  'print-labels': (request) => ipcRenderer.invoke('print-labels', request),
  'print-report': (request) => ipcRenderer.invoke('print-report', request),
  'print-jobs': () => ipcRenderer.invoke('print-jobs'),
  'print-retry': (jobId, printerId) => ipcRenderer.invoke('print-retry', jobId, printerId),
  'print-cancel': (jobId) => ipcRenderer.invoke('print-cancel', jobId),
  on(event, listener) {
    // Wrap so the renderer never receives the IpcRendererEvent (it carries a handle back to ipcRenderer).
    const relay = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]) =>
      listener(payload);
    ipcRenderer.on(event, relay);
    return () => {
      ipcRenderer.removeListener(event, relay);
    };
  },
} satisfies PosApi;

contextBridge.exposeInMainWorld('pos', api);
