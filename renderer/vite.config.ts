import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// The production renderer bundle. Main serves `out/renderer` from its custom protocol under a CSP of
// `script-src 'self'`, so the build must not emit inline scripts, and `base: './'` keeps every asset
// URL relative to index.html.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    // An inlined asset becomes a data: URL, which the CSP does not allow for scripts or fonts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
