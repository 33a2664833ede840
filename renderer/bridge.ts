// window.pos from the Electron preload, or the same contract implemented for browser mode (printing via the local device host).
import type { AppInfo, PosApi, PosBridge, PosEvents } from '../shared/bridge';

declare global {
  interface Window {
    pos?: PosApi;
  }
}

const listeners = new Map<keyof PosEvents, Set<(payload: never) => void>>();

function emit<E extends keyof PosEvents>(event: E, payload: PosEvents[E]) {
  for (const l of listeners.get(event) ?? []) (l as (p: PosEvents[E]) => void)(payload);
}

/** A bridge call that failed for a reason the host named (bad-arguments, job-not-found, no-device-host…). */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

type DeviceHost = { url: string; token: string };
const DEVICE_HOST_KEY = 'poptill.device-host';
const NO_DEVICE_HOST =
  'Printing is not available in this tab: open PopTill at the address `npm start` printed (it ends in #device-host=…&token=…), then print again.';

/**
 * `npm start` opens the app as `/#device-host=URL&token=…`: read that once, keep it for this
 * tab in sessionStorage, and take it out of the address bar so the token is not bookmarked or shared.
 */
function findDeviceHost(): DeviceHost | null {
  // Not in a page (a worker, or unit tests in Node): no address bar, no device host.
  if (typeof location === 'undefined' || typeof sessionStorage === 'undefined') return null;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const url = fragment.get('device-host');
  const token = fragment.get('token');
  if (url && token) {
    sessionStorage.setItem(DEVICE_HOST_KEY, JSON.stringify({ url, token }));
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
  }
  try {
    const stored = JSON.parse(sessionStorage.getItem(DEVICE_HOST_KEY) ?? 'null');
    return typeof stored?.url === 'string' && typeof stored?.token === 'string' ? stored : null;
  } catch {
    return null;
  }
}

// Only browser mode reads (and strips) the fragment; Electron has window.pos already.
const deviceHost = window.pos ? null : findDeviceHost();

async function hostCall<C extends keyof PosBridge>(
  channel: C,
  ...args: Parameters<PosBridge[C]>
): Promise<Awaited<ReturnType<PosBridge[C]>>> {
  if (!deviceHost) throw new BridgeError('no-device-host', NO_DEVICE_HOST);
  let res: Response;
  try {
    res = await fetch(`${deviceHost.url}/bridge/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceHost.token}` },
      // JSON drops trailing undefined (e.g. print-retry without a printer) as the schema expects.
      body: JSON.stringify(args.filter((a, i) => a !== undefined || i < args.length - 1)),
    });
  } catch {
    throw new BridgeError(
      'no-device-host',
      `The device host at ${deviceHost.url} is not answering: start PopTill with npm start to print in browser mode`,
    );
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const error = body?.error;
    throw new BridgeError(
      typeof error?.code === 'string' ? error.code : `http-${res.status}`,
      typeof error?.message === 'string' ? error.message : `The device host answered ${res.status}`,
    );
  }
  return body;
}

/** One EventSource for job changes, open while anyone listens; it reconnects by itself. */
let jobEvents: EventSource | null = null;
function watchJobs(on: boolean) {
  if (!deviceHost) return;
  if (on && !jobEvents) {
    jobEvents = new EventSource(
      `${deviceHost.url}/events?token=${encodeURIComponent(deviceHost.token)}`,
    );
    jobEvents.addEventListener('print-job-changed', (e) =>
      emit('print-job-changed', JSON.parse((e as MessageEvent<string>).data)),
    );
  } else if (!on && jobEvents) {
    jobEvents.close();
    jobEvents = null;
  }
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
  'secret-store-info': async () => ({
    encrypted: false,
    store: "this browser's IndexedDB, unencrypted (browser mode has no keychain)",
  }),
  // The page's CSP is fixed when it loads (index.html): see docs/content-security-policy.md.
  'ledger-set': async () => {},
  'hubs-find': () => hostCall('hubs-find'),
  'printers-list': () => hostCall('printers-list'),
  'printers-save': (printer) => hostCall('printers-save', printer),
  'printers-remove': (printerId) => hostCall('printers-remove', printerId),
  'printers-discover': () => hostCall('printers-discover'),
  'printers-test': (printerId) => hostCall('printers-test', printerId),
  'print-receipt': (request) => hostCall('print-receipt', request),
  'print-labels': (request) => hostCall('print-labels', request),
  'print-report': (request) => hostCall('print-report', request),
  'print-jobs': () => hostCall('print-jobs'),
  'print-retry': (jobId, printerId) => hostCall('print-retry', jobId, printerId),
  'print-cancel': (jobId) => hostCall('print-cancel', jobId),
  on(event, listener) {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    listeners.set(event, set);
    if (event === 'print-job-changed') watchJobs(true);
    return () => {
      set.delete(listener as (payload: never) => void);
      if (event === 'print-job-changed' && set.size === 0) watchJobs(false);
    };
  },
};

export const pos: PosApi = window.pos ?? browserBridge;
