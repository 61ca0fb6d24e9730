// @vitest-environment node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEED_PROVIDERS } from '../dev/seed-catalogue';

interface CatalogueEntry {
  connection: string;
  displayName: string;
  icon: string;
  webOrigins?: string[];
  imageOrigins?: string[];
  views: Array<{
    id: string;
    path: string;
    kind: string;
    webLinkKey?: string;
    itemsPath?: string;
    columns: Array<{ key: string }>;
  }>;
}

const catalogue = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../broker/catalogue/providers.json', import.meta.url)),
    'utf8',
  ),
) as CatalogueEntry[];

/** What the renderer shows of an entry: names, icon, web and image origins and the views' shape. */
function shown(entry: CatalogueEntry | (typeof SEED_PROVIDERS)[number]) {
  return {
    connection: entry.connection,
    displayName: entry.displayName,
    icon: entry.icon,
    webOrigins: entry.webOrigins ?? [],
    imageOrigins: entry.imageOrigins ?? [],
    views: entry.views.map((view) => ({
      id: view.id,
      path: view.path,
      kind: view.kind,
      webLinkKey: view.webLinkKey,
      itemsPath: view.itemsPath ?? '',
      columns: view.columns.map((column) => column.key),
    })),
  };
}

// The fake bridge's catalogue stands in for the broker's `GET /v1/providers` in the renderer's
// tests and screenshots: it must say what the real catalogue says, or those tests prove nothing.
describe('the seed catalogue of the fake bridge', () => {
  it.each(SEED_PROVIDERS.map((entry) => [entry.connection, entry] as const))(
    'mirrors broker/catalogue/providers.json for %s',
    (connection, entry) => {
      const real = catalogue.find((candidate) => candidate.connection === connection);
      expect(real, `${connection} is not in broker/catalogue/providers.json`).toBeDefined();
      expect(shown(entry)).toEqual(shown(real!));
    },
  );
});
