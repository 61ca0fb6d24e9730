import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Images kept on disk between starts, by URL, bounded in count and age. */
export interface ImageCache {
  /** The bytes kept for `url`, when younger than the cache's age bound. */
  get(url: string): Promise<Uint8Array | null>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  /** Removes every kept image (sign-out). */
  clear(): Promise<void>;
}

export interface ImageCacheOptions {
  /** A folder of its own (`{userData}/image-cache`): everything in it belongs to the cache. */
  directory: string;
  /** At most this many images; the least recently written go first. */
  maxEntries?: number;
  /** An image older than this is fetched again (a changed avatar shows within a day). */
  maxAgeMs?: number;
  now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 300;
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Each image is one file named by the SHA-256 of its URL, so a URL never becomes a path; written
 * to a temporary name and renamed, so a crash leaves no half image under a real name.
 */
export function createImageCache(options: ImageCacheOptions): ImageCache {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const fileOf = (url: string) =>
    join(options.directory, createHash('sha256').update(url).digest('hex'));

  async function trim(): Promise<void> {
    const names = await readdir(options.directory);
    if (names.length <= maxEntries) return;
    const aged = await Promise.all(
      names.map(async (name) => {
        const path = join(options.directory, name);
        return { path, written: (await stat(path).catch(() => null))?.mtimeMs ?? 0 };
      }),
    );
    aged.sort((a, b) => a.written - b.written);
    await Promise.all(
      aged.slice(0, aged.length - maxEntries).map(({ path }) => rm(path, { force: true })),
    );
  }

  return {
    async get(url) {
      const path = fileOf(url);
      try {
        const { mtimeMs } = await stat(path);
        if (now() - mtimeMs > maxAgeMs) return null;
        return new Uint8Array(await readFile(path));
      } catch {
        return null;
      }
    },
    async put(url, bytes) {
      await mkdir(options.directory, { recursive: true, mode: 0o700 });
      const path = fileOf(url);
      const partial = `${path}.${randomUUID()}.partial`;
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, path);
      await trim();
    },
    async clear() {
      await rm(options.directory, { recursive: true, force: true });
    },
  };
}
