import { randomBytes } from 'node:crypto';
import type { EncryptedEntryFile, EncryptedEntryFileLocation } from './encrypted-entry-file.js';
import { DesktopError } from '../errors/desktop-error.js';
import type { Keychain } from './keychain.js';
import type { Logger } from '../logging/logger.js';

export const KEYCHAIN_SERVICE = 'Linkboard';

/**
 * auth0-spa-js keeps a handful of entries of a few kilobytes each; these bounds only stop a
 * compromised page from filling the disk or the keychain-encrypted file.
 */
const MAX_ENTRY_BYTES = 64 * 1024;
export const MAX_ENTRIES = 64;

function checkEntry(
  entries: ReadonlyMap<string, unknown> | Record<string, unknown>,
  key: string,
  value: unknown,
): void {
  const size = JSON.stringify(value ?? null)?.length ?? 0;
  if (size > MAX_ENTRY_BYTES) {
    throw new DesktopError('invalid_payload', 'This cache entry is too large to keep.');
  }
  const count = entries instanceof Map ? entries.size : Object.keys(entries).length;
  const exists = entries instanceof Map ? entries.has(key) : Object.hasOwn(entries, key);
  if (!exists && count >= MAX_ENTRIES) {
    throw new DesktopError('invalid_payload', 'The sign-in cache holds too many entries.');
  }
}
export const KEYCHAIN_ACCOUNT = 'token-store-key';

export type TokenStorage = 'keychain' | 'memory';

/**
 * auth0-spa-js's cache entries (the SDK's async `ICache`, served over IPC). With a keychain the
 * entries live in a file encrypted with a random key that only the keychain holds, so sign-in
 * survives a restart; without one they live in memory and `storage` says so, for the UI to tell the
 * user that sign-in will not be remembered.
 */
export interface TokenStore {
  readonly storage: TokenStorage;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  allKeys(): Promise<string[]>;
  /** Sign-out: forgets every entry, deletes the file and the key in the keychain. */
  clear(): Promise<void>;
  /**
   * Another file encrypted with the same keychain-held key (the view cache): written only while
   * the key exists (signed in), removed with the token file at sign-out, and unreadable once the
   * key is gone. Without a keychain it keeps nothing.
   */
  companion(location: EncryptedEntryFileLocation): CompanionFile;
}

/** A file sharing the token store's key: empty and unwritable while there is no key. */
export interface CompanionFile {
  read(): Record<string, unknown>;
  /** Writes the entries; false (and nothing written) when there is no key to encrypt with. */
  write(entries: Record<string, unknown>): boolean;
}

const NO_COMPANION: CompanionFile = { read: () => ({}), write: () => false };

export interface TokenStoreOptions {
  /** The OS keychain, or null where there is none. */
  keychain: Keychain | null;
  file: EncryptedEntryFileLocation;
  service?: string;
  account?: string;
  log?: Pick<Logger, 'warn'>;
}

/** Entries kept in this process only. */
function memoryTokenStore(): TokenStore {
  const entries = new Map<string, unknown>();
  return {
    storage: 'memory',
    get: async (key) => (entries.has(key) ? entries.get(key) : null),
    set: async (key, value) => {
      checkEntry(entries, key, value);
      entries.set(key, value);
    },
    remove: async (key) => {
      entries.delete(key);
    },
    allKeys: async () => [...entries.keys()],
    clear: async () => entries.clear(),
    companion: () => NO_COMPANION,
  };
}

function newEncryptionKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Opens the token store: keychain-backed when the keychain answers, memory-only (and saying so)
 * when it does not. A file whose key is no longer in the keychain cannot be read by anyone, so it
 * is deleted and a new key is made.
 */
export async function createTokenStore(options: TokenStoreOptions): Promise<TokenStore> {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const account = options.account ?? KEYCHAIN_ACCOUNT;
  const { keychain } = options;
  if (!keychain) return memoryTokenStore();

  let existingKey: string | null;
  try {
    existingKey = await keychain.getPassword(service, account);
  } catch (error) {
    options.log?.warn('No OS keychain: sign-in will not be remembered', {
      reason: (error as Error).name,
    });
    return memoryTokenStore();
  }

  let key: string | null = existingKey;
  let file: EncryptedEntryFile | null = key ? options.file.open(key) : null;
  let entries: Record<string, unknown> = file ? file.read() : {};
  if (!file) options.file.remove();
  const companions: EncryptedEntryFileLocation[] = [];

  /**
   * The key being made, shared by every `set` that needs it: auth0-spa-js writes several entries at
   * once, and two keys made in parallel would leave the file encrypted with one and the keychain
   * holding the other.
   */
  let creating: Promise<EncryptedEntryFile> | null = null;

  async function createFile(): Promise<EncryptedEntryFile> {
    const created = newEncryptionKey();
    try {
      await keychain!.setPassword(service, account, created);
    } catch {
      throw new DesktopError(
        'keychain_unavailable',
        'The system keychain refused to store the sign-in key.',
      );
    }
    options.file.remove();
    for (const companion of companions) companion.remove();
    key = created;
    file = options.file.open(created);
    return file;
  }

  /** The file to write to, creating a key first when there is none (first use, or after sign-out). */
  function writableFile(): Promise<EncryptedEntryFile> {
    if (file) return Promise.resolve(file);
    creating ??= createFile().finally(() => {
      creating = null;
    });
    return creating;
  }

  return {
    storage: 'keychain',
    get: async (key) => (Object.hasOwn(entries, key) ? entries[key] : null),
    async set(key, value) {
      checkEntry(entries, key, value);
      const target = await writableFile();
      entries = { ...entries, [key]: value };
      target.write(entries);
    },
    async remove(key) {
      if (!Object.hasOwn(entries, key)) return;
      const { [key]: _removed, ...rest } = entries;
      entries = rest;
      file?.write(entries);
    },
    allKeys: async () => Object.keys(entries),
    async clear() {
      // A key still being made would otherwise land in the keychain after the wipe.
      await creating?.catch(() => undefined);
      entries = {};
      file = null;
      key = null;
      // The key goes first and whatever the file does: without it the file cannot be read, and a
      // later start deletes it. Both are tried; the first failure is reported.
      const results = await Promise.allSettled([
        keychain.deletePassword(service, account),
        Promise.resolve().then(() => options.file.remove()),
        ...companions.map((companion) => Promise.resolve().then(() => companion.remove())),
      ]);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
    companion(location) {
      companions.push(location);
      // A file left from a key that is gone can be read by no one: it goes.
      if (!key) location.remove();
      // Opened once per key: a new key (after sign-out) means a new file.
      let opened: { key: string; file: EncryptedEntryFile } | null = null;
      const current = (): EncryptedEntryFile | null => {
        if (!key) return null;
        if (opened?.key !== key) opened = { key, file: location.open(key) };
        return opened.file;
      };
      return {
        read: () => current()?.read() ?? {},
        write(companionEntries) {
          const target = current();
          if (!target) return false;
          target.write(companionEntries);
          return true;
        },
      };
    },
  };
}
