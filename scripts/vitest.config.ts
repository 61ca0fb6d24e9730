import { defineConfig } from 'vitest/config';

// The `scripts` project: the development and CI tools under scripts/ (the dev stack included),
// run as people run them.
export default defineConfig({
  test: {
    name: 'scripts',
    include: ['test/**/*.test.ts', 'dev-stack/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
