// The Electron main process entry (bundled to out/main/index.js). Only here are the real edges
// plugged in: Electron itself, keytar, electron-store, electron-log, the OS policy readers,
// electron-updater.
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  net,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
// electron-log's Node entry: its main entry would add an IPC channel for renderer logs, outside
// the one registry every message goes through (docs/architecture.md#security-rules, rule 2).
import electronLog from 'electron-log/node';
import ElectronStore from 'electron-store';
import { readManagedPolicy } from '../policy/read-managed-policy.js';
import { systemPolicyDeps, systemPolicyTriggers } from '../policy/system-policy-deps.js';
import { confEntryFileLocation } from '../tokens/encrypted-entry-file.js';
import type { Keychain } from '../tokens/keychain.js';
import {
  createUpdateService,
  disabledUpdateState,
  loadElectronUpdater,
  startableUpdateControl,
  UPDATE_CHECK_INTERVAL_MS,
} from '../updates/index.js';
import { startLinkboard } from './start-linkboard.js';
import { fileLogger } from './file-logger.js';

// main.log in the OS's log folder; also the terminal in development.
const logFolder = app.getPath('logs');
const log = fileLogger(electronLog, {
  file: join(logFolder, 'main.log'),
  console: !app.isPackaged,
});

startLinkboard({
  electron: {
    app,
    BrowserWindow,
    clipboard,
    dialog,
    ipcMain,
    net,
    protocol,
    screen,
    session,
    shell,
  },
  paths: {
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    renderer: join(import.meta.dirname, '../renderer'),
  },
  argv: process.argv,
  environment: process.env,
  readPolicy: () => readManagedPolicy(process.platform, systemPolicyDeps()),
  policyTriggers: systemPolicyTriggers(process.platform),
  async loadKeychain() {
    try {
      // An import esbuild records as external (a createRequire call it would not see), so the
      // packaging check knows keytar must ship in node_modules.
      return (await import('keytar')).default as Keychain;
    } catch (error) {
      log.warn('keytar could not be loaded: sign-in will not be remembered', {
        reason: (error as Error).name,
      });
      return null;
    }
  },
  tokenFile: (directory) =>
    confEntryFileLocation({ directory, createStore: (options) => new ElectronStore(options) }),
  viewCacheFile: (directory) =>
    confEntryFileLocation({
      directory,
      name: 'view-cache',
      createStore: (options) => new ElectronStore(options),
    }),
  windowBoundsStore() {
    const store = new ElectronStore<{ bounds?: unknown }>({ name: 'window-state' });
    return { load: () => store.get('bounds'), save: (bounds) => store.set('bounds', bounds) };
  },
  updates(loaded) {
    if (disabledUpdateState({ config: loaded.config, isPackaged: app.isPackaged })) return null;
    return startableUpdateControl(
      async () => {
        const updates = createUpdateService({
          updater: await loadElectronUpdater(),
          config: loaded.config,
          isPackaged: app.isPackaged,
        });
        void updates.check();
        setInterval(() => void updates.check(), UPDATE_CHECK_INTERVAL_MS).unref();
        return updates;
      },
      (error) => log.warn('Updates unavailable', { reason: (error as Error).name }),
    );
  },
  log,
  logFolder,
}).catch((error: unknown) => {
  log.error('Linkboard failed to start', { reason: (error as Error).name });
  dialog.showErrorBox(
    'Linkboard cannot start',
    'An unexpected error stopped Linkboard. Please try again.',
  );
  app.exit(1);
});
