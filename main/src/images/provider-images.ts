import type { ProviderSummary } from '@linkboard/contract';
import type { BrokerFetch } from '../broker/broker-client.js';
import { providerPageProblem } from '../web/provider-pages.js';
import type { ImageCache } from './image-cache.js';
import { sniffImageType, type ImageType } from './image-type.js';

/** An image ready to hand to the page: its bytes and the type they were sniffed as. */
export interface ProviderImage {
  type: ImageType;
  bytes: Uint8Array;
}

/**
 * A provider's public images (avatars, profile pictures), which the page's CSP does not let it
 * load from the provider: main fetches them, only from the `imageOrigins` the broker's catalogue
 * names for that connection and never with a token, keeps them on disk, and the app's protocol
 * serves them (docs/architecture.md#security-rules, rule 8).
 */
export interface ProviderImages {
  /** The image origins of each connection, from the catalogue the broker answered with. */
  learn(providers: readonly Pick<ProviderSummary, 'connection' | 'imageOrigins'>[]): void;
  /** The image at `url` for `connection`, from the cache or the provider, or null when refused. */
  image(connection: string, url: string): Promise<ProviderImage | null>;
  /** Forgets every kept image (sign-out, another user). */
  clear(): Promise<void>;
}

export interface ProviderImagesOptions {
  /** Electron's `net.fetch` (system proxy and CAs) in the app, Node's fetch in the e2e host. */
  fetch: BrokerFetch;
  cache: ImageCache;
  /** Larger images are refused (avatars are tens of kilobytes). */
  maxBytes?: number;
  timeoutMs?: number;
  /** Refusals are logged with the reason and the URL's origin only. */
  log?: { warn(message: string, fields: Record<string, unknown>): void };
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

class ImageRefused extends Error {}

export function createProviderImages(options: ProviderImagesOptions): ProviderImages {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const originsOf = new Map<string, ReadonlySet<string>>();
  // One fetch per URL however many cells show it at once.
  const inFlight = new Map<string, Promise<ProviderImage | null>>();

  const refuse = (connection: string, reason: string, origin: string): null => {
    options.log?.warn('Refused a provider image', { connection, reason, origin });
    return null;
  };

  async function download(url: URL): Promise<Uint8Array> {
    const response = await options.fetch(url.href, {
      // No cookies, no token, no referrer: the image is public or it is not shown.
      credentials: 'omit',
      redirect: 'manual',
      referrerPolicy: 'no-referrer',
      headers: { Accept: 'image/png, image/jpeg, image/gif, image/webp' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) throw new ImageRefused(`status ${response.status}`);
    const declared = response.headers.get('content-type') ?? '';
    if (!/^image\//i.test(declared)) throw new ImageRefused('not labelled as an image');
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > maxBytes) throw new ImageRefused('too large');
    return readAtMost(response, maxBytes);
  }

  async function fetchAndKeep(connection: string, url: URL): Promise<ProviderImage | null> {
    const kept = await options.cache.get(url.href);
    const keptType = kept && sniffImageType(kept);
    if (kept && keptType) return { type: keptType, bytes: kept };
    let bytes: Uint8Array;
    try {
      bytes = await download(url);
    } catch (error) {
      const reason = error instanceof ImageRefused ? error.message : 'unreachable';
      return refuse(connection, reason, url.origin);
    }
    const type = sniffImageType(bytes);
    if (!type) return refuse(connection, 'not a PNG, JPEG, GIF or WebP', url.origin);
    await options.cache.put(url.href, bytes);
    return { type, bytes };
  }

  return {
    learn(providers) {
      originsOf.clear();
      for (const provider of providers) {
        originsOf.set(provider.connection, new Set(provider.imageOrigins));
      }
    },
    async image(connection, raw) {
      const origins = originsOf.get(connection);
      const verdict = providerPageProblem(raw, origins);
      if (!('url' in verdict)) {
        return refuse(connection, verdict.reason, verdict.origin ?? '(unparsable)');
      }
      const key = verdict.url.href;
      const pending = inFlight.get(key) ?? fetchAndKeep(connection, verdict.url);
      inFlight.set(key, pending);
      try {
        return await pending;
      } finally {
        inFlight.delete(key);
      }
    },
    async clear() {
      await options.cache.clear();
    },
  };
}

/** The body, read until `maxBytes` and no further: a server that lies about its length is cut. */
async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ImageRefused('too large');
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
