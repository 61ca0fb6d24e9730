import { defineConfig } from 'vitest/config';

// The `distribution` project: installer configuration, icons, IT templates and what ships. The
// tests of main's policy readers and update service live in main/test/.
export default defineConfig({
  test: {
    name: 'distribution',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
