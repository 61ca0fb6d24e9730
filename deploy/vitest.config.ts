import { defineConfig } from 'vitest/config';

// The `deploy` project: the broker's production build, its container image and the deployment
// manifests (compose, Kubernetes), each checked against what runs or validates them.
export default defineConfig({
  test: {
    name: 'deploy',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
