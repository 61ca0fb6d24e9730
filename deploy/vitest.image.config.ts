import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:image`: broker/Dockerfile built with podman and run against the sandbox. Apart from
// the `deploy` project because it takes minutes (a Debian base, then npm ci inside the build), so
// it runs once, alone, after the unit suites.
export default defineConfig({
  test: {
    name: 'deploy-image',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['image-test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 1_200_000,
  },
});
