// Builds the POS renderer (renderer/ → dist/renderer) for Electron (file://) and browser mode.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    // POPTILL_DIST lets parallel work build and test its own copy without clobbering dist/.
    outDir: process.env.POPTILL_DIST ?? fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    // The till loads from disk (Electron) or from localhost, never over a slow link; bwip-js
    // (receipt QR preview) is its own lazily loaded chunk.
    chunkSizeWarningLimit: 1_000,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 5173 },
});
