import type { ProviderSummary } from '@linkboard/contract';
import { DesktopError } from '../errors/desktop-error.js';
import { carriesCredentials, parseExactUrl } from './exact-url.js';

/**
 * A provider's own web pages (a repository's `html_url`, an event's `htmlLink`, a message's
 * `webLink`), opened in the system browser or copied, for a row or profile the user picked. The
 * page names the URL, so it is data from the provider and may be hostile: only `https` URLs on a
 * web origin the provider catalogue names for that connection pass
 * (docs/architecture.md#security-rules, rule 7).
 */
export interface ProviderPages {
  /** The web origins of each connection, from the catalogue the broker answered with. */
  learn(providers: readonly Pick<ProviderSummary, 'connection' | 'webOrigins'>[]): void;
  /** Opens the URL in the system browser, or throws `DesktopError('url_not_allowed')`. */
  open(connection: string, url: string): Promise<void>;
  /** Puts the URL on the clipboard, on the same terms as `open`. */
  copy(connection: string, url: string): void;
}

export interface ProviderPagesOptions {
  /** Electron's `shell.openExternal`, or the e2e host's "system browser". */
  openExternal(url: string): Promise<void>;
  /** Electron's `clipboard.writeText`, or the e2e host's clipboard. */
  writeClipboard(text: string): void;
  /** Refusals are logged with the reason and the URL's origin only. */
  log?: { warn(message: string, fields: Record<string, unknown>): void };
}

/** Why a provider page URL may not be opened for `connection`, or the URL when it may. */
export function providerPageProblem(
  raw: string,
  origins: ReadonlySet<string> | undefined,
): { reason: string; origin?: string } | { url: URL } {
  const parsed = parseExactUrl(raw);
  if ('reason' in parsed) return parsed;
  const { url } = parsed;
  if (url.protocol !== 'https:') return { reason: 'scheme', origin: url.protocol };
  if (carriesCredentials(raw, url)) return { reason: 'credentials in URL', origin: url.origin };
  if (!origins) return { reason: 'connection without web origins', origin: url.origin };
  if (!origins.has(url.origin)) return { reason: 'origin', origin: url.origin };
  return { url };
}

export function createProviderPages(options: ProviderPagesOptions): ProviderPages {
  const originsOf = new Map<string, ReadonlySet<string>>();
  const checked = (connection: string, raw: string): URL => {
    const verdict = providerPageProblem(raw, originsOf.get(connection));
    if ('url' in verdict) return verdict.url;
    options.log?.warn('Refused a provider page URL', {
      connection,
      reason: verdict.reason,
      origin: verdict.origin ?? '(unparsable)',
    });
    throw new DesktopError(
      'url_not_allowed',
      "Only the provider's own web pages open in the browser.",
    );
  };
  return {
    learn(providers) {
      originsOf.clear();
      for (const provider of providers) {
        originsOf.set(provider.connection, new Set(provider.webOrigins));
      }
    },
    async open(connection, raw) {
      await options.openExternal(checked(connection, raw).href);
    },
    copy(connection, raw) {
      options.writeClipboard(checked(connection, raw).href);
    },
  };
}
