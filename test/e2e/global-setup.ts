// Serves the built renderer (dist/renderer) with Vite's preview server for the e2e run, and closes it after.
import { existsSync } from 'node:fs';
import { preview } from 'vite';

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync('dist/renderer/index.html')) {
    throw new Error('dist/renderer is missing: run `npm run build` before the e2e tests.');
  }
  const server = await preview({
    configFile: 'vite.config.ts',
    preview: { host: '127.0.0.1', port: 4173, strictPort: true },
    logLevel: 'warn',
  });
  return async () => {
    await server.close();
  };
}
