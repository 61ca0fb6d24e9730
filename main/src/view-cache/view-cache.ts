import { DesktopError } from '../errors/desktop-error.js';
import type { CompanionFile } from '../tokens/token-store.js';

/** One view's last answer, as the page stored it, and when. */
export interface CachedView {
  savedAt: string;
  data: unknown;
}

/**
 * The last data of each view (the linked accounts, each catalogue view), shown at the next start
 * while fresh data loads. It is the signed-in user's provider data, so it lives in a file
 * encrypted with the token store's keychain-held key, is kept for one user only (another user's
 * first write wipes it), is bounded in size, and goes at sign-out with the key
 * (docs/architecture.md#instant-start).
 */
export interface ViewCache {
  get(subject: string, key: string): CachedView | null;
  set(subject: string, key: string, data: unknown): void;
}

export interface ViewCacheOptions {
  file: CompanionFile;
  now?: () => Date;
}

/** One view's answer larger than this is not kept (the view loads from the broker instead). */
export const MAX_VIEW_BYTES = 512 * 1024;
/** The whole file: the views saved longest ago go first. */
export const MAX_CACHE_BYTES = 4 * 1024 * 1024;

interface Stored {
  owner: string;
  views: Record<string, CachedView>;
}

function storedOf(entries: Record<string, unknown>): Stored | null {
  const { owner, views } = entries;
  if (typeof owner !== 'string' || !views || typeof views !== 'object' || Array.isArray(views)) {
    return null;
  }
  return { owner, views: views as Record<string, CachedView> };
}

export function createViewCache(options: ViewCacheOptions): ViewCache {
  const now = options.now ?? (() => new Date());
  return {
    get(subject, key) {
      const stored = storedOf(options.file.read());
      if (!stored || stored.owner !== subject || !Object.hasOwn(stored.views, key)) return null;
      return stored.views[key] ?? null;
    },
    set(subject, key, data) {
      const entry: CachedView = { savedAt: now().toISOString(), data };
      const size = JSON.stringify(entry).length;
      if (size > MAX_VIEW_BYTES) {
        throw new DesktopError('invalid_payload', 'This view is too large to keep.');
      }
      const stored = storedOf(options.file.read());
      // Another user's views are never shown to this one: their first write starts afresh.
      const views = stored && stored.owner === subject ? { ...stored.views } : {};
      views[key] = entry;
      let total = JSON.stringify(views).length;
      const oldestFirst = Object.entries(views).sort(([, a], [, b]) =>
        a.savedAt.localeCompare(b.savedAt),
      );
      for (const [name, view] of oldestFirst) {
        if (total <= MAX_CACHE_BYTES || name === key) continue;
        delete views[name];
        total -= JSON.stringify(view).length;
      }
      options.file.write({ owner: subject, views });
    },
  };
}
