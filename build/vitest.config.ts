import { defineConfig } from 'vitest/config';

// The `distribution` project: installer configuration, icons, IT templates, managed policy readers
// (main/src/policy) and the update service (main/src/updates).
export default defineConfig({
  test: {
    name: 'distribution',
    // Tests of main/src/policy and main/src/updates live here too, type-checked by build/tsconfig.
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
