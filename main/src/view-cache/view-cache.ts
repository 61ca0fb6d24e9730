import { z } from 'zod';
import { WebOrigin } from '@linkboard/contract/provider-catalogue';
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
  /**
   * Keeps where each provider's pages and images are, as the broker's catalogue last said (never
   * the page), so kept views can open their pages and show their images at the next start
   * before the broker answers. Not a user's data: kept across users, gone at sign-out.
   */
  keepOrigins(providers: readonly ProviderOrigins[]): void;
  /** The origins kept by `keepOrigins`, or none (nothing kept, or a file that fails its schema). */
  keptOrigins(): ProviderOrigins[];
}

/** A connection's web and image origins, from the broker's `/v1/providers`. */
export const ProviderOrigins = z.object({
  connection: z.string().min(1).max(128),
  webOrigins: z.array(WebOrigin).max(16),
  imageOrigins: z.array(WebOrigin).max(16),
});
export type ProviderOrigins = z.infer<typeof ProviderOrigins>;
const KeptOrigins = z.array(ProviderOrigins).max(64);

export interface ViewCacheOptions {
  file: CompanionFile;
  now?: () => Date;
}

/** One view's answer larger than this is not kept (the view loads from the broker instead). */
export const MAX_VIEW_BYTES = 512 * 1024;
/** The whole file: the views saved longest ago go first. */
export const MAX_CACHE_BYTES = 4 * 1024 * 1024;

interface Stored {
  /** Whose views these are; empty before any view is kept. */
  owner: string;
  views: Record<string, CachedView>;
  origins: ProviderOrigins[];
}

function storedOf(entries: Record<string, unknown>): Stored {
  const { owner, views, origins } = entries;
  const kept = KeptOrigins.safeParse(origins);
  const validViews =
    typeof owner === 'string' && views && typeof views === 'object' && !Array.isArray(views);
  return {
    owner: validViews ? owner : '',
    views: validViews ? (views as Record<string, CachedView>) : {},
    origins: kept.success ? kept.data : [],
  };
}

export function createViewCache(options: ViewCacheOptions): ViewCache {
  const now = options.now ?? (() => new Date());
  const write = (stored: Stored) => options.file.write({ ...stored });
  return {
    get(subject, key) {
      const stored = storedOf(options.file.read());
      if (stored.owner !== subject || !Object.hasOwn(stored.views, key)) return null;
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
      const views = stored.owner === subject ? { ...stored.views } : {};
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
      write({ owner: subject, views, origins: stored.origins });
    },
    keepOrigins(providers) {
      const parsed = KeptOrigins.safeParse(
        providers.map(({ connection, webOrigins, imageOrigins }) => ({
          connection,
          webOrigins,
          imageOrigins,
        })),
      );
      // A catalogue beyond these bounds is not kept: the next start waits for the broker.
      if (!parsed.success) return;
      const origins = parsed.data;
      const stored = storedOf(options.file.read());
      if (JSON.stringify(stored.origins) === JSON.stringify(origins)) return;
      write({ ...stored, origins });
    },
    keptOrigins() {
      return storedOf(options.file.read()).origins;
    },
  };
}
