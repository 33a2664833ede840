// Builds the Electron shell (electron/main.ts, electron/preload.ts) into CommonJS files under dist-electron/.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const fromRoot = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  // Main and preload are Node-side bundles; nothing from the renderer's public/ belongs next to them.
  publicDir: false,
  build: {
    outDir: fromRoot('./dist-electron'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    lib: {
      entry: {
        main: fromRoot('./electron/main.ts'),
        preload: fromRoot('./electron/preload.ts'),
      },
      // CommonJS because a sandboxed preload cannot be an ES module, and .cjs because package.json says "module".
      formats: ['cjs'],
      fileName: (_format, entryName) => `${entryName}.cjs`,
    },
    rolldownOptions: {
      // serialport loads a native binding from its own package folder: it must stay in node_modules.
      external: ['electron', 'serialport', /^@serialport\//, /^node:/, ...builtinModules],
    },
  },
});
