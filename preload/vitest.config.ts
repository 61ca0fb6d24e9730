import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'preload',
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
