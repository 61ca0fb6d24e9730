import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The `main-keychain` project: the token store against the real OS keychain (Secret Service over
// D-Bus). Run it through `npm run test:keychain`, which starts gnome-keyring in a D-Bus session when
// none is available (scripts/with-keychain.sh).
export default defineConfig({
  // Run with `-c main/vitest.keychain.config.ts` from the repository root.
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'main-keychain',
    include: ['test/**/*.keychain.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
