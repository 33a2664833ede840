// The bench's till in a browser: the built renderer served by Vite's preview and Chromium on an on-disk profile.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

/** Debian's Chromium as the probe ran it here: no background traffic on this closed network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Serve dist/renderer on a free port and open it in Chromium with the profile folder given.
 * An on-disk profile, like a till's: an incognito context keeps IndexedDB in memory, so
 * strict-durability commits would never reach the disk. Close `context` then `server`.
 */
export async function openTillBrowser(profile) {
  const server = await preview({
    configFile: 'vite.config.ts',
    preview: { host: '127.0.0.1', port: 0 },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('the preview server reported no local address');
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  return { server, context, page, url };
}
