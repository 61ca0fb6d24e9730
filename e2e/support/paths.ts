import { fileURLToPath } from 'node:url';

/** Paths the end-to-end suite works with, from the repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const e2eRoot = fileURLToPath(new URL('../', import.meta.url));

/** Where the suite builds the real renderer (inside the ignored `out/`, apart from the app's own build). */
export const rendererBuildDir = fileURLToPath(new URL('../../out/e2e/renderer/', import.meta.url));
export const rendererViteConfig = fileURLToPath(
  new URL('../../renderer/vite.config.ts', import.meta.url),
);
/** The real preload's entry point. */
export const preloadEntry = fileURLToPath(new URL('../../preload/src/index.ts', import.meta.url));

/** Screenshots of every step (ignored by git); the key ones are copied to `docs/screenshots/`. */
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const docsScreenshotsDir = fileURLToPath(
  new URL('../../docs/screenshots/', import.meta.url),
);
