import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';

/** The token store's file of entries, encrypted with a key it is opened with. */
export interface EncryptedEntryFile {
  /** The entries, or an empty record when the file is missing or cannot be decrypted with this key. */
  read(): Record<string, unknown>;
  write(entries: Record<string, unknown>): void;
}

/** Where the token store keeps its file: opened with a key, or removed without one. */
export interface EncryptedEntryFileLocation {
  open(encryptionKey: string): EncryptedEntryFile;
  /** Deletes the file from disk (sign-out, or a file whose key is gone). */
  remove(): void;
  /** The file's path, for tests and diagnostics. */
  readonly path: string;
}

/** What both `conf` (plain Node) and `electron-store` (Electron) accept. */
export interface EntryStoreOptions {
  cwd: string;
  encryptionKey: string;
  encryptionAlgorithm: 'aes-256-gcm';
  clearInvalidConfig: true;
  accessPropertiesByDotNotation: false;
  configFileMode: number;
  watch: false;
}

/** The part of a `conf`/`electron-store` instance this file uses. */
export interface EntryStore {
  readonly store: Record<string, unknown>;
  set(key: string, value: unknown): void;
}

const ENTRIES_KEY = 'entries';

/**
 * The token file through a `conf`-style store. `conf` works in plain Node (tests, the e2e host);
 * the Electron layer passes `electron-store`, which is `conf` with Electron's paths. AES-256-GCM, so
 * a file tampered with or opened with another key reads as empty instead of as garbage.
 */
export function confEntryFileLocation(options: {
  directory: string;
  /** File name without `.json`. */
  name?: string;
  createStore?: (options: EntryStoreOptions & { name: string }) => EntryStore;
}): EncryptedEntryFileLocation {
  const name = options.name ?? 'token-store';
  const createStore =
    options.createStore ??
    ((storeOptions: EntryStoreOptions & { name: string }) =>
      new Conf<Record<string, unknown>>({ ...storeOptions, configName: storeOptions.name }));
  const path = join(options.directory, `${name}.json`);

  return {
    path,
    open(encryptionKey) {
      const store = createStore({
        name,
        cwd: options.directory,
        encryptionKey,
        encryptionAlgorithm: 'aes-256-gcm',
        clearInvalidConfig: true,
        accessPropertiesByDotNotation: false,
        configFileMode: 0o600,
        watch: false,
      });
      return {
        read() {
          const entries = store.store[ENTRIES_KEY];
          return entries && typeof entries === 'object' && !Array.isArray(entries)
            ? { ...(entries as Record<string, unknown>) }
            : {};
        },
        write(entries) {
          store.set(ENTRIES_KEY, entries);
        },
      };
    },
    remove() {
      rmSync(path, { force: true });
    },
  };
}
