import type { View } from '@linkboard/contract/provider-catalogue';
import { readDotPath } from './dot-path';

/**
 * The item's own page at the provider (the view's `webLinkKey`: `html_url`, `htmlLink`,
 * `webLink`), when it is an https URL. Main checks it again against the provider's web origins
 * before it opens or copies anything: what the page offers is only a convenience.
 */
export function providerPageOf(view: Pick<View, 'webLinkKey'>, item: unknown): string | undefined {
  if (!view.webLinkKey) return undefined;
  const value = readDotPath(item, view.webLinkKey);
  return typeof value === 'string' && value.startsWith('https://') ? value : undefined;
}
