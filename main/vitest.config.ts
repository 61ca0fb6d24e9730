import { defineConfig } from 'vitest/config';

// The `main` project: services and the Electron layer (against a fake `electron` module), in Node.
// The tests that need the real OS keychain live in vitest.keychain.config.ts (`npm run test:keychain`).
export default defineConfig({
  test: {
    name: 'main',
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.keychain.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
