// Tests the bridge registration rules: one handler per channel, only PopTill's page may call, bad args never arrive.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PosBridge } from '../shared/bridge';
import { type InvokeEventLike, type IpcMainLike, isAppUrl, registerHandlers } from './ipc';
import { printHandlers } from './printing/print-bridge';
import { PrintService } from './printing/print-service';

const indexFile = path.resolve('/opt/poptill/dist/renderer/index.html');
const appPageUrl = `${pathToFileURL(indexFile).href}#/sell`;
const isTrusted = (url: string) => isAppUrl(url, { indexFile });

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** Stands in for Electron's ipcMain: keeps the listeners so a test can invoke them like a renderer would. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      listeners.set(channel, listener);
    },
  };
  const invoke = async (channel: string, args: unknown[], fromUrl = appPageUrl) => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`No handler for ${channel}`);
    return listener({ senderFrame: { url: fromUrl } }, ...args);
  };
  return { ipcMain, invoke, channels: () => [...listeners.keys()] };
}

/** Handlers that record what they were called with. */
function recordingHandlers() {
  const fullscreenCalls: boolean[] = [];
  const printCalls: string[] = [];
  const ledgerCalls: (string | null)[] = [];
  const noJob = (channel: string) => async (): Promise<never> => {
    printCalls.push(channel);
    throw new Error('no printing in this test');
  };
  const handlers: PosBridge = {
    'app-info': async () => ({
      name: 'poptill',
      version: '0.1.0',
      shell: 'electron',
      platform: 'linux',
    }),
    'window-set-fullscreen': async (on) => {
      fullscreenCalls.push(on);
      return on;
    },
    'secret-get': async () => null,
    'secret-set': async () => {},
    'secret-store-info': async () => ({ encrypted: true, store: 'the OS keychain (kwallet6)' }),
    'ledger-set': async (url) => {
      ledgerCalls.push(url);
    },
    'hubs-find': async () => ({ ok: true, hubs: [], searchedMs: 0 }),
    'printers-list': async () => [],
    'printers-save': async () => [],
    'printers-remove': async () => [],
    'printers-discover': async () => ({ candidates: [], problems: [] }),
    'printers-test': noJob('printers-test'),
    'print-receipt': noJob('print-receipt'),
    'print-labels': noJob('print-labels'),
    'print-report': noJob('print-report'),
    'print-jobs': async () => [],
    'print-retry': noJob('print-retry'),
    'print-cancel': async () => [],
  };
  return { handlers, fullscreenCalls, printCalls, ledgerCalls };
}

