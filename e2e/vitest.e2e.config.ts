import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Named vitest.e2e.config.ts, not vitest.config.ts, so the root `test:unit` (which picks
// `./*/vitest.config.ts`) does not run it: `npm run test:e2e` does, after everything else.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['selftest/**/*.test.ts', 'journeys/**/*.test.ts', 'electron/**/*.test.ts'],
    environment: 'node',
    // One Chromium, one sandbox and one broker at a time on a 2-core machine.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['./support/global-setup.ts'],
  },
});
