// Serves the built renderer (dist/renderer) with Vite's preview server for the e2e run, and closes it after.
import { existsSync } from 'node:fs';
import { preview } from 'vite';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dist = process.env.POPTILL_DIST ?? 'dist/renderer';
  if (!existsSync(`${dist}/index.html`)) {
    throw new Error(`${dist} is missing: run \`npm run build\` before the e2e tests.`);
  }
  const port = Number(process.env.POPTILL_E2E_PORT ?? 4173);
  const server = await preview({
    configFile: 'vite.config.ts',
    preview: { host: '127.0.0.1', port, strictPort: true },
    logLevel: 'warn',
  });
  return async () => {
    await server.close();
  };
}
