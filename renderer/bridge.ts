// window.pos from the Electron preload, or the same contract implemented for browser mode.
import type { AppInfo, PosApi, PosEvents } from '../shared/bridge';

declare global {
  interface Window {
    pos?: PosApi;
  }
}

const listeners = new Map<keyof PosEvents, Set<(payload: never) => void>>();

function emit<E extends keyof PosEvents>(event: E, payload: PosEvents[E]) {
  for (const l of listeners.get(event) ?? []) (l as (p: PosEvents[E]) => void)(payload);
}

const browserBridge: PosApi = {
  'app-info': async (): Promise<AppInfo> => ({
    name: 'PopTill',
    version: import.meta.env.VITE_APP_VERSION ?? 'dev',
    shell: 'browser',
    platform: navigator.platform,
  }),
  'window-set-fullscreen': async (on) => {
    if (on && !document.fullscreenElement) await document.documentElement.requestFullscreen();
    if (!on && document.fullscreenElement) await document.exitFullscreen();
    const state = document.fullscreenElement !== null;
    emit('window-fullscreen-changed', state);
    return state;
  },
  // Browser mode has no OS keychain: the device token lives in IndexedDB (settings 'ledger').
  'secret-get': async () => null,
  'secret-set': async () => {},
  on(event, listener) {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  },
};

export const pos: PosApi = window.pos ?? browserBridge;
