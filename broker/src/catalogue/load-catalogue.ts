import { readFileSync } from 'node:fs';
import { ProviderCatalogue } from '@linkboard/contract';

const CATALOGUE_FILE = new URL('../../catalogue/providers.json', import.meta.url);

/** Per-connection URL overrides, e.g. to point GitHub at the sandbox's emulated API. */
export interface ProviderUrlOverrides {
  apiBaseUrls: Record<string, string>;
  tokenUrls: Record<string, string>;
}

/**
 * Reads the provider catalogue data file and validates it, then applies URL overrides.
 * Throws a list of problems (as strings) when the data or an override is wrong.
 */
export function loadCatalogue(
  overrides: ProviderUrlOverrides = { apiBaseUrls: {}, tokenUrls: {} },
  raw: unknown = JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8')),
): { catalogue: ProviderCatalogue; problems: string[] } {
  const parsed = ProviderCatalogue.safeParse(raw);
  if (!parsed.success) {
    return {
      catalogue: [],
      problems: parsed.error.issues.map(
        (issue) => `provider catalogue: ${issue.path.join('.')}: ${issue.message}`,
      ),
    };
  }
  const problems: string[] = [];
  const connections = new Set(parsed.data.map((entry) => entry.connection));
  if (connections.size !== parsed.data.length)
    problems.push('provider catalogue: duplicate connection');
  for (const kind of ['apiBaseUrls', 'tokenUrls'] as const) {
    for (const connection of Object.keys(overrides[kind])) {
      if (!connections.has(connection)) {
        problems.push(`${kind} override names "${connection}", which is not in the catalogue`);
      }
    }
  }
  const catalogue = parsed.data.map((entry) => {
    const apiBaseUrl = overrides.apiBaseUrls[entry.connection] ?? entry.apiBaseUrl;
    const tokenUrl = overrides.tokenUrls[entry.connection] ?? entry.tokenUrl;
    return { ...entry, apiBaseUrl, ...(tokenUrl === undefined ? {} : { tokenUrl }) };
  });
  return { catalogue, problems };
}
