import type { LinkboardStartOptions } from '../../src/electron/start-linkboard.js';
import { confEntryFileLocation } from '../../src/tokens/encrypted-entry-file.js';
import type { fakeElectron } from './fake-electron.js';

/** A complete public configuration, from the environment. */
export const configEnvironment = {
  LINKBOARD_AUTH0_DOMAIN: 'tenant.auth0.com',
  LINKBOARD_CLIENT_ID: 'desktop-client',
  LINKBOARD_BROKER_AUDIENCE: 'https://broker.linkboard.example/',
  LINKBOARD_BROKER_URL: 'https://broker.linkboard.example',
};

const silent = { info() {}, warn() {}, error() {} };

/** What `startLinkboard` needs to start on the fake Electron, with nothing read from this machine. */
export function startOptions(
  fake: ReturnType<typeof fakeElectron>,
  overrides: Partial<LinkboardStartOptions> = {},
): LinkboardStartOptions {
  return {
    electron: fake.electron,
    paths: { preload: '/app/out/preload/index.cjs', renderer: '/app/out/renderer' },
    argv: ['/opt/Linkboard/linkboard'],
    environment: configEnvironment,
    readPolicy: async () => null,
    loadKeychain: async () => null,
    tokenFile: () => confEntryFileLocation({ directory: '/nonexistent-user-data' }),
    windowBoundsStore: () => ({
      load: () => ({ x: 5, y: 6, width: 1000, height: 800 }),
      save: () => undefined,
    }),
    log: silent,
    logFolder: '/home/ada/.config/Linkboard/logs',
    ...overrides,
  };
}