describe('registerHandlers', () => {
  it('registers every bridge channel once', () => {
    const fake = fakeIpcMain();
    registerHandlers(fake.ipcMain, recordingHandlers().handlers, isTrusted);
    expect(fake.channels().sort()).toEqual([
      'app-info',
      'hubs-find',
      'ledger-set',
      'print-cancel',
      'print-jobs',
      'print-labels',
      'print-receipt',
      'print-report',
      'print-retry',
      'printers-discover',
      'printers-list',
      'printers-remove',
      'printers-save',
      'printers-test',
      'secret-get',
      'secret-set',
      'secret-store-info',
      'window-set-fullscreen',
    ]);
  });

  it('refuses to register a channel a second time on the same ipcMain', () => {
    const fake = fakeIpcMain();
    registerHandlers(fake.ipcMain, recordingHandlers().handlers, isTrusted);
    expect(() => registerHandlers(fake.ipcMain, recordingHandlers().handlers, isTrusted)).toThrow(
      /"app-info" already has a handler/,
    );
  });

  it('refuses a handler for a channel the bridge contract does not define', () => {
    const fake = fakeIpcMain();
    const handlers = { ...recordingHandlers().handlers, 'drawer-open': async () => true };
    expect(() => registerHandlers(fake.ipcMain, handlers, isTrusted)).toThrow(/"drawer-open"/);
    expect(fake.channels()).toEqual([]);
  });

  it('passes valid arguments through and returns the handler result', async () => {
    const fake = fakeIpcMain();
    const { handlers, fullscreenCalls } = recordingHandlers();
    registerHandlers(fake.ipcMain, handlers, isTrusted);
    await expect(fake.invoke('window-set-fullscreen', [true])).resolves.toBe(true);
    await expect(fake.invoke('app-info', [])).resolves.toMatchObject({ shell: 'electron' });
    expect(fullscreenCalls).toEqual([true]);
  });

  it.each([
    ['a string instead of a boolean', ['yes']],
    ['no argument', []],
    ['an extra argument', [true, 'extra']],
  ])('rejects %s with a clear error and never calls the handler', async (_label, args) => {
    const fake = fakeIpcMain();
    const { handlers, fullscreenCalls } = recordingHandlers();
    registerHandlers(fake.ipcMain, handlers, isTrusted);
    await expect(fake.invoke('window-set-fullscreen', args)).rejects.toThrow(
      /Bad arguments for "window-set-fullscreen"/,
    );
    expect(fullscreenCalls).toEqual([]);
  });

  it('only lets the renderer ask for the secrets it is meant to have', async () => {
    const fake = fakeIpcMain();
    const { handlers } = recordingHandlers();
    registerHandlers(fake.ipcMain, handlers, isTrusted);
    await expect(fake.invoke('secret-get', ['device-token'])).resolves.toBeNull();
    await expect(fake.invoke('secret-get', ['../../etc/passwd'])).rejects.toThrow(
      /Bad arguments for "secret-get"/,
    );
  });

  it('only takes an http(s) ledger address (or none) for the CSP', async () => {
    const fake = fakeIpcMain();
    const { handlers, ledgerCalls } = recordingHandlers();
    registerHandlers(fake.ipcMain, handlers, isTrusted);
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', '*', "http: 'unsafe-eval'"]) {
      await expect(fake.invoke('ledger-set', [bad])).rejects.toThrow(
        /Bad arguments for "ledger-set"/,
      );
    }
    await fake.invoke('ledger-set', ['http://192.168.1.20:4310']);
    await fake.invoke('ledger-set', [null]);
    expect(ledgerCalls).toEqual(['http://192.168.1.20:4310', null]);
  });

  it('never hands a malformed print request or printer to the print queue', async () => {
    const fake = fakeIpcMain();
    const { handlers, printCalls } = recordingHandlers();
    registerHandlers(fake.ipcMain, handlers, isTrusted);
    await expect(fake.invoke('print-receipt', [{ sale: { id: 'x' } }])).rejects.toThrow(
      /Bad arguments for "print-receipt"/,
    );
    const receiptPrinterSpeakingTspl = {
      id: 'p1',
      name: 'Counter',
      kind: 'receipt',
      language: 'tspl',
      address: 'tcp://192.168.1.50:9100',
    };
    await expect(fake.invoke('printers-save', [receiptPrinterSpeakingTspl])).rejects.toThrow(
      /ESC\/POS \(Epson\) or Star/,
    );
    await expect(fake.invoke('print-retry', [''])).rejects.toThrow(/Bad arguments/);
    expect(printCalls).toEqual([]);
  });

  it('refuses printer addresses that would write files (file:/tmp/x, dir:/etc), saving nothing', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-ipc-'));
    const service = await PrintService.open({ dataDir, retryEveryMs: 0 });
    try {
      const fake = fakeIpcMain();
      registerHandlers(
        fake.ipcMain,
        { ...recordingHandlers().handlers, ...printHandlers(service) },
        isTrusted,
      );
      const printer = { id: 'p1', name: 'Counter', kind: 'receipt', language: 'escpos' };
      await expect(
        fake.invoke('printers-save', [{ ...printer, address: 'file:/tmp/x' }]),
      ).rejects.toThrow('/tmp/x is not a printer device');
      await expect(
        fake.invoke('printers-save', [{ ...printer, address: 'dir:/etc' }]),
      ).rejects.toThrow("A virtual printer (dir:) writes only inside PopTill's data folder");
      expect(await fake.invoke('printers-list', [])).toEqual([]);
    } finally {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects calls from a page that is not PopTill', async () => {
    const fake = fakeIpcMain();
    const { handlers, fullscreenCalls } = recordingHandlers();
    registerHandlers(fake.ipcMain, handlers, isTrusted);
    await expect(
      fake.invoke('window-set-fullscreen', [true], 'https://evil.example/'),
    ).rejects.toThrow(/not PopTill/);
    await expect(
      fake.invoke('window-set-fullscreen', [true], pathToFileURL('/tmp/other.html').href),
    ).rejects.toThrow(/not PopTill/);
    expect(fullscreenCalls).toEqual([]);
  });
});

describe('isAppUrl', () => {
  it('accepts the built page with any route and the dev server origin only', () => {
    const devLocation = { indexFile, devUrl: 'http://127.0.0.1:5173/' };
    expect(isAppUrl(appPageUrl, { indexFile })).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5173/#/drops', devLocation)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5174/', devLocation)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', { indexFile })).toBe(false);
    expect(isAppUrl('not a url', { indexFile })).toBe(false);
  });
});
