// Owns the main-process side of the typed bridge: registering handlers, checking callers and args, sending events.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Types only, so this module loads in plain Node (unit tests) without an Electron binary.
import type { BrowserWindow } from 'electron';
import { type BridgeChannel, bridgeArgs, type PosBridge, type PosEvents } from '../shared/bridge';

/** The part of an `ipcMain.handle` event we read; Electron's `IpcMainInvokeEvent` fits it. */
export type InvokeEventLike = { senderFrame: { url: string } | null };

/** The part of Electron's `ipcMain` we use, so tests can pass a small fake. */
export type IpcMainLike = {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
};

export type AppLocation = {
  /** Absolute path of the built dist/renderer/index.html. */
  indexFile: string;
  /** Set when the renderer is served by a dev server instead (POPTILL_DEV_URL). */
  devUrl?: string | undefined;
};

/**
 * True when `url` is PopTill's own page: the built index.html (any hash or query) or the dev server's origin.
 * Used both to trust IPC callers and to allow navigations.
 */
export function isAppUrl(url: string, location: AppLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (location.devUrl && parsed.origin === new URL(location.devUrl).origin) return true;
  if (parsed.protocol !== 'file:') return false;
  // Compare paths, not URL strings: Chromium and Node percent-encode file URLs slightly differently.
  return path.resolve(fileURLToPath(parsed)) === path.resolve(location.indexFile);
}

// Per ipcMain, so a second registerHandlers call cannot silently replace a handler from the first.
const registered = new WeakMap<IpcMainLike, Set<string>>();

/**
 * Registers one handler per bridge channel. Every call is refused unless it comes from PopTill's own page
 * and its arguments match `bridgeArgs[channel]`; handlers only ever see validated arguments.
 */
export function registerHandlers(
  ipcMain: IpcMainLike,
  handlers: PosBridge,
  isTrustedSender: (url: string) => boolean,
): void {
  const channels = registered.get(ipcMain) ?? new Set<string>();
  registered.set(ipcMain, channels);
  for (const channel of Object.keys(handlers)) {
    if (!Object.hasOwn(bridgeArgs, channel)) {
      throw new Error(`Bridge channel "${channel}" has no argument schema in shared/bridge.ts.`);
    }
    if (channels.has(channel)) {
      throw new Error(`Bridge channel "${channel}" already has a handler.`);
    }
  }
  for (const channel of Object.keys(handlers) as BridgeChannel[]) {
    channels.add(channel);
    const handler = handlers[channel] as (...args: unknown[]) => Promise<unknown>;
    ipcMain.handle(channel, async (event, ...args) => {
      const senderUrl = event.senderFrame?.url ?? '';
      if (!isTrustedSender(senderUrl)) {
        throw new Error(
          `Refused "${channel}" from a page that is not PopTill (${senderUrl || 'unknown'}).`,
        );
      }
      const parsed = bridgeArgs[channel].safeParse(args);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => issue.message).join('; ');
        throw new Error(`Bad arguments for "${channel}": ${problems}`);
      }
      return handler(...parsed.data);
    });
  }
}

/** Sends a typed main → renderer event; a window that is already closing is skipped, not an error. */
export function sendEvent<E extends keyof PosEvents>(
  win: BrowserWindow,
  event: E,
  payload: PosEvents[E],
): void {
  if (win.isDestroyed() || win.webContents.isDestroyed()) return;
  win.webContents.send(event, payload);
}
