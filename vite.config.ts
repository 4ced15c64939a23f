// Vite config for the renderer only. The Node side is compiled by tsc and the preload is bundled
// by build/build.mjs; see that file for why.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  // Relative asset URLs: the page is loaded from file:// inside Electron and over HTTP from
  // whatever path the headless host serves it at.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Chromium inside Electron 45 and current browsers.
    target: 'es2022',
    sourcemap: true,
  },
});
