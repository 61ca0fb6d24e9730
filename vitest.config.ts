import { defineConfig } from 'vitest/config';

// Each part keeps its own vitest.config.ts; `npm run test:unit` runs them all.
export default defineConfig({
  test: {
    projects: ['./*/vitest.config.ts'],
  },
});
